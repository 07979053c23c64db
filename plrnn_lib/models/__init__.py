"""Part I of the book: the models (chapter 1)."""
from .base import AffineParts, PiecewiseAffineModel
from .examples import TOY_PLRNN_PARAMETERS, toy_plrnn
from .plrnn import PLRNN
from .shallow import ShallowPLRNN

__all__ = ["PiecewiseAffineModel", "PLRNN", "ShallowPLRNN", "TOY_PLRNN_PARAMETERS", "toy_plrnn"]
