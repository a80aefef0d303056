"""The domain gets its rubric passed in: it reads neither files nor the environment."""

from __future__ import annotations

import re
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "ksf_review" / "domain"


def test_rubric_module_reads_no_files():
    src = (DOMAIN / "rubric.py").read_text(encoding="utf-8")
    assert not re.search(r"^\s*(import os|from pathlib|from importlib|import json)", src, re.M)
    assert "read_text" not in src and "open(" not in src
