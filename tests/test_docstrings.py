"""Every public name of plrnn_lib has a docstring (the library reference is built from them).

Public = every name in the ``__all__`` list of ``plrnn_lib`` and of each public subpackage
(walked recursively), plus the public methods and properties of each public class, inherited
ones from plrnn_lib base classes included. Constants are documented by a ``#:`` comment (or a
string) next to their assignment. The walk is the one that writes the reference
(book/reference/plrnn_api.py), so a name this test accepts is a name the reference shows.

The reference promises that every mathematical object (each public function and class outside
``plrnn_lib.plotting``) gives the equation it implements and the paper it comes from: its own
docstring must hold a math expression (a ``:math:`` role or a ``.. math::`` directive) and a
dated citation such as "(Eisenmann et al., 2023)" or "Hess et al. (2023)".  A dataclass
without a docstring gets an automatic ``__doc__`` (its signature, "Name(a: int, b)"), which
counts as missing.
"""
import dataclasses
import importlib
import inspect
import re
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


def _auto_dataclass_doc(cls):
    """The ``__doc__`` that ``dataclasses`` writes for an undocumented dataclass, or None."""
    if not (inspect.isclass(cls) and dataclasses.is_dataclass(cls)):
        return None
    try:
        text_sig = str(inspect.signature(cls)).replace(" -> None", "")
    except (TypeError, ValueError):
        text_sig = ""
    return cls.__name__ + text_sig


def _own_doc(obj) -> str:
    """The object's own docstring (not inherited), '' when missing or auto-generated."""
    doc = obj.__doc__ if isinstance(obj.__doc__, str) else ""
    if inspect.isclass(obj) and doc.startswith(f"{obj.__name__}(") \
            and doc == _auto_dataclass_doc(obj):
        return ""
    return doc.strip()


#: A math expression in reStructuredText: the inline role or the directive.
MATH = re.compile(r":math:`[^`]+`|^\s*\.\. math::", re.MULTILINE)
#: A dated citation: "(Eisenmann et al., 2023, ...)", "(...; Hess et al., 2023)",
#: "(Doya, 1992)" or "Eisenmann et al. (2023)".
CITATION = re.compile(
    r"\([^()]*\b[A-Z][\w-]+(?:\s+et\s+al\.|\s+and\s+[A-Z][\w-]+)?,\s*(?:19|20)\d\d\b"
    r"|\b[A-Z][\w-]+(?:\s+et\s+al\.|\s+and\s+[A-Z][\w-]+)?\s+\((?:19|20)\d\d\)")


def _math_and_citation_problems(doc: str) -> list:
    problems = []
    if not MATH.search(doc):
        problems.append("no math expression (:math:`...` or .. math::)")
    if not CITATION.search(doc):
        problems.append('no dated citation such as "(Eisenmann et al., 2023)"')
    return problems


def _mathematical_objects():
    """Public functions and classes outside plrnn_lib.plotting and plrnn_lib.exercises (the
    exercises' checks give feedback, not equations), each object once."""
    seen, out = set(), []
    for pub in OBJECTS:
        if pub.kind == "data" or id(pub.obj) in seen:
            continue
        seen.add(id(pub.obj))
        module = getattr(pub.obj, "__module__", "") or ""
        if any(module == p or module.startswith(p + ".")
               for p in ("plrnn_lib.plotting", "plrnn_lib.exercises")):
            continue
        out.append(pub)
    return out


MATHEMATICAL = _mathematical_objects()


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
    assert _own_doc(pub.obj), f"{pub.kind} {pub.documented_name} has no docstring"
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


def test_the_mathematical_objects_are_found():
    names = {n for pub in MATHEMATICAL for n in pub.names}
    assert {"plrnn_lib.PLRNN", "plrnn_lib.find_cycles", "plrnn_lib.bifurcations.locate"} <= names
    assert not any(".plotting." in n for n in names)
    assert len({id(pub.obj) for pub in MATHEMATICAL}) == len(MATHEMATICAL)


@pytest.mark.parametrize("pub", MATHEMATICAL, ids=lambda p: p.documented_name)
def test_mathematical_object_gives_equation_and_paper(pub):
    """The reference's promise: the equation the object implements and the paper it is from."""
    problems = _math_and_citation_problems(_own_doc(pub.obj))
    assert not problems, f"{pub.kind} {pub.documented_name} ({pub.defined_in}): {'; '.join(problems)}"


def test_checker_flags_an_undocumented_dataclass():
    """A dataclass without a docstring has an automatic __doc__ (its signature): missing."""

    @dataclasses.dataclass
    class Undocumented:
        a: int
        b: float = 0.0

    @dataclasses.dataclass
    class Documented:
        """Documented(a) is the record of :math:`a` (Eisenmann et al., 2023)."""

        a: int

    assert Undocumented.__doc__.startswith("Undocumented(")   # the loophole exists
    assert _own_doc(Undocumented) == ""
    assert _math_and_citation_problems(_own_doc(Undocumented))
    assert _own_doc(Documented).startswith("Documented(a) is")
    assert not _math_and_citation_problems(_own_doc(Documented))


def test_checker_recognises_math_and_citations():
    assert not _math_and_citation_problems(r"Solve :math:`(I - P) z = c` (Eisenmann et al., 2023).")
    assert not _math_and_citation_problems(
        "Text.\n\n.. math:: x = 1\n\nAs in Hess et al. (2023).")
    assert not _math_and_citation_problems(
        ":math:`x` (Eisenmann et al., 2023, eq. 2; Hess et al.,\n2023, for the shallow PLRNN)")
    assert _math_and_citation_problems("Solve (I - P) z = c (Eisenmann et al., 2023).")
    assert _math_and_citation_problems(r"Solve :math:`(I - P) z = c` as Eisenmann et al. do.")
    assert _math_and_citation_problems(r":math:`x` (see the 2023 paper)")
