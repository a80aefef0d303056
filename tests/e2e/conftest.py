"""Shared e2e fixtures: a real Streamlit server and Debian's Chromium via Playwright.

``streamlit_server`` is a factory: ``url = streamlit_server(script_path, env={...})``
starts ``streamlit run <script>`` headless on a free port, waits for /_stcore/health and
stops it after the test (``streamlit_server_module``: after the module). ``browser`` launches /usr/bin/chromium once per session (the
Playwright browser download is not available here), ``page`` gives a fresh page.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit not healthy at {url} after {timeout:.0f} s")


class StreamlitServers:
    """Starts `streamlit run` processes and stops them all on close()."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.procs: list[tuple[subprocess.Popen, object]] = []

    def __call__(self, script_path: str | os.PathLike, env: dict | None = None, args: tuple = ()) -> str:
        port = free_port()
        log = open(self.log_dir / f"streamlit-{port}.log", "w+b")
        full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(script_path),
            "--server.headless", "true",
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *args,
        ]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((proc, log))
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc)
        except Exception as exc:
            log.seek(0)
            raise RuntimeError(f"{exc}\n{log.read().decode(errors='replace')[-3000:]}") from exc
        return url

    def close(self) -> None:
        for proc, log in self.procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
        self.procs.clear()


@pytest.fixture()
def streamlit_server(tmp_path_factory):
    """Factory: ``url = streamlit_server(script_path, env=None, args=())``; stopped after the test."""
    servers = StreamlitServers(tmp_path_factory.mktemp("streamlit-log"))
    yield servers
    servers.close()


@pytest.fixture(scope="module")
def streamlit_server_module(tmp_path_factory):
    """Same factory, but servers live for the whole test module (one server, many tests)."""
    servers = StreamlitServers(tmp_path_factory.mktemp("streamlit-log"))
    yield servers
    servers.close()


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        from tests.conftest import missing

        missing("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = ctx.new_page()
    yield pg
    ctx.close()
