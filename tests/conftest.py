"""Shared fixtures: settings in a temp dir, an app context on SQLite or PostgreSQL, a fake engine."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest

from ksf_review import config
from ksf_review.adapters.transcription import FakeEngine
from ksf_review.domain.transcript import AGENT, CUSTOMER, Segment, Word
from ksf_review.services.context import build_context
from ksf_review.services.users import ensure_default_user

ROOT = Path(__file__).resolve().parents[1]
SPEECH_NL = ROOT.parent / "shared" / "data" / "speech_nl"
IN_CI = os.environ.get("CI") == "true"

#: the default checklist's 18 item codes, in order (tests that score a whole checklist)
ALL_ITEMS = [
    "1.1a",
    "1.1b",
    "1.1c",
    "1.1d",
    "1.1e",
    "1.1f",
    "1.1g",
    "1.2a",
    "1.2b",
    "1.2c",
    "1.2d",
    "1.3a",
    "1.3b",
    "1.3c",
    "1.3d",
    "2",
    "3.1",
    "3.2",
]


def missing(reason: str):
    """Skip locally, fail in CI: CI must run every kind of test."""
    if IN_CI:
        pytest.fail(f"in CI verplicht: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_url():
    """A PostgreSQL server: KSF_TEST_POSTGRES_URL, or one started by scripts/start_test_postgres.sh."""
    url = os.environ.get("KSF_TEST_POSTGRES_URL")
    if url:
        return url
    script = ROOT / "scripts" / "start_test_postgres.sh"
    try:
        out = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=120, check=True)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        missing(f"geen PostgreSQL-server beschikbaar ({getattr(exc, 'stderr', '') or exc})")
    return out.stdout.strip().splitlines()[-1]


def fake_segments() -> list[Segment]:
    return [
        Segment(
            0.5,
            2.5,
            AGENT,
            "Goedemiddag, u spreekt met Jan van Energie Plus.",
            0,
            (Word(0.5, 1.2, " Goedemiddag,", 0.9), Word(1.3, 2.5, " Jan", 0.4)),
        ),
        Segment(3.0, 5.0, CUSTOMER, "Ik heb een vraag over mijn jaarafrekening.", 1),
        Segment(5.5, 8.0, AGENT, "Als ik u goed begrijp is de afrekening hoger, klopt dat?", 0),
    ]


def timed_segments(lines: list[tuple[str, str]], start: float = 0.5) -> list[Segment]:
    """Segments with word timings for (speaker, text) lines: 0.3-s words 0.35 s apart, 0.6 s between turns."""
    out, t = [], start
    for spk, text in lines:
        words = []
        for w in text.split():
            words.append(Word(round(t, 2), round(t + 0.3, 2), " " + w, 0.9))
            t += 0.35
        out.append(Segment(words[0].start, words[-1].end, spk, text, 0 if spk == AGENT else 1, tuple(words)))
        t += 0.6
    return out


def library_example(**fields) -> dict:
    """One example of a library manifest: a chat passage without audio unless `fields` say otherwise."""
    return {"item": "1.1b", "label": "goed", "channel": "chat", "description": "x", "excerpt": "y", "duration": 0, "audio": None} | fields


def library_doc(*examples) -> dict:
    return {"format": "ksf-review-library", "version": 1, "examples": list(examples)}


def library_zip(manifest, files=None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A library zip as `library.export_zip` writes it: manifest.json (a dict, or raw text to test damage) and files."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        if manifest is not None:
            zf.writestr("manifest.json", manifest if isinstance(manifest, (str, bytes)) else json.dumps(manifest))
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("KSF_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KSF_DEMO", "0")
    monkeypatch.setenv("KSF_WORKER", "0")
    monkeypatch.delenv("KSF_DATABASE_URL", raising=False)
    # the beheerder's password the tests log in with (a test that needs none replaces ctx.settings)
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    yield config.reload_settings()  # the process-wide settings too: pages under AppTest read those
    config.settings.cache_clear()  # the next reader sees the environment as monkeypatch restores it


@pytest.fixture
def engine():
    return FakeEngine(segments=fake_segments())


def _pg_database(server: str) -> tuple[str, str]:
    import psycopg

    name = "ksf_test_" + uuid.uuid4().hex[:10]
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}", name


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db_url(request, settings):
    if request.param == "sqlite":
        yield settings.database_url
        return
    server = request.getfixturevalue("pg_url")
    url, name = _pg_database(server)
    yield url
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def ctx(settings, engine):
    c = build_context(settings, engine_factory=lambda: engine)
    yield c
    c.db.dispose()


@pytest.fixture
def any_ctx(settings, engine, any_db_url):
    s = dataclasses.replace(settings, database_url=any_db_url)
    c = build_context(s, engine_factory=lambda: engine)
    yield c
    c.db.dispose()


@pytest.fixture
def user(ctx):
    return ensure_default_user(ctx)


def make_wav(path: Path, seconds: float = 2.0, channels: int = 2, rate: int = 16000, freq: float = 440.0) -> Path:
    """A real WAV file (numpy + wave), for decoding tests without external tools."""
    import numpy as np

    t = np.arange(int(seconds * rate)) / rate
    return write_wav(path, np.stack([0.3 * np.sin(2 * np.pi * freq * (c + 1) * t) for c in range(channels)], axis=1), rate)


def write_wav(path: Path, samples, rate: int = 16000) -> Path:
    """16-bit WAV from float samples in [-1, 1], shape (n,) for mono or (n, channels)."""
    import wave

    import numpy as np

    data = (np.clip(samples, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1 if data.ndim == 1 else data.shape[1])
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(data.tobytes())
    return path


def have(tool: str) -> bool:
    return shutil.which(tool) is not None


def ffmpeg_convert(src: Path, dst: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(src), *args, str(dst)], check=True)
    return dst
