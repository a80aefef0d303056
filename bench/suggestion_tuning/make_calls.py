"""Render the tuning calls and transcribe them with the app's engine (stereo and mono mix).

The calls in ``calls/*.json`` were written for tuning the suggestion rules (#18), not for
measuring them: the sample calls in ``sample_audio/`` stay unseen by the tuning. Each call is
spoken with the sample renderer (``sample_audio/render.py``: espeak-ng, medewerker left, klant
right; the measured turn timings are written back to the JSON), then transcribed by the
bundled model as a stereo call and as a mono mix (speakers from voice diarization). The
transcripts are committed in ``transcripts/`` so tuning needs no model; the audio is not
(rendering is deterministic).

    .venv/bin/python bench/suggestion_tuning/make_calls.py [--only ID ...] [--audio-dir /tmp/ksf-tuning-audio]
    .venv/bin/python bench/suggestions_eval.py --tuning -v      # score the rules on them
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _renderer():
    spec = importlib.util.spec_from_file_location("sample_render", ROOT / "sample_audio" / "render.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", help="call ids (default: all)")
    ap.add_argument("--audio-dir", type=Path, default=Path("/tmp/ksf-tuning-audio"))
    ap.add_argument("--no-transcribe", action="store_true")
    args = ap.parse_args(argv)
    render = _renderer()
    voices = {"man": render.Voice("nl+m3", pitch=25), "vrouw": render.CUSTOMER_VOICE}
    oggs = []
    for path in sorted((HERE / "calls").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if args.only and doc["id"] not in args.only:
            continue
        out = args.audio_dir / doc["audio"]
        agent = render.AGENT_VOICES.get(doc.get("candidate"), render.AGENT_VOICES["A"])
        doc["turns"] = render.render_conversation(doc, out, agent, voices[doc.get("customer_voice", "vrouw")])
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"{doc['id']}: {doc['turns'][-1]['end']:.1f} s → {out}", flush=True)
        oggs.append(out)
    if not args.no_transcribe:
        import suggestions_eval

        for ogg in oggs:  # a changed script needs a new transcript
            for mode in suggestions_eval.MODES:
                (HERE / "transcripts" / f"{ogg.stem}.{mode}.json").unlink(missing_ok=True)
        suggestions_eval.transcribe_missing(oggs, HERE / "transcripts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
