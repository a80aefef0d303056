"""Probe an uploaded file in a separate process with a time limit (hostile input).

A malicious or broken file must not hang the app: the check runs in a child process that
is killed after `timeout` seconds. It decodes the whole stream once, so the duration we
store is what is really there, not what a (possibly lying) header claims.

    python -m ksf_review.adapters.audio_guard FILE   → prints one JSON line
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .audio import AudioError, AudioInfo, probe

_STREAMING_SIZES = (0, 0xFFFFFFFF)  # recorders that write to a pipe leave these in the header


def _declared_wav_seconds(path: Path, channels: int, rate: int) -> float | None:
    """What a WAV header claims (data chunk size), which FFmpeg silently caps to the file."""
    import struct

    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return None
    pos, bits = 12, 16
    while pos + 8 <= len(head):
        cid, size = head[pos : pos + 4], struct.unpack("<I", head[pos + 4 : pos + 8])[0]
        if cid == b"fmt " and pos + 24 <= len(head):
            bits = struct.unpack("<H", head[pos + 22 : pos + 24])[0] or 16
        if cid == b"data":
            if size in _STREAMING_SIZES:
                return None
            return size / (channels * rate * bits / 8)
        pos += 8 + size + (size & 1)
    return None


def _check(path: Path) -> dict:
    import av

    info = probe(path)
    samples = 0
    with av.open(str(path), metadata_errors="ignore") as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate or info.sample_rate
        try:
            for frame in container.decode(stream):
                samples += frame.samples
        except av.FFmpegError:
            if samples == 0:
                raise AudioError(f"'{path.name}' kan niet gedecodeerd worden (beschadigd bestand).") from None
    real = samples / float(rate)
    if real <= 0.05:
        raise AudioError(f"'{path.name}' bevat geen hoorbare audio.")
    claimed = info.duration
    if info.format == "wav":
        claimed = max(claimed, _declared_wav_seconds(path, info.channels, info.sample_rate) or 0.0)
    return info.__dict__ | {"duration": round(real, 3), "header_duration": round(claimed, 3)}


def probe_with_limit(path: Path, name: str, timeout: float = 120.0) -> tuple[AudioInfo, list[str]]:
    """AudioInfo with the decoded duration, plus Dutch warnings; AudioError when unusable."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "ksf_review.adapters.audio_guard", str(path)], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise AudioError(f"'{name}' kon niet binnen {timeout:.0f} seconden gelezen worden en is geweigerd.") from None
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise AudioError(f"'{name}' kan niet als audio gelezen worden (controle afgebroken).") from None
    if "error" in out:
        raise AudioError(out["error"].replace(Path(path).name, name))
    warnings = []
    header = out.pop("header_duration")
    if header and header > 2 * out["duration"] and header - out["duration"] > 60:
        raise AudioError(
            f"'{name}' is beschadigd of gemanipuleerd: de kop belooft {header / 60:.0f} min, maar er "
            f"zit maar {out['duration']:.0f} s audio in. Het bestand is geweigerd."
        )
    if header and abs(header - out["duration"]) > max(2.0, 0.05 * out["duration"]):
        warnings.append(
            f"De kop van '{name}' noemt een duur van {header / 60:.0f} min, maar er zit "
            f"{out['duration'] / 60:.1f} min audio in; de echte duur is gebruikt."
        )
    return AudioInfo(**out), warnings


def main(argv: list[str]) -> int:
    try:
        print(json.dumps(_check(Path(argv[0]))))
    except AudioError as exc:
        print(json.dumps({"error": str(exc)}))
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable audio"
        print(json.dumps({"error": f"'{Path(argv[0]).name}' kan niet als audio gelezen worden ({type(exc).__name__})."}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
