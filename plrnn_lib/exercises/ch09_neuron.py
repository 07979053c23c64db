"""Checks for chapter 9's coding exercises (a neuron's membrane voltage)."""
from __future__ import annotations

import numpy as np

from ._feedback import ExerciseError, check_number, passed, require_answer

__all__ = ["check_median_isi_steps", "check_cycle_multiplier"]

#: Threshold (mV) at which an upward crossing counts as a spike in chapter 9.
SPIKE_THRESHOLD_MV = -20.0


def _series():
    from ..training.neuron_study import training_series

    return training_series()


def expected_median_isi_steps():
    """The median inter-spike interval of the training series, in model steps."""
    from ..training.neuron_study import spike_times

    s = _series()
    spikes = spike_times(s.x[:, 0], threshold=(SPIKE_THRESHOLD_MV - s.mean_mV) / s.sd_mV)
    return float(np.median(np.diff(spikes))), s, spikes


def check_median_isi_steps(isi_steps):
    r"""Check the median inter-spike interval of chapter 9's training series, in model steps.

    The expected answer is :math:`\operatorname{median}_i (t_{i+1} - t_i)` over the upward
    crossings :math:`t_i` of -20 mV by the downsampled, z-scored voltage on which
    the shallow PLRNN is trained (Eisenmann et al., 2023, train on such a series).
    """
    require_answer("isi_steps", isi_steps)
    expected, s, spikes = expected_median_isi_steps()

    def hints(value):
        q = round(s.step_seconds / s.raw_step_seconds)
        if np.isclose(value, expected * q, rtol=0.05):
            yield (f"it is about {q} times too large: you counted samples of the raw "
                   f"recording (4 kHz), not steps of the downsampled series")
        if np.isclose(value, expected * s.step_seconds * 1e3, rtol=0.05):
            yield "it looks like milliseconds: the answer is in model steps"
        if np.isclose(value, np.mean(np.diff(spikes)), atol=0.51):
            yield "that is the mean interval; the exercise asks for the median"

    check_number("isi_steps", isi_steps, expected, rtol=0, atol=0.51, hints=hints,
                 what="median inter-spike interval of the training series, in steps")
    return passed(f"the median inter-spike interval is {expected:g} steps "
                  f"({expected * s.step_seconds * 1e3:.1f} ms)")


def _stored_cycle(run):
    from ..models import ShallowPLRNN
    from ..training.neuron_study import stored_results, unflatten_params

    data = stored_results(seed=run)
    s = data["settings"]
    model = ShallowPLRNN(**unflatten_params(data["checkpoint_params"][-1], s["M"], s["H"]))
    return model, data["final_cycle_points"]


def check_cycle_multiplier(rho, run=0):
    r"""Check the spectral radius of the final model's stable cycle's k-step Jacobian.

    The expected answer is :math:`\max_i |\lambda_i(P)|` with
    :math:`P = J(z_k) \cdots J(z_1)` along the stored cycle of chapter 9's trained shallow
    PLRNN, the matrix SCYFI solves with (Eisenmann et al., 2023); ``run`` is the model
    seed of the stored run.
    """
    require_answer("rho", rho)
    from ..cycles import cycle_candidate

    model, points = _stored_cycle(run)
    if points.shape[0] == 0:
        raise ExerciseError(f"the stored run {run} ends without an attracting cycle; use "
                            "the run the chapter analyses (run=focus)")
    regions = np.array([model.region(p) for p in points])
    expected = float(np.max(np.abs(np.linalg.eigvals(cycle_candidate(model,
                                                                     regions).jacobian))))
    def hints(value):
        jac = [model.jacobian(p) for p in points]
        reversed_product = np.eye(model.M)
        for J in jac:
            reversed_product = reversed_product @ J
        if np.isclose(value, np.max(np.abs(np.linalg.eigvals(reversed_product))), rtol=1e-6):
            yield ("you multiplied the Jacobians in reverse order: P = J_k ... J_1, "
                   "the latest step on the left")
        if any(np.isclose(value, np.max(np.abs(np.linalg.eigvals(J))), rtol=1e-6)
               for J in jac):
            yield ("that is the radius of one step's Jacobian, not of the product over the "
                   "whole cycle")
        if value > 1:
            yield "a stable cycle has every |eigenvalue| below 1"

    check_number("rho", rho, expected, rtol=1e-6, hints=hints,
                 what="spectral radius of P = J(z_k) ... J(z_1) along the cycle")
    return passed(f"the cycle's largest multiplier is {expected:.4g} < 1: it attracts")
