"""docs/architecture.md names every subpackage and top-level module, so a newcomer finds them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ksf_review"


def test_every_subpackage_and_top_level_module_is_described():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    layers = [f"ksf_review/{p.parent.name}/" for p in PACKAGE.glob("*/__init__.py")]
    packages = [f"`{p.parent.name}/`" for p in PACKAGE.glob("*/*/__init__.py")]
    modules = [f"`{p.name}`" for p in PACKAGE.glob("*.py") if not p.name.startswith("__")]
    assert [name for name in (*layers, *packages, *modules) if name not in doc] == []
