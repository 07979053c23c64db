"""Chapter 9's study: the training series, the resumable run, spikes and cycles, stored results."""
import pickle

import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.training import neuron_study as ns
from plrnn_lib.training.recordings import load_membrane_recordings

SMALL = dict(ns.SETTINGS, M=3, H=5, window=40, batch_size=4, batches_per_epoch=2,
             n_epochs=6)


def test_training_series_is_the_zscored_recording_at_the_stated_rate():
    series = ns.training_series()
    x = series.x[:, 0]
    assert abs(x.mean()) < 1e-12 and x.std() == pytest.approx(1.0)
    rec = load_membrane_recordings()
    q = ns.SETTINGS["downsample"]
    assert series.step_seconds == pytest.approx(q * rec.sampling_interval)
    expected = (ns.SETTINGS["stop"] - ns.SETTINGS["start"]) / series.step_seconds
    assert abs(len(x) - expected) <= 1
    # undoing the z-scoring gives millivolts close to the raw trace sampled at every q-th
    # point (the anti-aliasing filter blunts the spike peaks, not the slow voltage)
    mV = series.mean_mV + series.sd_mV * x
    raw = series.raw_mV[::q][:len(mV)]
    assert np.median(np.abs(mV - raw)) < 1.0
    # downsampling keeps the spike timing: the same number of spikes, the same median
    # inter-spike interval in seconds (within one model step)
    raw_spikes = ns.spike_times(series.raw_mV, threshold=-20.0, refractory=8)
    spikes = ns.spike_times(x, threshold=(-20.0 - series.mean_mV) / series.sd_mV)
    assert abs(len(spikes) - len(raw_spikes)) <= 1
    assert np.median(np.diff(spikes)) * series.step_seconds == pytest.approx(
        np.median(np.diff(raw_spikes)) * series.raw_step_seconds, abs=series.step_seconds)


def test_spike_times_on_a_made_up_trace():
    v = np.full(100, -70.0)
    v[[10, 11, 40, 41, 42, 43, 70]] = 20.0
    assert ns.spike_times(v).tolist() == [10, 40, 70]
    v[44] = -70.0
    v[45] = 20.0          # a second crossing 5 samples after the one at 40
    assert ns.spike_times(v, refractory=2).tolist() == [10, 40, 45, 70]
    assert ns.spike_times(v, refractory=6).tolist() == [10, 40, 70]
    with pytest.raises(ValueError, match="refractory"):
        ns.spike_times(v, refractory=0)


def test_initial_model_follows_the_reference_initialisation():
    m = ns.initial_model(6, 20, rng=3)
    A = m.params()["A"]
    # the diagonal of a positive definite matrix scaled to spectral radius 1
    assert np.all(A > 0) and np.all(A <= 1 + 1e-12)
    assert np.all(np.abs(m.W1) <= 1 / np.sqrt(20)) and np.all(np.abs(m.W2) <= 1 / np.sqrt(6))
    assert np.all(m.h1 == 0) and np.all(m.h2 == 0)
    again = ns.initial_model(6, 20, rng=3)
    assert all(np.array_equal(again.params()[k], v) for k, v in m.params().items())
    with pytest.raises(ValueError, match="H"):
        ns.initial_model(6, 0)


def test_exponential_decay_is_geometric_and_picklable():
    lr = ns.ExponentialDecay(1e-3, 1e-6, 300)
    values = np.array([lr(k) for k in range(0, 301)])
    assert values[0] == pytest.approx(1e-3) and values[-1] == pytest.approx(1e-6)
    assert np.allclose(values[1:-1] ** 2, values[:-2] * values[2:], rtol=1e-10)
    assert lr(10_000) == pytest.approx(1e-6)       # flat after n_steps
    assert pickle.loads(pickle.dumps(lr))(150) == lr(150)
    with pytest.raises(ValueError, match="n_steps"):
        ns.ExponentialDecay(1e-3, 1e-6, 0)


def test_flatten_and_unflatten_are_inverse():
    m = ns.initial_model(4, 7, rng=0)
    back = ns.unflatten_params(ns.flatten_params(m.params()), 4, 7)
    assert all(np.array_equal(back[k], v) for k, v in m.params().items())
    with pytest.raises(ValueError, match="vector"):
        ns.unflatten_params(np.zeros(5), 4, 7)


def test_a_run_in_chunks_with_a_restart_equals_the_run_in_one_piece(tmp_path):
    x = ns.training_series().x[:400]
    whole = ns.ChunkedRun(x, SMALL).run(6)
    part = ns.ChunkedRun(x, SMALL).run(2)
    part.save(tmp_path / "state.pkl")
    resumed = ns.ChunkedRun.load(tmp_path / "state.pkl", SMALL).run(3).run(10)
    assert resumed.done and resumed.n_epochs == 6
    assert np.array_equal(whole.loss, resumed.loss)
    assert np.array_equal(np.stack(whole.params), np.stack(resumed.params))
    # a snapshot is the model of that epoch: its loss on a fixed batch matches a rebuild
    m3 = resumed.model_at(3)
    assert np.array_equal(ns.flatten_params(m3.params()), whole.params[3])
    with pytest.raises(ValueError, match="other settings"):
        ns.ChunkedRun.load(tmp_path / "state.pkl", dict(SMALL, alpha=0.2))


def test_the_free_run_finds_the_toy_models_stable_cycle():
    toy = pl.toy_plrnn()                 # its only stable cycle has order 16
    k, points = ns.attractor_period(toy, 0.5)
    assert k == 16
    cycle = ns.attracting_cycle(toy, 0.5)
    assert cycle is not None and cycle.stable and cycle.order == 16
    by_scyfi = [c for c in pl.find_cycles(toy, 16, rng=0).of_order(16) if c.stable]
    assert any(cycle.same_as(c) for c in by_scyfi)
    # the simulated points are the exact cycle's up to rounding
    assert np.max(np.abs(np.sort(points[:, 0]) - np.sort(cycle.points[:, 0]))) < 1e-8


def test_checkpoint_epochs_cover_the_run_and_the_jump():
    e = ns.checkpoint_epochs(1000, 430, every=250, around=20, step=4)
    assert e[0] == 0 and e[-1] == 1000 and np.all(np.diff(e) > 0)
    assert {250, 500, 750, 429, 430}.issubset(e)
    assert np.all(np.diff(e[(e >= 410) & (e <= 450)]) <= 4)


def test_cycle_table_round_trips_the_voltages():
    cycles = pl.find_cycles(pl.toy_plrnn(), 16, rng=0)
    rec = ns.cycle_table(cycles)
    assert rec.orders.tolist() == [c.order for c in cycles]
    for i, c in enumerate(cycles):
        assert np.array_equal(rec.voltages[rec.offsets[i]:rec.offsets[i + 1]], c.points[:, 0])
        assert rec.stable[i] == c.stable


@pytest.fixture(scope="module", params=[0, 1])
def stored(request):
    try:
        return ns.stored_results(seed=request.param)
    except FileNotFoundError:
        pytest.skip("book/data/neuron_training*.npz not generated yet")


def _stored_final_model(stored):
    s = stored["settings"]
    params = ns.unflatten_params(stored["checkpoint_params"][-1], s["M"], s["H"])
    return pl.ShallowPLRNN(**params), s


def test_the_stored_model_reproduces_its_stored_cycle(stored):
    model, s = _stored_final_model(stored)
    points = stored["final_cycle_points"]
    assert points.shape[0] >= 1, "the final model has no attracting cycle stored"
    k = points.shape[0]
    # the stored points are a k-cycle of the stored model (independent of SCYFI) ...
    assert np.allclose(model.simulate(points[0], k)[1:], np.roll(points, -1, axis=0),
                       atol=1e-8)
    # ... and SCYFI, rerun at order k from the stored region sequence, solves the same
    # cycle from the stored parameters (a random search for one 37-cycle among the
    # shallow PLRNN's regions does not reliably hit it within the reference loop counts;
    # the chapter reaches it through the free run, as the last check here does)
    found = pl.find_cycles(model, k, min_order=k, rng=1, outer_loops=0,
                           seeds=[stored["final_cycle_regions"]])
    again = [c for c in found if c.stable]
    assert any(np.allclose(np.sort(c.points[:, 0]), np.sort(points[:, 0]), atol=1e-8)
               for c in again)
    # it is the attractor of the free run from the data's first value
    x0 = float(ns.training_series(s).x[0, 0])
    assert ns.attractor_period(model, x0)[0] == k


def test_the_stored_loss_is_the_start_of_a_rerun(stored):
    s = stored["settings"]
    run = ns.ChunkedRun(ns.training_series(s).x, s).run(3)
    assert np.allclose(run.loss, stored["loss"][:3], rtol=1e-8)


def test_the_stored_checkpoints_are_the_runs_epochs(stored):
    epochs = stored["checkpoint_epochs"]
    assert epochs[0] == 0 and epochs[-1] == len(stored["loss"])
    s = stored["settings"]
    first = ns.initial_model(s["M"], s["H"], s["model_seed"])
    assert np.array_equal(stored["checkpoint_params"][0], ns.flatten_params(first.params()))
    # the cycle table is consistent: offsets follow the orders
    off, orders = stored["cycle_offset"], stored["cycle_order"]
    assert np.array_equal(np.diff(np.r_[off, len(stored["cycle_voltage"])]), orders)
