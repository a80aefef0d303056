"""`python -m ksf_review …`: headless use for integrations and batch work.

verdict [FILE|-]          item scores (JSON) → verdict (JSON); exit 2 on bad input
transcribe AUDIO... --out DIR [--model M] [--agent-channel left|right]
suggest TRANSCRIPT.json   proposed tags (JSON list)
migrate                   apply database migrations
seed-demo                 create the demo exams (once)
worker [--loop] [--nice N] run queued transcription jobs (until empty, or forever);
                          on PostgreSQL any number of these share the queue (docs/deployment.md)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def _fail(msg: str) -> int:
    print(f"fout: {msg}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _read_json(source: str):
    try:
        raw = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"kan {source} niet lezen: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{source} is geen UTF-8-tekst") from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ongeldige JSON (regel {exc.lineno}, kolom {exc.colno}): {exc.msg}") from exc


def _resolve_rubric(spec):
    from .adapters.rubric_files import RubricFiles, load_rubric_file
    from .config import settings

    rubrics = RubricFiles(settings().rubric_dir)
    if spec is None:
        return rubrics.get()
    if not isinstance(spec, str):
        raise ValueError("'rubric' moet een naam (id of id@versie) of een pad zijn")
    if spec.endswith(".json") or "/" in spec:
        return load_rubric_file(spec)
    rid, _, version = spec.partition("@")
    return rubrics.get(rid, version or None)


def cmd_verdict(args) -> int:
    from .domain.rubric import RubricError
    from .domain.verdict import NvtPolicy, VerdictInputError, compute_verdict

    try:
        data = _read_json(args.file)
        if not isinstance(data, dict):
            raise ValueError("de invoer moet een JSON-object zijn")
        scores = data.get("scores")
        if not isinstance(scores, dict):
            raise ValueError("'scores' ontbreekt of is geen object (itemcode → score)")
        conversations = data.get("conversations")
        if isinstance(conversations, bool) or not isinstance(conversations, int) or conversations < 0:
            raise ValueError("'conversations' ontbreekt of is geen geheel getal ≥ 0")
        policy_raw = data.get("policy", NvtPolicy.COUNTS_AS_ACHIEVED.value)
        try:
            policy = NvtPolicy(policy_raw)
        except ValueError:
            raise ValueError(f"onbekend n.v.t.-beleid {policy_raw!r} (nvt-behaald of nvt-niet-behaald)") from None
        rubric = _resolve_rubric(data.get("rubric"))
        verdict = compute_verdict(rubric, scores, conversations=conversations, policy=policy)
    except (ValueError, VerdictInputError, RubricError) as exc:
        return _fail(str(exc))
    print(json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
    return 0


def cmd_suggest(args) -> int:
    from .adapters.interchange import InterchangeError, import_transcript
    from .domain.suggestions import suggest

    try:
        raw = Path(args.transcript).read_bytes()
        transcript = import_transcript(raw, args.transcript)
    except OSError as exc:
        return _fail(f"kan {args.transcript} niet lezen: {exc.strerror or exc}")
    except InterchangeError as exc:
        return _fail(str(exc))
    print(json.dumps([s.to_dict() for s in suggest(transcript.segments, until=transcript.duration or None)], ensure_ascii=False, indent=2))
    return 0


def cmd_transcribe(args) -> int:
    from .config import settings
    from .services.batch_transcribe import transcribe_files
    from .services.context import whisper_engine

    return transcribe_files(
        [Path(a) for a in args.audio], Path(args.out), whisper_engine(settings(), model=args.model), agent_channel=args.agent_channel
    )


def _context():
    from .bootstrap import bootstrap

    return bootstrap()


def cmd_migrate(args) -> int:
    _context()
    print("database bijgewerkt")
    return 0


def cmd_seed_demo(args) -> int:
    from .services.demo import seed_demo
    from .services.users import ensure_default_user

    ctx = _context()
    ids = seed_demo(ctx, ensure_default_user(ctx))
    print(f"demo-examens aangemaakt: {ids}" if ids else "demo-examens bestonden al")
    return 0


def cmd_worker(args) -> int:
    import os

    from .services.worker import run_foreground

    if args.nice:
        os.nice(args.nice)  # before the model's threads exist: they all get the lower priority
    n = run_foreground(_context(), loop=args.loop)
    print("wachtrij leeg" if n is None else f"{n} transcriptietaken uitgevoerd")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ksf_review", description="ksf-review zonder browser")
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verdict", help="itemscores (JSON) → uitslag (JSON)")
    v.add_argument("file", nargs="?", default="-", help="JSON-bestand, of - voor standaardinvoer")
    v.set_defaults(func=cmd_verdict)
    t = sub.add_parser("transcribe", help="audio → transcript-JSON per bestand")
    t.add_argument("audio", nargs="+")
    t.add_argument("--out", required=True)
    t.add_argument("--model", default=None, help="'bundled' (standaard) of een faster-whisper-model/pad")
    t.add_argument("--agent-channel", choices=["left", "right"], default="left")
    t.set_defaults(func=cmd_transcribe)
    s = sub.add_parser("suggest", help="voorgestelde markeringen voor een transcript-JSON")
    s.add_argument("transcript")
    s.set_defaults(func=cmd_suggest)
    sub.add_parser("migrate", help="database migreren").set_defaults(func=cmd_migrate)
    sub.add_parser("seed-demo", help="demo-examens aanmaken").set_defaults(func=cmd_seed_demo)
    w = sub.add_parser("worker", help="wachtende transcripties uitvoeren")
    w.add_argument("--loop", action="store_true", help="blijf draaien en pak nieuwe taken op")
    w.add_argument("--nice", type=int, default=0, help="lagere prioriteit (zoals nice), bijv. 10")
    w.set_defaults(func=cmd_worker)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
