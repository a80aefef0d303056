"""ksf_review.devserver: the one server start shared by the e2e tests and the browser benchmarks."""

from __future__ import annotations

import ast
import sys
import urllib.request
from pathlib import Path

import pytest

from ksf_review import devserver

ROOT = Path(__file__).resolve().parents[2]


def test_a_server_that_does_not_come_up_says_why(tmp_path):
    broken = (sys.executable, "-c", "print('kapotte server'); raise SystemExit(3)")
    with pytest.raises(RuntimeError) as err:
        devserver.start(ROOT / "app.py", tmp_path, launcher=broken, timeout=60)
    assert "exited early with code 3" in str(err.value) and "kapotte server" in str(err.value)  # the log's end


@pytest.mark.slow
def test_starts_a_script_on_a_free_port_and_stops_it(tmp_path):
    script = tmp_path / "hallo.py"
    script.write_text("import os\nimport streamlit as st\nst.write(os.environ['KSF_DEVSERVER_TEST'])\n")
    server = devserver.start(script, tmp_path, env={"KSF_DEVSERVER_TEST": "hallo"})
    try:
        assert server.url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=10) as r:
            assert r.status == 200
    finally:
        server.stop()
    assert server.proc.returncode is not None
    assert server.log_path.parent == tmp_path


def test_benchmarks_import_nothing_from_the_tests():
    for path in (ROOT / "bench").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n == "tests" or n.startswith("tests.") for n in names), path
