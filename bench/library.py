"""Benchmark: what the Bibliotheek costs the server, and what a loaded anonymiser costs everyone.

Prints, in one fresh process (so deduce is not loaded yet):

* the first load of the Bibliotheek page as a coördinator (AppTest, server time);
* the first anonymisation preview (loads deduce) and a second one;
* a full garbage collection, which Streamlit runs after every script run of every user
  (``runner.postScriptGC``) — before deduce is loaded, after it is loaded and frozen (how
  the app loads it), and after ``gc.unfreeze()`` (how it was: deduce's objects in the
  collector's generations).

Run it on an older checkout too (copy this file there) for the before figures.

    .venv/bin/python bench/library.py            # add --long 60: promote from a 60-minute call
    .venv/bin/python bench/library.py --only-long 60
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


TMP = ""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9.1f} ms"


def timed(fn, repeat: int = 1) -> float:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> None:
    global TMP
    tmp = TMP = tempfile.mkdtemp(prefix="ksf-bench-library-")
    os.environ.update(KSF_DATA_DIR=tmp, KSF_DEMO="0", KSF_WORKER="0")
    os.environ.pop("KSF_DATABASE_URL", None)
    from streamlit.testing.v1 import AppTest

    from ksf_review.adapters.anonymisation import text as anon
    from ksf_review.adapters.transcription import FakeEngine
    from ksf_review.config import load_settings
    from ksf_review.services import conversations as convs
    from ksf_review.services import exams, library, tagging
    from ksf_review.services.context import build_context
    from ksf_review.services.users import ensure_default_user, get_or_create_user

    engine = FakeEngine(segments=[])
    ctx = build_context(load_settings(), engine_factory=lambda: engine)
    user = ensure_default_user(ctx)
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exam = exams.create_exam(ctx, user, "Kandidaat Bench")
    conv = convs.add_text_conversation(
        ctx,
        user,
        exam.id,
        "K: Goedemiddag, u spreekt met Petra de Vries, mijn postcode is 3511 AB.\n"
        "M: Dank u wel mevrouw De Vries. Als ik u goed begrijp wilt u uw adres wijzigen?",
        channel="chat",
    )
    tags = [tagging.add_tag(ctx, user, conv.id, 0, 2, code, "+", "bench") for code in ("1.1b", "1.2a", "3.1")]

    print(f"python {sys.version.split()[0]}, cores {os.cpu_count()}")
    if "--only-long" in sys.argv:
        promote_from_long_call(ctx, engine, user, coord, int(sys.argv[sys.argv.index("--only-long") + 1]))
        return

    loaded = getattr(anon, "deduce_loaded", lambda: anon._deduce_instance is not None)
    warm = AppTest.from_string("from ksf_review.ui.context import app_context\napp_context()", default_timeout=600)
    warm.run()  # the app's shared context exists before anyone opens a page

    def page(who):
        at = AppTest.from_file(str(ROOT / "pages/bibliotheek.py"), default_timeout=600)
        at.session_state["user"] = who
        return at

    at = page(coord)
    first = timed(at.run)
    print(f"eerste keer Bibliotheek openen (coördinator)     {ms(first)}   deduce geladen: {loaded()}")
    again = timed(at.run, 3)
    print(f"Bibliotheek opnieuw (mediaan van 3)              {ms(again)}")

    def figures(label):
        collect = timed(lambda: gc.collect(2), 3)
        tracked = len(gc.get_objects())
        print(
            f"{label:<38} gc.collect(2) na elke klik {ms(collect)}   "
            f"objecten in generaties {tracked:>9,}   bevroren {gc.get_freeze_count():>9,}"
        )

    figures("voor laden anonimiseerder")
    t_prev = timed(lambda: library.preview(ctx, coord, tags[0].id))
    print(f"eerste voorbeeldweergave (laadt deduce)          {ms(t_prev)}")
    print(f"tweede voorbeeldweergave                         {ms(timed(lambda: library.preview(ctx, coord, tags[1].id), 3))}")
    figures("na laden, bevroren (zo laadt de app)")
    gc.unfreeze()
    figures("na laden, niet bevroren (vroeger)")
    gc.freeze()
    if "--long" in sys.argv:
        promote_from_long_call(ctx, engine, user, coord, int(sys.argv[sys.argv.index("--long") + 1]))
    ctx.db.dispose()


def promote_from_long_call(ctx, engine, user, coord, minutes: int) -> None:
    """Server time and peak memory of storing a 10-s example from a long stereo call."""
    import tracemalloc
    import wave

    import numpy as np

    from ksf_review.domain.transcript import Segment, Word
    from ksf_review.services import conversations as convs
    from ksf_review.services import exams, library, tagging
    from ksf_review.services import transcription_jobs as jobs

    path = Path(tempfile.mkdtemp(prefix="ksf-bench-library-", dir=os.environ["KSF_DATA_DIR"])) / "lang.wav"
    rate = 16000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        block = (0.2 * 32767 * np.sin(2 * np.pi * 300 * np.arange(rate * 60) / rate)).astype("<i2")
        for _ in range(minutes):
            w.writeframes(np.repeat(block, 2).tobytes())
    mid = minutes * 30.0
    words = tuple(
        Word(mid + i * 0.5, mid + i * 0.5 + 0.4, " " + t)
        for i, t in enumerate("Goedemiddag, met mevrouw Bakker, mijn postcode is 3511 AB".split())
    )
    engine.segments = [Segment(mid, mid + 5.0, "klant", " ".join(w.word.strip() for w in words), 1, words)]
    exam = exams.create_exam(ctx, user, "Lang gesprek")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "lang.wav", path)
    jobs.run_pending(ctx)
    tag = tagging.add_tag(ctx, user, conv.id, mid, mid + 5.0, "1.1a", "+", "lang")
    from ksf_review.adapters.anonymisation import warm_up

    warm_up()  # the anonymiser is loaded by the preview the curator saw before saving
    tracemalloc.start()
    t = timed(lambda: library.promote(ctx, coord, tag.id, before=2.5, after=2.5))
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    print(f"voorbeeld van 10 s opslaan uit een gesprek van {minutes} min    {ms(t)}   piek Python/numpy-geheugen {peak:.0f} MB")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        if TMP:  # only the bench's own temporary data dir
            shutil.rmtree(TMP, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)  # AppTest leaves non-daemon threads behind
