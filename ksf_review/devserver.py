"""A local Streamlit server of this repository, for the end-to-end tests and the browser benchmarks.

One place for what both need (a bench must not import from tests): a free port on 127.0.0.1,
headless settings without usage statistics or file watching, the repository on PYTHONPATH, and
a wait for Streamlit's health endpoint; if the server does not come up, the error carries the
end of its log. The app itself never uses it; production runs `streamlit run app.py` (README).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from .config import child_environment

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT = (sys.executable, "-m", "streamlit")


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


@dataclass
class Server:
    """A started server: its URL, process and log (stdout and stderr)."""

    url: str
    proc: subprocess.Popen
    log_path: Path
    _log: IO = field(repr=False)

    def stop(self, timeout: float = 10.0) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


def start(
    script: str | os.PathLike,
    log_dir: Path,
    *,
    env: dict | None = None,
    args: tuple = (),
    launcher: tuple = STREAMLIT,
    timeout: float = 60.0,
) -> Server:
    """`streamlit run <script>` on a free port, returned once healthy (log: <log_dir>/streamlit-<port>.log).

    `env` is added to this process's environment; `args` go after the server options;
    `launcher` is the command that takes `run …` (a benchmark wraps Streamlit to time its runs).
    """
    port = free_port()
    log_path = Path(log_dir) / f"streamlit-{port}.log"
    cmd = [
        *launcher,
        "run",
        str(script),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=child_environment(PYTHONPATH=str(ROOT), **(env or {})), stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc, log_path, log)
    try:
        wait_healthy(server.url, proc, timeout)
    except Exception as exc:
        server.stop()
        raise RuntimeError(f"{exc}\n{log_path.read_bytes().decode(errors='replace')[-3000:]}") from exc
    return server
