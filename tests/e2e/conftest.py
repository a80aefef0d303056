"""Shared e2e fixtures: a real Streamlit server and Debian's Chromium via Playwright.

``streamlit_server`` is a factory: ``url = streamlit_server(script_path, env={...})``
starts ``streamlit run <script>`` headless on a free port, waits for /_stcore/health
(``ksf_review.devserver``, which the browser benchmarks use too) and stops it after the test
(``streamlit_server_module``: after the module). ``browser`` launches /usr/bin/chromium once per
session (the Playwright browser download is not available here), ``page`` gives a fresh page.

**Every interaction waits until the app is settled** (``settle``), before and after: no script
run in progress or requested (the websocket protocol, as Streamlit reports it, and the page's
stale elements) and no finite animation running. Why: on a loaded machine an action landed in
the middle of something and was lost. The CI failure of the library test was a selectbox
clicked while its expander was still opening (Streamlit animates the expander's height for
500 ms with ``overflow: hidden``; under load that took 2 s): the dropdown opened and closed
again before its option could be clicked. A run in progress re-draws the page around the
click (tabs back to the first, a dropdown re-created). The wrapping is automatic for
``Locator`` actions (click, fill, check, set_input_files, press, …) in every e2e test, so a
new test gets it too; ``settle(page)`` can be called directly (after ``page.goto`` or a
keyboard shortcut). Set ``KSF_E2E_TRACE=<dir>`` to keep a Playwright trace and a websocket
log of every test's page.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
import weakref
from pathlib import Path

import pytest

from ksf_review import devserver

ROOT = Path(__file__).resolve().parents[2]
SETTLE_TIMEOUT = 90.0  # s: a page run on a loaded machine (the first preview loads the anonymiser)

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--autoplay-policy=no-user-gesture-required",
]


class StreamlitServers:
    """Starts `streamlit run` processes (ksf_review.devserver, shared with the benchmarks) and stops them all on close()."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.servers: list[devserver.Server] = []

    def __call__(self, script_path: str | os.PathLike, env: dict | None = None, args: tuple = ()) -> str:
        server = devserver.start(script_path, self.log_dir, env=env, args=args)
        self.servers.append(server)
        return server.url

    def close(self) -> None:
        for server in self.servers:
            server.stop()
        self.servers.clear()


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
def page(browser, request):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    trace = os.environ.get("KSF_E2E_TRACE")
    if trace:
        ctx.tracing.start(screenshots=True, snapshots=True)
    pg = track_page(ctx.new_page())
    yield pg
    if trace:
        ctx.tracing.stop(path=str(Path(trace) / f"{request.node.name}-{time.time():.0f}.zip"))
    ctx.close()


# --- waiting until the app is settled -----------------------------------------------------------


class RunTracker:
    """What the websocket says about script runs: one is running, or one was asked for.

    A run starts with ``new_session`` and Streamlit reports ``session_status_changed`` when the
    app starts or stops running; a ``rerun_script`` the browser sent is pending until the next run
    starts. (Decoded with Streamlit's own protobuf classes.)
    """

    def __init__(self, log_path: Path | None = None):
        self.running = False
        self.pending = False
        self.log = open(log_path, "w") if log_path else None
        self.t0 = time.monotonic()

    def received(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        try:
            msg = ForwardMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
        except Exception:  # noqa: BLE001 - not a message of ours
            return
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.running, self.pending = True, False
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        self._note("<-", kind, msg)

    def sent(self, payload) -> None:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        try:
            msg = BackMsg.FromString(payload if isinstance(payload, bytes) else payload.encode())
        except Exception:  # noqa: BLE001
            return
        kind = msg.WhichOneof("type")
        if kind == "rerun_script":
            self.pending = True
        self._note("->", kind, msg)

    def _note(self, way, kind, msg) -> None:
        if self.log and kind not in ("delta", "app_heartbeat", "heartbeat_ack"):
            detail = {
                "script_finished": lambda: msg.script_finished,
                "page_info_changed": lambda: msg.page_info_changed.query_string,
                "rerun_script": lambda: f"{msg.rerun_script.query_string} fragment={msg.rerun_script.fragment_id}",
            }.get(kind, lambda: "")()
            self.log.write(f"{time.monotonic() - self.t0:8.3f} {way} {kind} {detail} running={self.running} pending={self.pending}\n")
            self.log.flush()

    def closed(self, _ws=None) -> None:
        """A reload or another page: what the old connection said no longer counts."""
        self.running = self.pending = False

    @property
    def busy(self) -> bool:
        return self.running or self.pending


def track(page) -> RunTracker:
    """Follow the page's Streamlit websocket (call before the page connects; idempotent)."""
    tracker = getattr(page, "_ksf_runs", None)
    if tracker is None:
        trace = os.environ.get("KSF_E2E_TRACE")
        tracker = RunTracker(Path(trace) / f"ws-{id(page)}-{time.time():.0f}.log" if trace else None)

        def on_ws(ws):
            ws.on("framereceived", tracker.received)
            ws.on("framesent", tracker.sent)
            ws.on("close", tracker.closed)

        page.on("websocket", on_ws)
        page._ksf_runs = tracker
    return tracker


# In the page: Streamlit's own script state (stApp's data-test-script-state: "rerunRequested" as
# soon as a widget asks for a rerun, "running" until the run ends); elements of the last run not
# drawn again yet are marked stale. Animations that end (an expander opening, a tab's indicator)
# must have ended; endless ones (a spinner) do not count. Two animation frames first, so what a
# click changed has been rendered.
_PAGE_BUSY = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const app = document.querySelector('[data-testid="stApp"]');
  const script = app ? app.dataset.testScriptState : '';
  if (['running', 'rerunRequested', 'stopRequested'].includes(script)) return 'script ' + script;
  if (document.querySelector('[data-stale="true"], [data-testid="stStatusWidgetRunningIcon"]')) return 'stale elements';
  const moving = document.getAnimations().filter(a => a.playState === 'running' && a.effect
                                                  && Number.isFinite(a.effect.getComputedTiming().endTime));
  return moving.length ? 'animating' : '';
}"""


def settle(page, timeout: float = SETTLE_TIMEOUT) -> None:
    """Wait until no script run is in progress or requested and nothing is animating."""
    from playwright.sync_api import Error

    tracker = getattr(page, "_ksf_runs", None)
    end = time.monotonic() + timeout
    state = "?"
    while time.monotonic() < end:
        try:
            state = page.evaluate(_PAGE_BUSY)  # also lets Playwright deliver the websocket events
        except Error as exc:  # navigating: the document is being replaced
            state = f"navigating ({exc.message.splitlines()[0]})"
        if not state and tracker is not None and tracker.busy:
            state = "script run" + (" requested" if tracker.pending else " in progress")
        if not state:
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"the app did not settle within {timeout:.0f} s (last: {state})")


#: Locator actions that can start a rerun or need the element where it will stay
SETTLED_ACTIONS = (
    "check",
    "clear",
    "click",
    "dblclick",
    "fill",
    "press",
    "press_sequentially",
    "select_option",
    "set_checked",
    "set_input_files",
    "tap",
    "type",
    "uncheck",
)


@pytest.fixture(autouse=True)
def settled_actions(monkeypatch, request):
    """Every Locator action in an e2e test waits for a settled app before and after it.

    A test module that reads a moving state right after a click (the player plays on) sets
    ``SETTLE_AFTER = False`` and waits for what it needs itself.
    """
    from playwright.sync_api import BrowserContext, Locator

    after = getattr(request.module, "SETTLE_AFTER", True)

    def wrap(original):
        def action(self, *args, **kwargs):
            settle(self.page)
            result = original(self, *args, **kwargs)
            if after:
                settle(self.page)
            return result

        action.__name__ = original.__name__
        action.__doc__ = original.__doc__
        return action

    for name in SETTLED_ACTIONS:
        monkeypatch.setattr(Locator, name, wrap(getattr(Locator, name)))

    new_page = BrowserContext.new_page

    def tracked_new_page(self, *args, **kwargs):
        return track_page(new_page(self, *args, **kwargs))

    monkeypatch.setattr(BrowserContext, "new_page", tracked_new_page)


#: the pages of this test process (Playwright's own objects; gone with their context)
_PAGES: weakref.WeakSet = weakref.WeakSet()


def track_page(page):
    track(page)
    _PAGES.add(page)
    return page


def pause(seconds: float) -> None:
    """Sleep while Playwright keeps delivering the browser's events.

    The sync API only takes in what the browser reported (a new URL, websocket frames) while
    Python is inside a Playwright call; a bare ``time.sleep`` froze ``page.url`` and the run
    tracker, so a poll of ``page.url`` could never see the URL change it waited for.
    """
    open_pages = [p for p in list(_PAGES) if not p.is_closed()]
    if open_pages:
        open_pages[0].wait_for_timeout(seconds * 1000)
    else:
        time.sleep(seconds)


# --- the app under test: data, seeding, login ---------------------------------------------------

PASSWORD = "e2e-wachtwoord-123"  # of every account the e2e tests make


def app_env(data: Path, **extra: str) -> dict[str, str]:
    """The environment of an app on its own data dir: no demo data, no worker, a known password."""
    return {"KSF_DATA_DIR": str(data), "KSF_DEMO": "0", "KSF_WORKER": "0", "KSF_ADMIN_PASSWORD": PASSWORD, **extra}


@contextlib.contextmanager
def app_context(env: dict[str, str], **build_kwargs):
    """The services' context on the app's data (e.g. to seed it or read what was stored).

    The settings are read from the environment, so `env` is set while the context is built and
    used, and the old environment comes back afterwards.
    """
    from ksf_review.config import load_settings
    from ksf_review.services.context import build_context

    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        ctx = build_context(load_settings(), **build_kwargs)
        try:
            yield ctx
        finally:
            ctx.db.dispose()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def admin_of(ctx):
    """The beheerder account (made on first use), logged in."""
    from ksf_review.services import accounts

    accounts.ensure_admin(ctx)
    return accounts.authenticate(ctx, "beheerder", PASSWORD)


def login(page, url: str, username: str = "beheerder", password: str = PASSWORD) -> None:
    """Log in on the app's start page and wait for the first page (Examens)."""
    page.goto(url)
    settle(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Examens").wait_for(timeout=60000)
    settle(page)


def wait(pred, what: str, timeout: float = 30.0):
    """Poll `pred` until it is truthy (returned) or fail with `what` and its last value."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        last = pred()
        if last:
            return last
        pause(0.1)
    raise AssertionError(f"timed out: {what} (last={last!r})")


def picker(page, label: str):
    """The selectbox with this label."""
    return page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text(label, exact=True)).first


def choose(page, label: str, option: str) -> None:
    """Pick the option (its text contains `option`) in the selectbox with this label."""
    picker(page, label).click()
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()


def with_env(env: dict[str, str], fn):
    """`fn(ctx)` on the app's data (see app_context); its result."""
    with app_context(env) as ctx:
        return fn(ctx)
