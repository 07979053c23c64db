"""Part III of the book: training PLRNNs (chapters 6-9).

- :func:`loss_and_grad`: the GTF loss and its exact gradient by BPTT (numba);
- :func:`train` and :class:`TrainingHistory`: the training loop of every later chapter;
- :class:`Adam`, :class:`RAdam`, :class:`GradientDescent`: optimisers over named parameters;
- :class:`AdaptiveAlpha`, :class:`SparseForcing`, :func:`alpha_threshold`: forcing rules
  for :func:`train` (adaptive GTF, sparse teacher forcing) and Theorem 3's threshold;
- :func:`detect_jumps`, :func:`explain_jumps`: loss jumps in a training curve and the
  bifurcations crossed by the updates around them;
- :func:`state_space_divergence`, :func:`power_spectrum_distance`: how well a freely running
  model reproduces the data's geometry and time scales (D_stsp, D_H);
- :func:`load_membrane_recordings`, :func:`prepare_series`, :func:`cut_windows`: the
  recorded neuron of chapter 9, made ready for training.
"""
from .forcing import (AdaptiveAlpha, SparseForcing, alpha_threshold, forced_jacobian_norms,
                      jacobian_growth, norm_bound, optimal_alpha)
from .gradients import gradient_norm, loss, loss_and_grad
from .jumps import JumpExplanation, LossJump, detect_jumps, explain_jumps, segment_family
from .optimizers import Adam, GradientDescent, Optimizer, RAdam
from .measures import power_spectrum_distance, smoothed_power_spectrum, state_space_divergence
from .recordings import (MembraneRecordings, cut_windows, load_membrane_recordings,
                         prepare_series)
from .trainer import TrainingHistory, train

__all__ = ["loss_and_grad", "loss", "gradient_norm", "train", "TrainingHistory", "Optimizer",
           "Adam", "RAdam", "GradientDescent", "detect_jumps", "LossJump",
           "explain_jumps", "JumpExplanation", "segment_family",
           "state_space_divergence", "power_spectrum_distance", "smoothed_power_spectrum",
           "MembraneRecordings", "load_membrane_recordings", "prepare_series", "cut_windows",
           "AdaptiveAlpha", "SparseForcing", "alpha_threshold", "norm_bound",
           "forced_jacobian_norms", "jacobian_growth", "optimal_alpha"]
