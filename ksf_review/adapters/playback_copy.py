"""A compressed copy of a large recording, for the browser player only.

Streamlit's media manager keeps every file it serves in memory for as long as a session
shows it: a 45-minute stereo WAV at 44.1 kHz is ≈450 MB of server RAM per recording on
screen. The player therefore gets an Ogg/Opus copy (≈48 kbit/s, ≈16 MB for 45 minutes),
made once by the worker next to the original. The original stays the source for
transcription, the waveform and library clips, and the copy is deleted with it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

#: files at least this large and not already compressed get a playback copy
MIN_BYTES = 20 * 1024 * 1024
COMPRESSED = {".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".webm"}
SUFFIX = ".play.ogg"


class PlaybackCopyError(Exception):
    pass


def copy_path(original: Path) -> Path:
    return Path(original).with_name(Path(original).name.split(".")[0] + SUFFIX)


def needs_copy(original: Path) -> bool:
    p = Path(original)
    return p.suffix.lower() not in COMPRESSED and p.exists() and p.stat().st_size >= MIN_BYTES


def make_copy(original: Path, timeout: float = 1800) -> Path | None:
    """Encode the playback copy if the recording needs one (idempotent); returns its path."""
    original = Path(original)
    if not needs_copy(original):
        return None
    dst = copy_path(original)
    if dst.exists():
        return dst
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise PlaybackCopyError("ffmpeg ontbreekt: de opname wordt onverkleind afgespeeld.")
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.part")
    try:
        proc = subprocess.run(
            [
                ffmpeg,
                "-nostdin",
                "-v",
                "error",
                "-y",
                "-i",
                str(original),
                "-vn",
                "-map",
                "0:a:0",
                "-c:a",
                "libopus",
                "-b:a",
                "48k",
                "-application",
                "voip",
                "-f",
                "ogg",
                str(tmp),
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            raise PlaybackCopyError(f"afspeelkopie mislukt: {proc.stderr.strip()[:200]}")
        os.replace(tmp, dst)
    except subprocess.TimeoutExpired as exc:
        raise PlaybackCopyError("afspeelkopie duurde te lang") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return dst


def playback_file(original: Path, mimetype: str) -> tuple[Path, str]:
    """What the player should load: the copy once it exists, else the original."""
    copy = copy_path(original)
    if copy.exists():
        return copy, "audio/ogg"
    return Path(original), mimetype
