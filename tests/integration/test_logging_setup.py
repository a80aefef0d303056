"""The server log stays at INFO: start-up quiets the libraries, the anonymiser writes no DEBUG."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest

from ksf_review.logs import QUIET_LIBRARIES, configure_logging

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def test_configure_logging_sets_root_info_and_libraries_warning():
    root = logging.getLogger()
    old = root.level
    try:
        root.setLevel(logging.DEBUG)
        configure_logging()
        assert root.level == logging.INFO
        for name in ("deduce", "docdeid"):
            assert name in QUIET_LIBRARIES
            assert not logging.getLogger(name).isEnabledFor(logging.INFO)
        assert logging.getLogger("ksf_review.services").isEnabledFor(logging.INFO)
        assert not logging.getLogger("ksf_review.services").isEnabledFor(logging.DEBUG)
    finally:
        root.setLevel(old)


@pytest.mark.slow
def test_app_start_then_anonymiser_writes_no_debug_lines(tmp_path):
    """As in the server: build the app context, then load and run the Dutch anonymiser."""
    script = textwrap.dedent(f"""
        import logging, os
        os.environ["KSF_DATA_DIR"] = {str(tmp_path / "data")!r}
        os.environ["KSF_DEMO"] = "0"
        os.environ["KSF_WORKER"] = "0"
        from ksf_review.config import load_settings
        from ksf_review.services.context import build_context
        build_context(load_settings())
        from ksf_review.adapters.anonymisation.text import deduce_available, detect_pii
        assert deduce_available()
        detect_pii("Goedemiddag, u spreekt met Jan Bakker, mijn postcode is 1234 AB.")
        logging.getLogger("docdeid").debug("docdeid-debug-marker")
        logging.getLogger("ksf_review.test").info("ksf-info-marker")
        import sys
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(0)  # skip tearing down deduce's millions of objects (a minute under load)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    log = out.stdout + out.stderr
    assert "DEBUG" not in log, log[:2000]
    assert "docdeid-debug-marker" not in log
    assert "ksf-info-marker" in log
