"""Chapter 9's exercise checks pass on the solutions and name the usual mistakes."""
import numpy as np
import pytest

import plrnn_lib as pl
from plrnn_lib.exercises import ExerciseError
from plrnn_lib.training import neuron_study as ns


def _isi_solution():
    s = ns.training_series()
    threshold = (-20.0 - s.mean_mV) / s.sd_mV
    spikes = ns.spike_times(s.x[:, 0], threshold=threshold)
    return float(np.median(np.diff(spikes))), s, spikes


def test_median_isi_passes_on_the_solution_and_names_mistakes():
    isi, s, spikes = _isi_solution()
    assert pl.exercises.check_median_isi_steps(isi)
    with pytest.raises(ExerciseError, match="raw"):
        pl.exercises.check_median_isi_steps(isi * 3)
    with pytest.raises(ExerciseError, match="milliseconds"):
        pl.exercises.check_median_isi_steps(isi * s.step_seconds * 1e3)
    with pytest.raises(ExerciseError, match="single number"):
        pl.exercises.check_median_isi_steps(np.diff(spikes))
    mean = float(np.mean(np.diff(spikes)))
    if abs(mean - isi) > 0.51:          # only then is the mean a wrong answer
        with pytest.raises(ExerciseError, match="median"):
            pl.exercises.check_median_isi_steps(mean)


@pytest.fixture(scope="module", params=[0, 1])
def final_cycle(request):
    try:
        data = ns.stored_results(seed=request.param)
    except FileNotFoundError:
        pytest.skip("book/data/neuron_training*.npz not generated yet")
    s = data["settings"]
    model = pl.ShallowPLRNN(**ns.unflatten_params(data["checkpoint_params"][-1],
                                                  s["M"], s["H"]))
    if data["final_cycle_points"].shape[0] < 2:
        pytest.skip(f"the stored final model of run {request.param} has no attracting cycle")
    return model, data["final_cycle_points"], request.param


def test_cycle_multiplier_passes_on_the_solution_and_names_mistakes(final_cycle):
    model, points, run = final_cycle
    P = np.eye(model.M)
    for z in points:
        P = model.jacobian(z) @ P
    rho = float(np.max(np.abs(np.linalg.eigvals(P))))
    assert pl.exercises.check_cycle_multiplier(rho, run=run)
    one_step = float(np.max(np.abs(np.linalg.eigvals(model.jacobian(points[0])))))
    if not np.isclose(one_step, rho, rtol=1e-4):
        with pytest.raises(ExerciseError, match="one step"):
            pl.exercises.check_cycle_multiplier(one_step, run=run)
    with pytest.raises(ExerciseError, match="sign"):
        pl.exercises.check_cycle_multiplier(-rho, run=run)
