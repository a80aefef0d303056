"""Benchmark: interaction budget of the examiner's pages (#14.9, #14.10), click to settled page.

Seeds a database with a 60-minute call (1,000 segments with word timings, 200 tags) in an
exam with the 18-item checklist, starts the app (`streamlit run app.py`) on it and drives
Debian's Chromium through Playwright: log in, open Beoordelen, save a tag, accept a
suggestion, click scores on the Checklist. A figure is the time from the click until the
app reports its script run finished (``data-test-script-state`` back to ``notRunning``),
so it includes the browser round trip; the server's own script-run times are printed too
(the app logs them when KSF_TIMING=1), with what those runs built for the browser (kB of
messages, options of selectboxes, multiselects and radios) and the kB the page received over
its websocket (less: Streamlit sends a message of ≥ 10 kB the browser already has as a hash).

    .venv/bin/python bench/interaction.py                # one examiner
    .venv/bin/python bench/interaction.py --two          # two examiners at once while a
                                                         # real call is transcribed in the app
Nothing is asserted; budgets (#14.9): score click, tag save, suggestion accept ≤ 0.3 s;
opening Beoordelen ≤ 1.5 s. With --two the app's own worker (on SQLite a niced child process
of the web process, #14.10) transcribes a real call meanwhile.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review import devserver  # noqa: E402
from ksf_review.adapters.transcription import FakeEngine  # noqa: E402
from ksf_review.config import load_settings  # noqa: E402
from ksf_review.domain.transcript import Segment, Word  # noqa: E402
from ksf_review.services import accounts, exams, scoring, suggestions, tagging  # noqa: E402
from ksf_review.services import conversations as convs  # noqa: E402
from ksf_review.services import transcription_jobs as jobs  # noqa: E402
from ksf_review.services.context import build_context  # noqa: E402

N_SEGMENTS, N_TAGS, DURATION = 1000, 200, 3600.0
PASSWORD = "bench-wachtwoord-123"
EXAMINERS = ("examinator1", "examinator2")


def sample_lines() -> list[tuple[str, str]]:
    """Real Dutch call lines (with the cues the suggestion rules look for) from sample_audio."""
    out = []
    for f in sorted((ROOT / "sample_audio").glob("*.json")):
        for t in json.loads(f.read_text(encoding="utf-8")).get("turns") or ():
            if t.get("text") and t.get("speaker") in ("medewerker", "klant"):
                out.append((t["speaker"], t["text"]))
    return out


def long_segments() -> list[Segment]:
    """1,000 segments over 60 minutes, turns alternating, words timed evenly."""
    lines = sample_lines()
    rnd = random.Random(7)
    out, step = [], DURATION / N_SEGMENTS
    for i in range(N_SEGMENTS):
        speaker, text = lines[i % len(lines)]
        tokens = text.split()
        span = step * 0.9 / len(tokens)
        start = i * step
        words = tuple(
            Word(round(start + j * span, 3), round(start + (j + 1) * span - 0.02, 3), " " + tok, rnd.uniform(0.4, 1.0))
            for j, tok in enumerate(tokens)
        )
        out.append(Segment(round(start, 3), words[-1].end, speaker, text, 0 if speaker == "medewerker" else 1, words))
    return out


def tone_wav(path: Path, seconds: float = DURATION, rate: int = 8000) -> Path:
    """A stereo WAV with a soft tone in alternating 3.6-s blocks (so the waveform is not flat)."""
    n = int(seconds * rate)
    t = np.arange(n, dtype=np.float32) / rate
    on = ((t // (DURATION / N_SEGMENTS)).astype(int) % 2) == 0
    tone = (0.2 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    data = np.stack([tone * on, tone * ~on], axis=1)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((data * 32767).astype("<i2").tobytes())
    return path


def seed(data_dir: Path) -> dict:
    """The database of the benchmark: per examiner an exam with the 60-min call and 200 tags."""
    os.environ.update({"KSF_DATA_DIR": str(data_dir), "KSF_DEMO": "0", "KSF_WORKER": "0", "KSF_ADMIN_PASSWORD": PASSWORD})
    os.environ.pop("KSF_DATABASE_URL", None)
    settings = load_settings()
    segs = long_segments()
    ctx = build_context(settings, engine_factory=lambda: FakeEngine(segments=segs))
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", PASSWORD)
    wav = tone_wav(data_dir.parent / "lang.wav").read_bytes()
    rnd = random.Random(1)
    out = {}
    for name in EXAMINERS:
        examiner = accounts.create_user(ctx, admin, name, "examinator", PASSWORD, display_name=name.capitalize())
        exam = exams.create_exam(ctx, examiner, f"Kandidaat van {name}")
        conv = convs.add_audio_conversation(ctx, examiner, exam.id, "lang-gesprek.wav", wav, title="Lang gesprek (60 min)")
        jobs.run_pending(ctx)
        # the worker stores a call's suggestions after transcribing it; the second examiner's
        # copy of the same recording got the cached transcript at upload, without a job
        suggestions.warm_suggestions(ctx, conv.id)
        items = [it.code for it in scoring.exam_rubric(ctx, exam.id).items]
        for _ in range(N_TAGS):
            s = rnd.uniform(0, DURATION - 10)
            tagging.add_tag(ctx, examiner, conv.id, s, s + rnd.uniform(1, 8), rnd.choice(items), rnd.choice("+-"), "bench")
        out[name] = {"exam": exam.id, "conv": conv.id, "items": items}
    ctx.db.dispose()
    return out


# --------------------------------------------------------------------------- the browser side

#: resolves when the app's script state went to running and then stayed not-running for
#: QUIET ms (a follow-up rerun, e.g. the player reporting, counts to the same interaction);
#: the value is ms from the start of the wait to the last moment it stopped running
WATCH = """
(quiet) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const t0 = performance.now();
  window.__ksfSeen = false;
  window.__ksfSettled = new Promise((resolve) => {
    let seen = false, last = null, timer = null;
    const check = () => {
      const s = app.getAttribute('data-test-script-state');
      if (s === 'running' || s === 'rerunRequested') {
        seen = window.__ksfSeen = true; last = null; if (timer) { clearTimeout(timer); timer = null; }
      } else if (seen && last === null) {
        last = performance.now() - t0;
        timer = setTimeout(() => { obs.disconnect(); resolve(last); }, quiet);
      }
    };
    const obs = new MutationObserver(check);
    obs.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  });
}
"""
QUIET_MS = 400
#: a suggestion's accept button (key sa<conversation><suggestion>); CSS, not a role query (see `settled`)
ACCEPT = '[class*="st-key-sa"] button:has-text("Accepteren")'
TAB = '[role="tab"]'


RUNLOG = Path(tempfile.gettempdir()) / f"ksf-bench-runs-{os.getpid()}.log"


def serve(argv: list[str]) -> None:
    """`streamlit <argv>` with every script run (page or fragment) timed into KSF_BENCH_RUNLOG."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
    from streamlit.web import cli

    real, real_enqueue = ScriptRunner._run_script, ScriptRunContext.enqueue
    path = os.environ["KSF_BENCH_RUNLOG"]
    built = threading.local()  # per script thread (two examiners: two threads)

    def counted(self, msg):
        """What a run builds for the browser: bytes of its messages and options of its pickers,
        counted before Streamlit replaces a message of ≥ 10 kB the browser already has by a
        hash reference (what goes over the wire is the bench's *kB ontvangen*)."""
        if hasattr(built, "bytes"):
            built.bytes += msg.ByteSize()
            if msg.WhichOneof("type") == "delta" and msg.delta.WhichOneof("type") == "new_element":
                kind = msg.delta.new_element.WhichOneof("type")
                if kind in ("selectbox", "multiselect", "radio"):
                    built.options += len(getattr(msg.delta.new_element, kind).options)
        return real_enqueue(self, msg)

    profile_dir = os.environ.get("KSF_BENCH_PROFILE")  # a cProfile dump per script run, to see why

    def timed(self, rerun_data):
        prof = None
        if profile_dir:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        built.bytes = built.options = 0
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            return real(self, rerun_data)
        finally:
            took, cpu = time.perf_counter() - t0, time.thread_time() - c0
            kind = "fragment" if rerun_data.fragment_id_queue else "page"
            with open(path, "a") as f:
                f.write(f"{time.time():.3f} {kind} {took:.4f} {cpu:.4f} {built.bytes} {built.options}\n")
            if prof is not None:
                prof.disable()
                prof.dump_stats(os.path.join(profile_dir, f"{time.time():.3f}-{kind}-{took:.2f}.prof"))

    ScriptRunner._run_script = timed
    ScriptRunContext.enqueue = counted
    sys.argv = ["streamlit", *argv]
    sys.exit(cli.main())


def server_runs(since: float) -> list[tuple[str, float, float, float, int, int]]:
    """The script runs the server finished after `since` (epoch s): (page|fragment, seconds, end,
    CPU seconds of the script thread, bytes built for the browser, picker options built). The CPU
    time hardly depends on what else the machine runs (the wall time does, several-fold on a
    loaded 2-core machine): compare it across runs."""
    if not RUNLOG.exists():
        return []
    out = []
    for line in RUNLOG.read_text().splitlines():
        t, kind, secs, cpu, built, options = line.split()
        if float(t) >= since:
            out.append((kind, float(secs), float(t), float(cpu), int(built), int(options)))
    return out


def start_app(data_dir: Path, worker: bool, log_dir: Path) -> devserver.Server:
    """The app on the benchmark's database, through this script's `--serve` (which times every script run)."""
    env = {"KSF_DATA_DIR": str(data_dir), "KSF_DEMO": "0", "KSF_WORKER": "1" if worker else "0", "KSF_BENCH_RUNLOG": str(RUNLOG)}
    return devserver.start(
        ROOT / "app.py", log_dir, env=env, launcher=(sys.executable, str(Path(__file__).resolve()), "--serve"), timeout=120
    )


def settled(page, target, timeout_s: float = 30.0) -> tuple[float, list]:
    """Seconds from a click on `target` until the page settled, and the server's script runs meanwhile.

    `target` is a Playwright locator (or a callable that clicks). The locator is resolved to
    its element before the clock starts: resolving a role locator (``get_by_role(..., name=)``)
    computes accessible names over the whole document, which with a 60-minute call's player
    (≈15,000 word elements) took Playwright itself 2–5 s of the browser's main thread: that is
    the measuring tool, not the app.
    """
    if callable(target):
        action = target
    else:
        handle = target.element_handle(timeout=timeout_s * 1000)
        action = handle.click
    page.evaluate(WATCH, QUIET_MS)
    since = time.time()
    t0 = time.perf_counter()
    action()
    race = "(ms) => Promise.race([window.__ksfSettled, new Promise((_, no) => setTimeout(() => no(new Error('niet klaar')), ms))])"
    deadline = t0 + timeout_s
    while True:
        try:
            page.evaluate(race, 3000)
            return time.perf_counter() - t0 - QUIET_MS / 1000, server_runs(since)
        except Exception:
            # a quick fragment run can go by without the page ever showing "running"; then the
            # end of the server's last run is the best we know (it leaves out the browser's part)
            runs = server_runs(since)
            if runs and not page.evaluate("() => window.__ksfSeen") and time.time() - max(r[2] for r in runs) > QUIET_MS / 1000:
                return max(r[2] for r in runs) - since, runs
            if time.perf_counter() > deadline:
                raise


def login(page, url: str, name: str) -> None:
    page.goto(url)
    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("heading", name="Examens").wait_for(timeout=120000)
    page.wait_for_timeout(500)


class Examiner:
    """One examiner's browser context and the figures it measured."""

    def __init__(self, browser, url: str, name: str, info: dict):
        self.name, self.info, self.url = name, info, url
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.figures: dict[str, list[float]] = {}
        self.server: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        self.kinds: dict[str, set] = {}
        self.kbytes: dict[str, list[float]] = {}  # kB on the wire (websocket frames the page received)
        self.built: dict[str, list[float]] = {}  # kB of the messages the server's runs built
        self.options: dict[str, list[int]] = {}  # options of the selectboxes, multiselects and radios built
        self.received = 0  # bytes the app sent this page over its websocket (deltas of every rerun)
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _count(self, payload) -> None:
        self.received += len(payload)

    def timed(self, what: str, target, timeout_s: float = 30.0) -> None:
        """Click `target` (see `settled`) and note the time, the server's runs and the bytes the app sent."""
        before = self.received
        measured = settled(self.page, target, timeout_s=timeout_s)
        self.note(what, measured, self.received - before)

    def note(self, what: str, measured: tuple[float, list], received: int = 0) -> None:
        seconds, runs = measured
        self.figures.setdefault(what, []).append(seconds)
        self.kbytes.setdefault(what, []).append(received / 1000)
        self.built.setdefault(what, []).append(sum(r[4] for r in runs) / 1000)
        self.options.setdefault(what, []).append(sum(r[5] for r in runs))
        # with two examiners the other one's runs overlap: the log cannot tell them apart
        self.server.setdefault(what, []).append(sum(r[1] for r in runs))
        self.cpu.setdefault(what, []).append(sum(r[3] for r in runs))
        self.kinds.setdefault(what, set()).update(r[0] for r in runs)
        print(
            f"  {self.name} {what}: {seconds:.2f} s (server {self.server[what][-1]:.2f} s, cpu {self.cpu[what][-1]:.2f} s, "
            f"{'+'.join(r[0] for r in runs)}, {self.built[what][-1]:.1f} kB gebouwd met {self.options[what][-1]} opties, "
            f"{received / 1000:.1f} kB ontvangen)",
            flush=True,
        )

    def open_review(self) -> None:
        page = self.page
        t0 = time.perf_counter()
        self.timed("Beoordelen openen", page.get_by_role("link", name="Beoordelen"), timeout_s=600)
        page.locator(TAB, has_text="Markeren").wait_for(timeout=60000)
        # a long call's suggestions are computed in the background: the page does not wait for them
        page.locator(ACCEPT).first.wait_for(state="attached", timeout=600000)  # CSS: a role query polls the whole DOM
        self.figures.setdefault("suggesties zichtbaar", []).append(time.perf_counter() - t0)
        self.server.setdefault("suggesties zichtbaar", []).append(0.0)
        for values in (self.kbytes, self.built, self.options):
            values.setdefault("suggesties zichtbaar", []).append(0)
        self.cpu.setdefault("suggesties zichtbaar", []).append(0.0)
        self.kinds.setdefault("suggesties zichtbaar", set()).add("-")
        print(f"  {self.name} suggesties zichtbaar na {time.perf_counter() - t0:.2f} s", flush=True)
        page.wait_for_timeout(1500)  # the page rerun that draws them, and its quiet time

    def open_checklist(self) -> None:
        page = self.page
        self.timed("Checklist openen", page.get_by_role("link", name="Checklist"), timeout_s=600)
        page.locator('[data-testid="stRadio"]').first.wait_for(timeout=60000)

    def tag_save(self, code: str) -> None:
        page = self.page
        page.locator(TAB, has_text="Markeren").click()
        form = page.locator('[data-testid="stForm"]').filter(has_text="Nieuwe markering")
        form.get_by_label("Toetstermen").click()
        page.keyboard.type(code)
        page.keyboard.press("Enter")
        form.get_by_label("Notitie").fill("bench")
        self.timed("markering opslaan", form.get_by_role("button", name="Markering opslaan"))

    def accept(self) -> None:
        page = self.page
        page.locator(TAB, has_text="Suggesties").click()
        button = page.locator(ACCEPT).first
        button.wait_for(timeout=60000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]').getAttribute('data-test-script-state') === 'notRunning'",
            timeout=120000,
        )
        self.timed("suggestie accepteren", button, timeout_s=120)

    def score_clicks(self, n: int, start: int = 0) -> None:
        page = self.page
        radios = page.locator('[data-testid="stRadio"]')
        for i in range(start, start + n):
            radio = radios.nth(i % len(self.info["items"]))
            behaald = radio.locator('input[type="radio"]').first.is_checked()  # always a change
            option = radio.get_by_text("niet behaald" if behaald else "behaald", exact=True)
            self.timed("score klikken", option, timeout_s=8)

    def session(self, rounds: int) -> None:
        login(self.page, self.url, self.name)
        for r in range(rounds):
            self.open_review()
            self.tag_save(self.info["items"][r % len(self.info["items"])])
            self.accept()
            self.open_checklist()
            self.score_clicks(6, start=6 * r)


def report(examiners: list[Examiner], title: str) -> None:
    print(f"\n## {title}")
    print(
        f"{'':11} {'handeling':22} {'n':>3} {'klik→klaar mediaan':>18} {'max':>6} {'server mediaan':>15} {'max':>6} "
        f"{'cpu mediaan':>12} {'max':>6} {'kB gebouwd':>11} {'opties':>7} {'kB ontvangen':>13}  runs        budget"
    )
    budget = {"Beoordelen openen": 1.5, "markering opslaan": 0.3, "suggestie accepteren": 0.3, "score klikken": 0.3}
    for ex in examiners:
        for what, values in ex.figures.items():
            b = budget.get(what)
            srv, cpu = ex.server[what], ex.cpu[what]
            print(
                f"{ex.name:11} {what:22} {len(values):3d} {statistics.median(values):18.2f} {max(values):6.2f} "
                f"{statistics.median(srv):15.2f} {max(srv):6.2f} {statistics.median(cpu):12.2f} {max(cpu):6.2f} "
                f"{statistics.median(ex.built[what]):11.1f} {statistics.median(ex.options[what]):7.0f} "
                f"{statistics.median(ex.kbytes[what]):13.1f}  "
                f"{'+'.join(sorted(ex.kinds[what])):11} "
                f"{'≤ ' + str(b) + ' s' if b else ''}"
            )


def two_rounds(examiners: list[Examiner], rounds: int) -> None:
    """Playwright's sync API is bound to one thread: the examiners alternate step by step,
    each waiting for its own page while the other's page stays open."""
    for r in range(rounds):
        for ex in examiners:
            ex.open_review()
        for ex in examiners:
            ex.tag_save(ex.info["items"][r])
        for ex in examiners:
            ex.accept()
        for ex in examiners:
            ex.open_checklist()
        for ex in examiners:
            ex.score_clicks(6, start=6 * r)


def transcribe_in_app(data_dir: Path) -> int:
    """Queue a real sample call (Whisper, in the app's worker) in a third exam; returns its job id."""
    os.environ["KSF_DATA_DIR"] = str(data_dir)
    ctx = build_context(load_settings())
    admin = accounts.authenticate(ctx, "beheerder", PASSWORD)
    exam = exams.create_exam(ctx, admin, "Lopende transcriptie")
    conv = convs.add_audio_conversation(
        ctx, admin, exam.id, "jaarafrekening-goed.ogg", (ROOT / "sample_audio" / "jaarafrekening-goed.ogg").read_bytes()
    )
    job = convs.get_conversation(ctx, admin, conv.id).job_id
    ctx.db.dispose()
    return job


def job_state(data_dir: Path, job_id: int):
    os.environ["KSF_DATA_DIR"] = str(data_dir)
    ctx = build_context(load_settings())
    try:
        return jobs.job_progress(ctx, job_id)
    finally:
        ctx.db.dispose()


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        serve(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--two", action="store_true", help="two examiners at once during a real transcription")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--checklist-only", action="store_true", help="only open the checklist and click 18 scores")
    ap.add_argument("--seeded", type=Path, help="reuse a database seeded before (a copy is used)")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="ksf-bench-"))
    if args.seeded:
        shutil.copytree(args.seeded, tmp / "data")
        info = json.loads((args.seeded / "bench.json").read_text())
    else:
        t0 = time.perf_counter()
        info = seed(tmp / "data")
        (tmp / "data" / "bench.json").write_text(json.dumps(info))
        print(f"database gevuld in {time.perf_counter() - t0:.0f} s: {tmp / 'data'}")
    job = transcribe_in_app(tmp / "data") if args.two else None
    load = os.getloadavg()
    server = start_app(tmp / "data", worker=args.two, log_dir=tmp)
    url = server.url
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium") or "/usr/bin/chromium", headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            names = EXAMINERS if args.two else EXAMINERS[:1]
            examiners = [Examiner(browser, url, n, info[n]) for n in names]
            if args.two:
                # Playwright's sync API is bound to one thread: the examiners alternate step by
                # step, each waiting for its own page, while the other's page stays open
                login(examiners[0].page, url, examiners[0].name)
                login(examiners[1].page, url, examiners[1].name)
                try:
                    two_rounds(examiners, args.rounds)
                except Exception:
                    for ex in examiners:
                        ex.page.screenshot(path=str(tmp / f"fout-{ex.name}.png"), full_page=True)
                    print(f"fout; schermafbeeldingen in {tmp}, log {server.log_path}")
                    report(examiners, "tot de fout")
                    raise
                state = job_state(tmp / "data", job)
                print(f"transcriptie tijdens de meting: {state[0]}, {state[1]:.0%}")
            else:
                try:
                    if args.checklist_only:
                        login(examiners[0].page, url, examiners[0].name)
                        examiners[0].open_checklist()
                        examiners[0].score_clicks(18)
                    else:
                        examiners[0].session(args.rounds)
                except Exception:
                    examiners[0].page.screenshot(path=str(tmp / "fout.png"), full_page=True)
                    print(f"fout; schermafbeelding {tmp / 'fout.png'}, log {server.log_path}")
                    report(examiners, "tot de fout")
                    raise
            browser.close()
    finally:
        server.stop(timeout=30)
    title = (
        "twee examinatoren tegelijk, transcriptie loopt" if args.two else "één examinator"
    ) + f" — {N_SEGMENTS} segmenten, {N_TAGS} markeringen, 60 min, 18 items; load vooraf {load[0]:.1f}/{load[1]:.1f}"
    report(examiners, title)


if __name__ == "__main__":
    main()
