"""Tests of plrnn_lib.cycles.scaling: regime models, contractive models and the cost measure."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.cycles import scaling as sc


@pytest.mark.parametrize("target", [0.7, 1.25, 2.3])
def test_regime_model_hits_target_and_plants_a_fixed_point(target):
    rng = np.random.default_rng(0)
    for M in (4, 16, 64):
        m, z = sc.regime_model(M, target, rng)
        assert np.allclose(m.step(z), z)                      # the planted fixed point
        est = sc.mean_max_eigenvalue(m, rng, n_regions=400)    # fresh regions, independent estimate
        assert abs(est - target) < 0.05 * target


def test_contractive_model_norms():
    rng = np.random.default_rng(1)
    for M in (2, 8, 32):
        m = sc.contractive_model(M, 0.9, rng)
        assert np.linalg.norm(m.A, 2) + np.linalg.norm(m.W, 2) == pytest.approx(0.9)


def test_unbounded_search_finds_every_fixed_point_of_the_exhaustive_search():
    """With the exhaustive set as 'known', the unbounded search finds all of it, at a cost that
    on average stays within the exhaustive enumeration's 2^M candidates."""
    rng = np.random.default_rng(2)
    for M in (3, 4, 5, 6):
        counts = []
        for target in (0.7, 1.25, 2.3):
            for _ in range(6):
                m, _ = sc.regime_model(M, target, rng)
                known = pl.exhaustive_cycles(m, 1)
                n = sc.regions_until_found(m, known, rng)
                assert n is not None and n >= 1
                counts.append(n)
        assert np.mean(counts) <= 2 ** M


def test_count_equals_found_after_of_one_long_run():
    """The doubling restarts replay the same stream: the count is that of one long run."""
    m, z = sc.regime_model(12, 1.25, np.random.default_rng(3))
    seed_rng = np.random.default_rng(4)
    n = sc.regions_until_found(m, z, np.random.default_rng(4))
    seed = int(seed_rng.integers(0, 2 ** 63))
    cs = pl.find_cycles(m, 1, rng=np.random.default_rng(seed), outer_loops=4096)
    hit = [c.found_after for c in cs if np.allclose(c.points[0], z, atol=1e-7)]
    assert hit and n == min(hit)


def test_linear_time_theorem():
    """||A|| + ||W|| < 1: the unique fixed point is found within M + 1 region evaluations."""
    rng = np.random.default_rng(5)
    for M in (2, 4, 8, 16, 32, 64):
        for _ in range(10):
            m = sc.contractive_model(M, 0.9, rng)
            cs = pl.find_cycles(m, 1, rng=rng)
            assert len(cs) == 1                                # a contraction: one fixed point
            assert sc.regions_until_found(m, cs, rng) <= M + 1


def test_censored_run_returns_none():
    rng = np.random.default_rng(6)
    m, _ = sc.regime_model(6, 0.7, rng)
    far = np.full(6, 1e3)                                      # not a fixed point of m
    assert sc.regions_until_found(m, far, rng, max_regions=50) is None


def test_a_search_that_needs_more_than_the_cap_is_censored():
    # find the uncapped count n of a model, then cap just below and at it
    rng_model = np.random.default_rng(8)
    for _ in range(20):
        m, _ = sc.regime_model(8, 1.25, rng_model)
        known = pl.find_cycles(m, 1, rng=0)
        if len(known) and (n := sc.regions_until_found(m, known, 1)) is not None and n > 2:
            break
    else:
        pytest.fail("no regime model with a fixed point found after more than 2 sequences")
    assert sc.regions_until_found(m, known, 1, max_regions=n) == n
    assert sc.regions_until_found(m, known, 1, max_regions=n - 1) is None


def test_rotating_model_and_last_found_after():
    m = sc.rotating_model(np.random.default_rng(7))
    assert m.M == 2
    d = np.array([True, True])
    eig = np.linalg.eigvals(m.region_matrix(d))
    assert np.iscomplexobj(eig) or np.allclose(np.abs(eig[0]), np.abs(eig[1]))
    cs = pl.find_cycles(m, 4, rng=0)
    if len(cs):
        assert sc.last_found_after(cs) == max(c.found_after for c in cs)
    assert sc.last_found_after([]) is None


def test_arguments_are_validated():
    rng = np.random.default_rng(8)
    m, z = sc.regime_model(4, 0.7, rng)
    with pytest.raises(ValueError, match="M"):
        sc.regime_model(0, 0.7)
    with pytest.raises(ValueError, match="target"):
        sc.regime_model(4, -1.0)
    with pytest.raises(ValueError, match="norm_sum"):
        sc.contractive_model(4, 0.0)
    with pytest.raises(TypeError, match="model"):
        sc.mean_max_eigenvalue("not a model")
    with pytest.raises(ValueError, match="known"):
        sc.regions_until_found(m, np.zeros(3))
    with pytest.raises(ValueError, match="known"):
        sc.regions_until_found(m, [np.zeros(4), np.zeros((2, 4))])
    with pytest.raises(ValueError, match="max_regions"):
        sc.regions_until_found(m, z, max_regions=0)
    with pytest.raises(TypeError, match="known"):
        sc.regions_until_found(m, 3.0)
    with pytest.raises(TypeError, match="cycles"):
        sc.last_found_after([1, 2])


def test_random_search_expectation_matches_a_simulated_random_search():
    """(N + 1) / (m + 1) against shuffled sequences: the position of the first hit."""
    rng = np.random.default_rng(9)
    for M, k, n in ((1, 2, 1), (2, 2, 1), (1, 3, 2), (2, 1, 0)):
        N, m = 2 ** (M * k), n * k
        firsts = []
        for _ in range(20_000):
            order = rng.permutation(N)
            hits = np.flatnonzero(order < m)             # the first m labels are the hits
            firsts.append(hits[0] + 1 if len(hits) else N + 1)
        expected = sc.random_search_expectation(M, k, n)
        assert abs(np.mean(firsts) - expected) < 0.03 * expected
    assert sc.random_search_expectation(2, 16, 2, n_regions=3) == pytest.approx(
        (3.0 ** 16 + 1) / 33)
    assert sc.random_search_expectation(200, 8, 1) == np.inf   # 2**1600 overflows


def _brute_force_real_sequences(model, k):
    """Region sequences of length k whose candidate is a real cycle of minimal period k,
    by numpy.linalg.solve over all 4**k sequences of a 2-D PLRNN (no library solver)."""
    import itertools

    A, W, h = np.asarray(model.A), model.W, model.h          # A as an (M, M) matrix
    count = 0
    for seq in itertools.product(itertools.product([0.0, 1.0], repeat=2), repeat=k):
        Js = [A + W @ np.diag(d) for d in seq]
        P, c = np.eye(2), np.zeros(2)
        for J in Js:
            P, c = J @ P, J @ c + h
        try:
            z = np.linalg.solve(np.eye(2) - P, c)
        except np.linalg.LinAlgError:
            continue
        pts = [z]
        for J in Js[:-1]:
            pts.append(J @ pts[-1] + h)
        pts = np.array(pts)
        if not np.array_equal(pts > 0, np.array(seq) > 0):
            continue
        if any(np.allclose(np.roll(pts, s, axis=0), pts, atol=1e-9) for s in range(1, k)
               if k % s == 0):
            continue                                      # a lower period
        count += 1
    return count


def test_every_k_cycle_owns_k_region_sequences():
    """The premise of the brute-force count (2^(Mk) + 1)/(n k + 1): among all 4**k
    sequences of a 2-D model, the real candidates of minimal period k are exactly the k
    rotations of each of the n k-cycles."""
    rng = np.random.default_rng(10)
    checked = 0
    for _ in range(300):
        m = sc.rotating_model(rng)
        for k in (2, 3, 4, 5):
            n = len(pl.exhaustive_cycles(m, k))
            if n:
                assert _brute_force_real_sequences(m, k) == k * n
                checked += 1
        if checked >= 4:
            break
    assert checked >= 4


def test_reference_search_replays_the_unbounded_search():
    """Same stream: when the reference budgets find the known fixed point, the unbounded
    search counts exactly the reference run's found_after of it."""
    rng = np.random.default_rng(11)
    agreed = 0
    for M in (4, 8, 16):
        for _ in range(5):
            m, z = sc.regime_model(M, 1.25, rng)
            seed = int(rng.integers(2 ** 32))
            ref = sc.reference_search(m, z, seed)
            n = sc.regions_until_found(m, z, seed)
            cs = pl.find_cycles(m, 1, rng=np.random.default_rng(
                int(np.random.default_rng(seed).integers(0, 2 ** 63))))
            hit = [c.found_after for c in cs if np.allclose(c.points[0], z, atol=1e-7)]
            assert ref.found_known == bool(hit)
            assert ref.n_found == len(cs) and ref.evaluated == cs.evaluated[1]
            if ref.found_known:
                assert n == min(hit)
                assert ref.last_found_after >= n
                agreed += 1
    assert agreed >= 5


def test_a_censored_search_stops_near_the_cap(monkeypatch):
    """The last rerun gets just enough restarts for the cap, so a search for a point that is
    no fixed point gives up after a last run of about the cap (doubling past it could
    overshoot to twice the cap), and all reruns together stay below three times the cap."""
    runs = []
    real_find_cycles = sc.find_cycles

    def counting_find_cycles(*args, **kwargs):
        cs = real_find_cycles(*args, **kwargs)
        runs.append(sum(cs.evaluated.values()))
        return cs

    monkeypatch.setattr(sc, "find_cycles", counting_find_cycles)
    m, _ = sc.regime_model(6, 0.7, np.random.default_rng(12))
    for cap in (1000, 3000, 5000):
        runs.clear()
        assert sc.regions_until_found(m, np.full(6, 1e3), 0, max_regions=cap) is None
        assert runs[-2] < cap <= runs[-1]       # the first run to reach the cap is the last
        assert runs[-1] < 1.2 * cap             # (only the restarts after a discovery add)
        assert sum(runs) < 3 * cap
