"""Checks for the exercises of chapter 10 (the curse of memory)."""
from __future__ import annotations

import numpy as np

from ..memory.signal import sensitivity_second_moment
from ._feedback import ExerciseError, check_number, passed

__all__ = ["check_bert_sensitivity_ratio"]

#: The input model of exercise ex-10-bert-ratio (Zucchet and Orvieto, 2024): total variance,
#: variance of the correlated AR(1) part, its correlation, and the memory of the unit.
BERT_TOTAL_VARIANCE = 0.37
BERT_CORRELATED_VARIANCE = 0.044
BERT_RHO = 0.997
BERT_LAMBDA = 0.99


def check_bert_sensitivity_ratio(ratio):
    r"""Check the ratio of :math:`\mathbb{E}[(\partial_\lambda h)^2]` for BERT-like inputs
    (white noise of variance 0.326 plus an AR(1) part of variance 0.044 with
    :math:`\rho = 0.997`) to white noise of the same total variance 0.37, at
    :math:`\lambda = 0.99` (chapter 10; Zucchet and Orvieto, 2024, Section 2).

    Second moments of a linear unit driven by independent inputs add, each scaled by its
    variance, so the expected value is
    :math:`[0.326\,S(\lambda, 0) + 0.044\,S(\lambda, \rho)] / [0.37\,S(\lambda, 0)]` with
    :math:`S` = ``pl.memory.sensitivity_second_moment``.

    Parameters
    ----------
    ratio : float
        The student's ratio (BERT-like over white).

    Returns
    -------
    bool
        True (and a printed confirmation) when right; otherwise raises ExerciseError.
    """
    white_part = BERT_TOTAL_VARIANCE - BERT_CORRELATED_VARIANCE
    s_white = float(sensitivity_second_moment(BERT_LAMBDA, 0.0))
    s_corr = float(sensitivity_second_moment(BERT_LAMBDA, BERT_RHO))
    mixed = white_part * s_white + BERT_CORRELATED_VARIANCE * s_corr
    expected = mixed / (BERT_TOTAL_VARIANCE * s_white)
    if isinstance(ratio, (int, float, np.number)) and not isinstance(ratio, bool) \
            and ratio != 0:
        value = float(ratio)
        if np.isclose(value, 1 / expected, rtol=1e-4):
            raise ExerciseError(f"ratio is {value:.4g}, the inverse of the answer: divide the "
                                "BERT-like moment by the white-noise one")
        unweighted = (s_white + s_corr) / s_white
        if np.isclose(value, unweighted, rtol=1e-4):
            raise ExerciseError(f"ratio is {value:.4g}: the two input parts were not weighted "
                                "by their variances 0.326 and 0.044")
        only_corr = BERT_CORRELATED_VARIANCE * s_corr / (BERT_TOTAL_VARIANCE * s_white)
        if np.isclose(value, only_corr, rtol=1e-4):
            raise ExerciseError(f"ratio is {value:.4g}: the white part of the input "
                                "(variance 0.326) is missing from the numerator")
        if np.isclose(value, s_corr / s_white, rtol=1e-4):
            raise ExerciseError(f"ratio is {value:.4g}, the ratio for a purely correlated "
                                "input: the BERT-like input is mostly white noise")
    check_number("ratio", ratio, expected, rtol=1e-4,
                 what="E[(dh/dlambda)^2] of BERT-like over white inputs")
    return passed(f"correlated inputs make the sensitivity {expected:.1f} times larger.")
