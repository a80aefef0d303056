"""Render the sample phone calls to stereo Ogg Opus and write the measured turn timings back.

The JSON files next to this script are the source: each phone call's turns (speaker + text)
are spoken with Debian's ``espeak-ng`` (two clearly different Dutch voices), laid out on a
stereo timeline with natural pauses — medewerker on the LEFT channel, klant on the RIGHT,
the usual call-centre format — and encoded with ``ffmpeg`` (libopus, 16 kHz). The start and
end of every turn are measured from the placed samples (leading/trailing silence trimmed),
so the timings in the JSON are exact to a few milliseconds. Output is deterministic: the
pauses come from a hash of the conversation id, not from a random generator.

Needs (Debian): ``apt-get install espeak-ng sox ffmpeg`` (sox is optional, only for
listening/inspection; the renderer itself uses espeak-ng and ffmpeg) and the project venv
(numpy, scipy). The app never needs this script: the rendered ``.ogg`` files are committed.

Run from the repository root::

    .venv/bin/python sample_audio/render.py                  # all phone calls, JSON updated
    .venv/bin/python sample_audio/render.py --only storing-goed
    .venv/bin/python sample_audio/render.py --out-dir /tmp/try --no-write-json \\
        --agent-voice nl+m3 --speed 130 --gap 3            # try other voice settings

Voice settings were chosen by word error rate of the bundled Whisper model (see
``bench/sample_wer.py`` and ``docs/samples.md``): a word gap (``-g``) helps most.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.signal import resample_poly

HERE = Path(__file__).resolve().parent
SAMPLE_RATE = 16000
BITRATE = "24k"
LEAD_IN = 0.4  # seconds of silence before the first turn
TAIL = 0.6  # seconds of silence after the last turn
SILENCE_LEVEL = 0.01  # |sample| below this (of full scale) counts as silence when trimming


@dataclass(frozen=True)
class Voice:
    """espeak-ng settings for one speaker: voice+variant, speed (wpm), pitch (0-99), word gap (10 ms units)."""

    name: str
    speed: int = 150
    pitch: int = 50
    gap: int = 6

    def args(self) -> list[str]:
        return ["-v", self.name, "-s", str(self.speed), "-p", str(self.pitch), "-g", str(self.gap)]


#: medewerker voice per demo candidate (Robin = A, Mark = B)
AGENT_VOICES = {"A": Voice("nl+m1", pitch=45), "B": Voice("nl+m1", pitch=30)}
#: default klant voice (the callers are mostly women) and the male callers
CUSTOMER_VOICE = Voice("nl+f5", pitch=60)
CUSTOMER_VOICES = {
    "storing-goed": Voice("nl+m3", pitch=25),
    "partner-goed": Voice("nl+m3", pitch=25),
    "partner-slecht": Voice("nl+m3", pitch=25),
}


def _pause_after(conv_id: str, index: int, turn: dict, next_turn: dict | None) -> float:
    """A natural, deterministic pause: 0.45-0.95 s between speakers, longer after 'een ogenblikje'."""
    if next_turn is None:
        return 0.0
    text = turn["text"].lower()
    if turn["speaker"] == "medewerker" and "ogenblik" in text:
        return 2.6  # the agent looks something up
    digest = hashlib.sha256(f"{conv_id}:{index}".encode()).digest()
    base = 0.45 + (digest[0] / 255) * 0.5
    if next_turn["speaker"] == turn["speaker"]:
        base += 0.3
    return round(base, 3)


def _speak(text: str, voice: Voice, workdir: Path) -> np.ndarray:
    """espeak-ng → mono float32 at SAMPLE_RATE with leading/trailing silence trimmed."""
    out = workdir / "turn.wav"
    subprocess.run(["espeak-ng", *voice.args(), "-w", str(out), text], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with wave.open(str(out), "rb") as w:
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float32) / 32768.0
    if rate != SAMPLE_RATE:
        g = np.gcd(rate, SAMPLE_RATE)
        pcm = resample_poly(pcm, SAMPLE_RATE // g, rate // g).astype(np.float32)
    loud = np.flatnonzero(np.abs(pcm) > SILENCE_LEVEL)
    if loud.size == 0:
        raise RuntimeError(f"espeak-ng produced silence for: {text!r}")
    return pcm[loud[0] : loud[-1] + 1]


def render_conversation(doc: dict, out_path: Path, agent: Voice, customer: Voice) -> list[dict]:
    """Render one phone call to `out_path` (Ogg Opus, stereo); return its turns with start/end."""
    conv_id = doc["id"]
    pieces: list[tuple[int, int, np.ndarray]] = []  # (channel, start sample, audio)
    turns = []
    t = LEAD_IN
    with tempfile.TemporaryDirectory() as tmp:
        for i, turn in enumerate(doc["turns"]):
            voice = agent if turn["speaker"] == "medewerker" else customer
            audio = _speak(turn["text"], voice, Path(tmp))
            start = int(round(t * SAMPLE_RATE))
            channel = 0 if turn["speaker"] == "medewerker" else 1
            pieces.append((channel, start, audio))
            end = start + len(audio)
            turns.append({**turn, "start": round(start / SAMPLE_RATE, 2), "end": round(end / SAMPLE_RATE, 2)})
            nxt = doc["turns"][i + 1] if i + 1 < len(doc["turns"]) else None
            t = end / SAMPLE_RATE + _pause_after(conv_id, i, turn, nxt)
        total = int(round((t + TAIL) * SAMPLE_RATE))
        stereo = np.zeros((total, 2), dtype=np.float32)
        for channel, start, audio in pieces:
            stereo[start : start + len(audio), channel] += audio
        peak = float(np.max(np.abs(stereo))) or 1.0
        stereo *= 0.8 / peak
        pcm = (stereo * 32767).astype("<i2")
        wav_path = Path(tmp) / "call.wav"
        with wave.open(str(wav_path), "wb") as w:
            w.setnchannels(2)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            w.writeframes(pcm.tobytes())
        out_path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "ffmpeg",
                "-y",
                "-loglevel",
                "error",
                "-i",
                str(wav_path),
                "-c:a",
                "libopus",
                "-b:a",
                BITRATE,
                "-application",
                "voip",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                str(out_path),
            ],
            check=True,
        )
    return turns


def phone_calls(sample_dir: Path = HERE) -> list[tuple[Path, dict]]:
    """All ground-truth files of channel 'telefoon', sorted by id."""
    out = []
    for path in sorted(sample_dir.glob("*.json")):
        if path.name == "manifest.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("channel") == "telefoon":
            out.append((path, doc))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", nargs="*", help="conversation ids to render (default: all phone calls)")
    p.add_argument("--out-dir", type=Path, default=HERE, help="where the .ogg files go (default: next to the JSON)")
    p.add_argument("--no-write-json", action="store_true", help="do not write the measured timings back")
    p.add_argument("--agent-voice", help="override the medewerker voice, e.g. nl+m3")
    p.add_argument("--customer-voice", help="override the klant voice, e.g. nl+f3")
    p.add_argument("--speed", type=int, help="override the speed (words per minute) of both voices")
    p.add_argument("--gap", type=int, help="override the word gap (units of 10 ms) of both voices")
    args = p.parse_args(argv)
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            print(f"{tool} ontbreekt: apt-get install espeak-ng sox ffmpeg", file=sys.stderr)
            return 2

    def tuned(v: Voice, name: str | None) -> Voice:
        v = replace(v, name=name) if name else v
        v = replace(v, speed=args.speed) if args.speed else v
        return replace(v, gap=args.gap) if args.gap is not None else v

    for path, doc in phone_calls():
        if args.only and doc["id"] not in args.only:
            continue
        agent = tuned(AGENT_VOICES.get(doc.get("candidate"), AGENT_VOICES["A"]), args.agent_voice)
        customer = tuned(CUSTOMER_VOICES.get(doc["id"], CUSTOMER_VOICE), args.customer_voice)
        out = args.out_dir / doc["audio"]
        turns = render_conversation(doc, out, agent, customer)
        if not args.no_write_json:
            doc["turns"] = turns
            path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{doc['id']}: {turns[-1]['end']:.1f} s, {out.stat().st_size / 1024:.0f} KiB → {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
