"""Benchmark: server time of the review workspace on a 60-minute call (≈1,000 segments, 200 tags).

Measures, on SQLite (and PostgreSQL when KSF_BENCH_POSTGRES_URL is set), the median and
maximum wall time of what one "save a tag and show it" costs the server: add_tag, then the
reads the page does on the rerun (segments, tags, evidence) and building the player
payload. Prints milliseconds; nothing is asserted.

    .venv/bin/python bench/tagging.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ksf_review.adapters.transcription import FakeEngine  # noqa: E402
from ksf_review.config import load_settings  # noqa: E402
from ksf_review.domain.transcript import Segment, Word  # noqa: E402
from ksf_review.services import conversations as convs  # noqa: E402
from ksf_review.services import exams, scoring, tagging  # noqa: E402
from ksf_review.services import transcription_jobs as jobs  # noqa: E402
from ksf_review.services.context import build_context  # noqa: E402
from ksf_review.services.users import ensure_default_user  # noqa: E402
from ksf_review.ui.player.payload import build_payload  # noqa: E402

N_SEGMENTS, N_TAGS, DURATION = 1000, 200, 3600.0
ITEMS = ["1.1a", "1.1b", "1.1c", "1.1d", "1.2a", "1.2b", "1.2c", "1.3a", "2", "3.1", "3.2"]


def long_segments() -> list[Segment]:
    rnd = random.Random(7)
    out, step = [], DURATION / N_SEGMENTS
    for i in range(N_SEGMENTS):
        start = i * step
        words = tuple(
            Word(round(start + j * 0.25, 3), round(start + j * 0.25 + 0.2, 3), f" woord{j}", rnd.uniform(0.3, 1.0)) for j in range(12)
        )
        out.append(
            Segment(start, words[-1].end, "medewerker" if i % 2 == 0 else "klant", " ".join(w.word.strip() for w in words), i % 2, words)
        )
    return out


def silent_wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(np.zeros((int(DURATION * 8000), 2), dtype="<i2").tobytes())
    return path


def timed(fn, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def run(label: str, database_url: str | None) -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ["KSF_DATA_DIR"] = str(tmp / "data")
    settings = load_settings()
    if database_url:
        import dataclasses

        settings = dataclasses.replace(settings, database_url=database_url)
    segs = long_segments()
    ctx = build_context(settings, engine_factory=lambda: FakeEngine(segments=segs))
    user = ensure_default_user(ctx)
    exam = exams.create_exam(ctx, user, "Bench")
    conv = convs.add_audio_conversation(ctx, user, exam.id, "lang.wav", silent_wav(tmp / "lang.wav").read_bytes())
    jobs.run_pending(ctx)
    rnd = random.Random(1)
    for _ in range(N_TAGS):
        s = rnd.uniform(0, DURATION - 10)
        tagging.add_tag(ctx, user, conv.id, s, s + rnd.uniform(1, 8), rnd.choice(ITEMS), rnd.choice("+-"))

    def save():
        s = rnd.uniform(0, DURATION - 10)
        tagging.add_tag(ctx, user, conv.id, s, s + 3, rnd.choice(ITEMS), "+", "bench")

    def show():
        segments = convs.conversation_segments(ctx, user, conv.id)
        tags = tagging.list_tags(ctx, user, conv.id)
        payload = build_payload(
            audio_url="/media/x.wav",
            duration=DURATION,
            segments=[
                {"index": i, "start": s.start, "end": s.end, "speaker": s.speaker, "text": s.text, "words": [w.to_dict() for w in s.words]}
                for i, s in enumerate(segments)
            ],
            tags=[{"id": t.id, "start": t.start, "end": t.end, "item": t.item, "polarity": t.polarity, "note": t.note} for t in tags],
            peaks=None,
            items=[{"code": c, "label": c, "eindterm": c[0]} for c in ITEMS],
        )
        json.dumps(payload)

    def evidence():
        scoring.evidence_by_item(ctx, user, exam.id)

    print(f"\n## {label}: {N_SEGMENTS} segmenten, {N_TAGS}+ markeringen, {DURATION / 60:.0f} minuten")
    for name, fn, n in (
        ("markering opslaan (add_tag)", save, 30),
        ("pagina tonen: segmenten + markeringen + spelerpayload", show, 10),
        ("checklist: bewijs per item", evidence, 10),
    ):
        med, mx = timed(fn, n)
        print(f"{name:58} mediaan {med:7.1f} ms   max {mx:7.1f} ms   (n={n})")
    med_s, _ = timed(save, 10)
    med_v, _ = timed(show, 5)
    print(f"{'opslaan + opnieuw tonen (server)':58} ≈ {med_s + med_v:7.1f} ms")
    ctx.db.dispose()


if __name__ == "__main__":
    run("SQLite", None)
    if os.environ.get("KSF_BENCH_POSTGRES_URL"):
        run("PostgreSQL", os.environ["KSF_BENCH_POSTGRES_URL"])
