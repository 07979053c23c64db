"""Checks for the book's coding exercises: ``pl.exercises.check_...(answer)``.

Each chapter's checks live in a module ``chNN_<topic>.py`` of this package and are collected
here, so ``pl.exercises.check_fixed_point(z)`` works in every notebook. A check prints
``Correct: ...`` and returns True, or raises :class:`ExerciseError` (an AssertionError) whose
message names the mistake and how far off the answer is.
"""
from __future__ import annotations

import importlib
import pkgutil

from ._feedback import ExerciseError, check_array, check_number, passed

__all__ = ["ExerciseError"]

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("ch"):
        _module = importlib.import_module(f".{_info.name}", __name__)
        for _name in getattr(_module, "__all__", ()):
            globals()[_name] = getattr(_module, _name)
            __all__.append(_name)
del _info
