"""Batch transcription for the command line: one JSON file per recording.

A bad file is reported by name and the others still run; the exit status says whether
any failed. JSON is written to a temporary name and renamed, so a crash never leaves a
half-written transcript that looks complete.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..adapters.audio import AudioError
from ..adapters.engine import Engine
from ..adapters.speech_model import SpeechModelError


def transcribe_files(paths: list[Path], out_dir: Path, engine: Engine, agent_channel: str = "left") -> int:
    """Transcribe each file with `engine` (built by the caller: `context.whisper_engine`)."""
    from tqdm import tqdm

    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in paths:
        bar = tqdm(
            total=100,
            desc=path.name,
            unit="%",
            file=sys.stderr,
            leave=True,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}",
        )

        def progress(share: float, bar=bar) -> None:
            bar.n = round(share * 100, 1)
            bar.refresh()

        try:
            if not path.is_file():
                raise AudioError(f"'{path.name}' bestaat niet.")
            transcript = engine.transcribe(path, agent_channel=agent_channel, progress=progress)
        except (AudioError, SpeechModelError) as exc:
            bar.close()
            print(f"{path}: mislukt: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # noqa: BLE001 - report and continue with the next file
            bar.close()
            print(f"{path}: mislukt door een onverwachte fout: {exc}", file=sys.stderr)
            failed += 1
            continue
        progress(1.0)
        bar.close()
        doc = {"audio": path.name, **transcript.to_dict()}
        target = out_dir / f"{path.stem}.json"
        tmp = target.with_suffix(".json.part")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
        print(f"{path}: {len(transcript.segments)} segmenten → {target}", file=sys.stderr)
    return 1 if failed else 0
