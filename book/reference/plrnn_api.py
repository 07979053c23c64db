"""Sphinx extension that writes the library reference from plrnn_lib's ``__all__`` lists.

The public API is whatever the ``__all__`` lists say, walked recursively from ``plrnn_lib``
into its public subpackages; nobody has to keep a list of names in the book. Two directives:

``.. plrnn-api-summary::``
    one table per package: every public name, its kind and the first line of its docstring,
    linked to its full entry;
``.. plrnn-api::``
    one section per package: the package docstring, then every public class (with its public
    methods and properties, inherited ones included), function and constant, through
    ``sphinx.ext.autodoc`` (numpy-style docstrings read by ``sphinx.ext.napoleon``).

Each object is documented once, under its shortest public name (``plrnn_lib.PLRNN``, the name
readers type), in the section of the most specific package that exports it
(:mod:`plrnn_lib.models`). Its other names (``plrnn_lib.models.PLRNN``, the defining module's
``plrnn_lib.models.plrnn.PLRNN``) are registered as aliases, so cross-references written with
any of them resolve.

:func:`walk_public_api` is also used by ``tests/test_docstrings.py``.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import pprint
from dataclasses import dataclass, field
from types import ModuleType

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

ROOT_PACKAGE = "plrnn_lib"


@dataclass
class PublicObject:
    """One public object and every public name under which it can be imported."""

    obj: object
    names: list = field(default_factory=list)    # "plrnn_lib.models.PLRNN", ...

    @property
    def documented_name(self) -> str:
        """The shortest public name (the top-level one when there is one)."""
        return min(self.names, key=lambda n: (n.count("."), self.names.index(n)))

    @property
    def section(self) -> str:
        """The most specific package exporting it (its section in the reference)."""
        return max((n.rpartition(".")[0] for n in self.names),
                   key=lambda p: (p.count("."), -self.names.index(p + "." + self.short)))

    @property
    def short(self) -> str:
        return self.names[0].rpartition(".")[2]

    @property
    def kind(self) -> str:
        if inspect.isclass(self.obj):
            return "class"
        if callable(self.obj):
            return "function"
        return "data"

    @property
    def defined_in(self):
        """``module.qualname`` where a class or function is defined (None for data)."""
        mod = getattr(self.obj, "__module__", None)
        qual = getattr(self.obj, "__qualname__", None)
        if self.kind != "data" and mod and qual:
            return f"{mod}.{qual}"
        return None


def public_packages(root: str = ROOT_PACKAGE):
    """Public packages under ``root``, parents first: ``root`` and every subpackage (and every
    module named in an ``__all__``) whose dotted name has no component starting with ``_``."""
    seen, order = set(), []

    def visit(mod: ModuleType):
        if mod.__name__ in seen:
            return
        seen.add(mod.__name__)
        order.append(mod)
        children = []
        for name in getattr(mod, "__all__", []):
            value = getattr(mod, name, None)
            if isinstance(value, ModuleType) and value.__name__.startswith(root + "."):
                children.append(value)
        if hasattr(mod, "__path__"):
            for info in pkgutil.iter_modules(mod.__path__):
                if info.ispkg and not info.name.startswith("_"):
                    children.append(importlib.import_module(f"{mod.__name__}.{info.name}"))
        for child in children:
            visit(child)

    visit(importlib.import_module(root))
    return order


def walk_public_api(root: str = ROOT_PACKAGE):
    """Return ``(packages, objects)``: the public packages (parents first) and a list of
    :class:`PublicObject`, one per distinct object named in any of their ``__all__`` lists."""
    packages = public_packages(root)
    by_id: dict[int, PublicObject] = {}
    order: list[PublicObject] = []
    for pkg in packages:
        for name in getattr(pkg, "__all__", []):
            if not hasattr(pkg, name):
                raise AttributeError(f"{pkg.__name__}.__all__ lists {name!r}, which it does not define")
            value = getattr(pkg, name)
            if isinstance(value, ModuleType):
                continue
            # Constants such as strings or small ints may be shared by identity with unrelated
            # names; key data by (package-independent) name as well.
            key = id(value) if (inspect.isclass(value) or callable(value)) else (name, id(value))
            if key not in by_id:
                by_id[key] = PublicObject(value)
                order.append(by_id[key])
            by_id[key].names.append(f"{pkg.__name__}.{name}")
    return packages, order


def public_members(cls):
    """Public methods and properties of ``cls`` (inherited ones from plrnn_lib classes too),
    as ``(name, attribute)`` pairs; ``attribute`` is the raw class-dict entry."""
    out = []
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        for klass in inspect.getmro(cls):
            if name in vars(klass):
                owner, raw = klass, vars(klass)[name]
                break
        else:
            continue
        if not (owner.__module__ or "").startswith(ROOT_PACKAGE):
            continue     # from object, tuple, Enum, ...
        if isinstance(raw, (property, staticmethod, classmethod)) or inspect.isfunction(raw) \
                or inspect.isroutine(raw):
            out.append((name, raw))
    return out


def attribute_doc(pub: PublicObject) -> str:
    """The ``#:`` comment (or string after the assignment) documenting a public constant,
    looked up in the package that exports it and in every module of that package."""
    from sphinx.pycode import ModuleAnalyzer

    pkgs = {n.rpartition(".")[0] for n in pub.names}
    candidates = []
    for pkg_name in sorted(pkgs, key=lambda p: -p.count(".")):
        pkg = importlib.import_module(pkg_name)
        candidates.append(pkg_name)
        if hasattr(pkg, "__path__"):
            candidates += [f"{pkg_name}.{i.name}" for i in pkgutil.iter_modules(pkg.__path__)
                           if not i.ispkg]
    for modname in candidates:
        try:
            docs = ModuleAnalyzer.for_module(modname).find_attr_docs()
        except Exception:   # noqa: BLE001 - a module without source (compiled) has no comments
            continue
        lines = docs.get(("", pub.short))
        if lines and "".join(lines).strip():
            return "\n".join(lines).strip()
    return ""


def first_line(pub: PublicObject) -> str:
    doc = attribute_doc(pub) if pub.kind == "data" else (inspect.getdoc(pub.obj) or "")
    return doc.strip().split("\n\n")[0].replace("\n", " ").strip()


# -- the directives -------------------------------------------------------------------------------
def _package_title(pkg: ModuleType) -> str:
    """Section title: the package name (its docstring follows as the section's text)."""
    return f"``{pkg.__name__}``"


def _aliases(pub: PublicObject):
    names = set(pub.names)
    if pub.kind == "function" and pub.defined_in:
        names.add(pub.defined_in)   # classes get theirs from autodoc (":canonical:")
    names.discard(pub.documented_name)
    return sorted(names)


class _ApiDirective(SphinxDirective):
    has_content = False
    required_arguments = 0
    optional_arguments = 0

    def _render(self, lines):
        node = nodes.section() if self.name == "plrnn-api" else nodes.container()
        node.document = self.state.document
        content = StringList()
        source = f"<plrnn-api:{self.env.docname}>"
        for i, line in enumerate(lines):
            content.append(line, source, i)
        nested_parse_with_titles(self.state, content, node)
        return node.children


class PlrnnApiSummary(_ApiDirective):
    """A table per package of every public name, linked to its entry in the full reference."""

    def run(self):
        packages, objects = walk_public_api()
        lines = []
        for pkg in packages:
            mine = [p for p in objects if p.section == pkg.__name__]
            if not mine:
                continue
            lines += [f".. currentmodule:: {pkg.__name__}", "",
                      f".. rubric:: :mod:`{pkg.__name__}`", "",
                      ".. list-table::", "   :widths: 35 12 53", "   :header-rows: 0",
                      "   :class: plrnn-api-summary", ""]
            for pub in mine:
                role = {"class": "class", "function": "func", "data": "data"}[pub.kind]
                summary = first_line(pub) or "(no docstring)"
                lines += [f"   * - :py:{role}:`~{pub.documented_name}`",
                          f"     - {pub.kind}",
                          f"     - {summary}"]
            lines.append("")
        return self._render(lines)


def _value_repr(value) -> str:
    text = pprint.pformat(value, width=10_000, compact=True, sort_dicts=False)
    return text if len(text) <= 400 else text[:397] + "..."


class PlrnnApi(_ApiDirective):
    """The full reference: a section per public package."""

    def run(self):
        packages, objects = walk_public_api()
        py = self.env.get_domain("py")
        lines = []
        for pkg in packages:
            title = _package_title(pkg)
            lines += [title, "-" * max(len(title), 4), "",
                      f".. automodule:: {pkg.__name__}", "   :no-members:", ""]
            for pub in (p for p in objects if p.section == pkg.__name__):
                name = pub.documented_name
                others = [n for n in pub.names if n != name]
                if pub.kind == "class":
                    lines += [f".. autoclass:: {name}", "   :members:", "   :inherited-members:",
                              "   :undoc-members:", "   :show-inheritance:", ""]
                elif pub.kind == "function":
                    lines += [f".. autofunction:: {name}", ""]
                else:
                    module, _, short = name.rpartition(".")
                    lines += [f".. py:data:: {short}", f"   :module: {module}",
                              f"   :value: {_value_repr(pub.obj)}", ""]
                    doc = attribute_doc(pub)
                    lines += ["   " + line for line in doc.splitlines()] + [""]
                if others:
                    also = ", ".join(f"``{n}``" for n in others)
                    lines += [f"   *Also importable as* {also}.", ""] if pub.kind != "data" else []
                # Cross-references may use any public or defining name.
                objtype = {"class": "class", "function": "function", "data": "data"}[pub.kind]
                for alias in _aliases(pub):
                    if alias not in py.objects:
                        py.note_object(alias, objtype, name, aliased=True, location=None)
        return self._render(lines)


def _resolve_python_name(dotted: str):
    """Import ``dotted`` (a module path followed by attributes); raise if it does not exist."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


_DOCUMENTED: dict = {}


def _documented_names():
    """id(object) -> the name under which the reference documents it (cached per build)."""
    if not _DOCUMENTED:
        for pub in walk_public_api()[1]:
            if pub.kind != "data":
                _DOCUMENTED[id(pub.obj)] = (pub.documented_name, pub.obj)
    return _DOCUMENTED


def _resolve_plrnn_reference(app, env, node, contnode):
    """Resolve a Python reference that the domain could not, the way the docstring's author
    meant it: relative to the module that *defines* the documented object (docstrings are
    written there: ``:func:`default_outer_loops``` in ``plrnn_lib.cycles.scyfi``), whereas the
    reference shows the object under its public name (``plrnn_lib.find_cycles``).

    A name that is documented is linked to its entry; an existing but non-public plrnn_lib
    object (a helper class in a type hint, a private base class) is rendered as plain text.
    Names that do not exist at all stay unresolved, so ``-n`` still reports them.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "").lstrip("~.")
    contexts = []
    source = node.source or (node.parent.source if node.parent is not None else None) or ""
    if "docstring of " in source:
        dotted = source.rsplit("docstring of ", 1)[1].strip()
        parts = dotted.split(".")
        contexts += [".".join(parts[:i]) for i in range(len(parts) - 1, 0, -1)]
    module, cls = node.get("py:module"), node.get("py:class")
    if module and cls:
        contexts.append(f"{module}.{cls}")
    if module:
        contexts.append(module)
    candidates = [f"{c}.{target}" for c in contexts] + [target]
    for name in candidates:
        if not name.startswith(ROOT_PACKAGE + "."):
            continue
        try:
            obj = _resolve_python_name(name)
        except Exception:   # noqa: BLE001 - AttributeError, ImportError: not an object
            continue
        documented = _documented_names().get(id(obj))
        if documented is not None and documented[1] is obj:
            py = env.get_domain("py")
            for role in (node.get("reftype"), "obj"):
                found = py.resolve_xref(env, node.get("refdoc", ""), app.builder, role,
                                        documented[0], node, contnode)
                if found is not None:
                    return found
        return contnode
    return None


def setup(app):
    app.connect("missing-reference", _resolve_plrnn_reference)
    app.add_directive("plrnn-api", PlrnnApi)
    app.add_directive("plrnn-api-summary", PlrnnApiSummary)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
