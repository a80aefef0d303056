"""CI runs exactly the README's test command, and that command checks the style before the tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text().splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    [command] = re.findall(r"# 2\. [^\n]*\n(.+)\n", readme)
    assert command in _commands(ROOT / ".ci" / "run")


def test_test_command_checks_style_before_pytest():
    steps = _commands(ROOT / "scripts" / "test.sh")
    ruff = next(i for i, s in enumerate(steps) if s.startswith(".venv/bin/ruff check"))
    fmt = next(i for i, s in enumerate(steps) if s.startswith(".venv/bin/ruff format --check"))
    pytest_ = next(i for i, s in enumerate(steps) if "-m pytest" in s)
    assert steps[0].startswith("set -e") and ruff < pytest_ and fmt < pytest_  # a ruff finding stops the run
    assert any(r.startswith("ruff==") for r in (ROOT / "requirements-dev.txt").read_text().split())


def test_complexity_limit_is_on():
    lint = tomllib.loads((ROOT / "ruff.toml").read_text())["lint"]
    assert "C901" in lint["select"] and lint["mccabe"]["max-complexity"] == 15
