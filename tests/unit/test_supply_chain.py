"""Supply chain: scripts/setup.sh leaves current pip and setuptools in the venv, and CI needs no
vulnerability service (pip-audit is run by hand, see docs/security.md)."""

import re
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _release(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.match(r"\d+(?:\.\d+)*", v).group().split("."))


def test_venv_has_patched_pip_and_setuptools():
    # CI runs scripts/setup.sh first: a venv left with Python 3.11's bundled setuptools 65.5 fails here
    assert _release(version("setuptools")) >= (78, 1, 1), version("setuptools")
    assert _release(version("pip")) >= (25, 3), version("pip")


def test_ci_does_not_depend_on_a_vulnerability_service():
    for script in (ROOT / "scripts" / "setup.sh", ROOT / ".ci" / "run"):
        assert "pip-audit" not in script.read_text(encoding="utf-8"), script
    assert "pip-audit" not in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8")
