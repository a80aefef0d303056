"""The layers of ``ksf_review`` (docs/architecture.md): dependencies point downward only.

Read from the source with ``ast`` (nothing is imported), so the check takes milliseconds
and also sees imports inside functions.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "ksf_review"


@cache
def _imports(path: Path) -> frozenset[str]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = parts[:-1]  # the package a relative import starts from (also for __init__.py)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return frozenset(found)


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _offending(layer: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    out = {}
    for path in _modules(layer):
        bad = sorted(m for m in _imports(path) if any(m == f or m.startswith(f + ".") for f in forbidden))
        if bad:
            out[str(path.relative_to(PACKAGE.parent))] = bad
    return out


def test_the_import_reader_resolves_relative_imports():
    assert "ksf_review.adapters.storage.models" in _imports(PACKAGE / "services" / "audit.py")
    assert "ksf_review.domain.pii.spans" in _imports(PACKAGE / "domain" / "pii" / "__init__.py")


@pytest.mark.parametrize(
    "layer, forbidden",
    [
        ("domain", ("ksf_review.adapters", "ksf_review.services", "ksf_review.ui", "streamlit", "sqlalchemy")),
        ("adapters", ("ksf_review.services", "ksf_review.ui", "streamlit")),
        ("services", ("ksf_review.ui", "streamlit")),
        # the UI asks services and sees view objects: no database models or sessions, no files read
        # or written by hand, no export rendered without its audit record
        ("ui", ("ksf_review.adapters", "sqlalchemy")),
    ],
)
def test_dependencies_point_downward(layer, forbidden):
    assert _offending(layer, forbidden) == {}


def test_pages_see_no_database():
    """The pages and app.py (Streamlit scripts beside the package) use services, not models."""
    scripts = [*sorted((PACKAGE.parent / "pages").glob("*.py")), PACKAGE.parent / "app.py"]
    bad = {p.name: sorted(m for m in _imports(p) if m.startswith(("ksf_review.adapters.storage", "sqlalchemy"))) for p in scripts}
    assert {k: v for k, v in bad.items() if v} == {}
