"""Part IV of the book (chapters 10 to 13): the curse of memory.

- :mod:`plrnn_lib.memory.signal`: one recurrent unit's second moments in closed form;
- :mod:`plrnn_lib.memory.montecarlo`: the same moments estimated by simulation;
- :mod:`plrnn_lib.memory.landscape`: the one-unit teacher-student loss, gradient and Hessian
  under three parametrisations;
- :mod:`plrnn_lib.memory.layers`: linear recurrent layers (dense, block diagonal, complex
  diagonal, LRU) with exact gradients, output Jacobians and Hessians;
- :mod:`plrnn_lib.memory.adam`: teacher-student training with Adam and its effective
  learning rates;
- :mod:`plrnn_lib.memory.students`: chapter 12's students and its training grid;
- :mod:`plrnn_lib.memory.deep`: chapter 13's deep recurrent stacks with exact gradients;
- :mod:`plrnn_lib.memory.views`: chapter 10's figure, live widget and animation.
"""
from .adam import (AdamResult, AdamState, adam_state, adam_update, cosine_rate, teacher_batch,
                   train_adam)
from .deep import (PARAMETER_GROUPS, RECURRENCES, DeepRecurrentNetwork, correlated_inputs,
                   deep_network, signal_propagation)
from .landscape import (PARAMETRISATIONS, lambda_from_parameters, one_unit_loss,
                        one_unit_loss_derivatives, parameters_from_lambda)
from .layers import (PARAMETER_NAMES, LinearRecurrentLayer, block_diagonal_layer,
                     complex_diagonal_from_dense, complex_diagonal_layer, dense_layer,
                     finite_difference_hessian, gauss_newton_hessian, linear_teacher, lru_layer,
                     remapped_eigenvalue_matrix, similarity_transform, to_dense)
from .montecarlo import (MonteCarloMoments, ar1_inputs, default_n_steps, monte_carlo_moments,
                         simulate_unit)
from .signal import (cross_moment, exponential_sensitivity_second_moment,
                     hidden_second_moment, normalisation_factor,
                     normalised_hidden_second_moment, normalised_sensitivity_second_moment,
                     sensitivity_second_moment)
from .students import (ARCHITECTURES, StudentResult, head_mask, make_student,
                       run_student_task, train_student)

# The views need matplotlib, which `import plrnn_lib` does not load: they are imported on
# first use, as plrnn_lib.plotting is.
_VIEWS = ("MAX_LAMBDA", "MemoryExplorer", "draw_memory_panels", "memory_animation",
          "memory_explorer")


def __getattr__(name):
    if name in _VIEWS:
        from . import views

        return getattr(views, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["cross_moment", "hidden_second_moment", "sensitivity_second_moment",
           "normalisation_factor", "normalised_hidden_second_moment",
           "normalised_sensitivity_second_moment", "exponential_sensitivity_second_moment",
           "ar1_inputs", "default_n_steps", "monte_carlo_moments", "MonteCarloMoments",
           "simulate_unit",
           "PARAMETRISATIONS", "lambda_from_parameters", "parameters_from_lambda",
           "one_unit_loss", "one_unit_loss_derivatives",
           "PARAMETER_NAMES", "LinearRecurrentLayer", "dense_layer", "block_diagonal_layer",
           "complex_diagonal_layer", "lru_layer", "linear_teacher", "remapped_eigenvalue_matrix",
           "to_dense", "similarity_transform", "complex_diagonal_from_dense",
           "gauss_newton_hessian", "finite_difference_hessian",
           "teacher_batch", "train_adam", "AdamResult", "AdamState", "adam_state", "adam_update",
           "cosine_rate",
           "ARCHITECTURES", "make_student", "head_mask", "train_student", "StudentResult",
           "run_student_task",
           "RECURRENCES", "PARAMETER_GROUPS", "DeepRecurrentNetwork", "deep_network",
           "correlated_inputs", "signal_propagation",
           "MAX_LAMBDA", "draw_memory_panels", "MemoryExplorer", "memory_explorer",
           "memory_animation"]
