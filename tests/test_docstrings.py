"""Every public name of plrnn_lib has a docstring (the library reference is built from them).

Public = every name in the ``__all__`` list of ``plrnn_lib`` and of each public subpackage
(walked recursively), plus the public methods and properties of each public class, inherited
ones from plrnn_lib base classes included. Constants are documented by a ``#:`` comment (or a
string) next to their assignment. The walk is the one that writes the reference
(book/reference/plrnn_api.py), so a name this test accepts is a name the reference shows.
"""
import importlib
import inspect
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "reference"))
import plrnn_api  # noqa: E402

PACKAGES, OBJECTS = plrnn_api.walk_public_api()


def _has_doc(obj) -> bool:
    doc = inspect.getdoc(obj)
    return bool(doc and doc.strip())


def _member_doc(raw):
    if isinstance(raw, property):
        return raw.fget.__doc__ if raw.fget else None
    if isinstance(raw, (staticmethod, classmethod)):
        return raw.__func__.__doc__
    return getattr(raw, "__doc__", None)


def test_the_walk_finds_the_api():
    names = {n for pub in OBJECTS for n in pub.names}
    assert {"plrnn_lib.PLRNN", "plrnn_lib.ShallowPLRNN", "plrnn_lib.models.PLRNN"} <= names
    assert "plrnn_lib.plotting.use_book_style" in names
    assert {p.__name__ for p in PACKAGES} >= {"plrnn_lib", "plrnn_lib.models", "plrnn_lib.plotting"}


def test_every_all_entry_exists():
    for pkg in PACKAGES:
        for name in getattr(pkg, "__all__", []):
            assert hasattr(pkg, name), f"{pkg.__name__}.__all__ lists {name!r}, which it does not define"


@pytest.mark.parametrize("pkg", PACKAGES, ids=lambda p: p.__name__)
def test_public_package_has_docstring(pkg):
    assert _has_doc(pkg), f"package {pkg.__name__} has no docstring"


@pytest.mark.parametrize("pub", OBJECTS, ids=lambda p: p.documented_name)
def test_public_object_has_docstring(pub):
    if pub.kind == "data":
        assert plrnn_api.attribute_doc(pub), (
            f"constant {pub.documented_name} has no '#:' comment (or string) at its assignment")
        return
    own = pub.obj.__doc__
    assert own and own.strip(), f"{pub.kind} {pub.documented_name} has no docstring"
    if pub.kind == "class":
        missing = [name for name, raw in plrnn_api.public_members(pub.obj)
                   if not (_member_doc(raw) or "").strip()
                   and not _inherits_doc(pub.obj, name)]
        assert not missing, (f"{pub.documented_name}: public methods/properties without a docstring: "
                             f"{', '.join(missing)}")


def _inherits_doc(cls, name):
    """An override without a docstring inherits the base class's (inspect.getdoc does too)."""
    for klass in inspect.getmro(cls)[1:]:
        raw = vars(klass).get(name)
        if raw is not None and (_member_doc(raw) or "").strip():
            return True
    return False


def test_checker_flags_a_missing_docstring():
    """The check itself works: a class with an undocumented property is caught."""
    mod = importlib.import_module("plrnn_lib")

    class Undocumented:
        """Documented class."""

        @property
        def hidden(self):
            return 1

        def shown(self):
            """Documented method."""

    Undocumented.__module__ = mod.__name__
    members = dict(plrnn_api.public_members(Undocumented))
    assert set(members) == {"hidden", "shown"}
    assert not (_member_doc(members["hidden"]) or "").strip()
    assert (_member_doc(members["shown"]) or "").strip()
