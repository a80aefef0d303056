import json
import subprocess
import sys

from ksf_review.services import conversations as convs
from ksf_review.services import exams, tagging
from ksf_review.services import suggestions as sugg

CHAT = """K: Ik ben echt boos, ik heb al drie keer gebeld!
M: Wat is uw adres? U woont toch op de Dorpsstraat 12?
M: Als ik u goed begrijp wilt u dat de storing vandaag wordt opgelost, klopt dat?
K: Ja.
M: Zijn er nog andere vragen?"""


def test_accept_and_reject(ctx, user):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_text_conversation(ctx, user, exam.id, CHAT, channel="chat")
    props = sugg.proposals(ctx, user, c.id)
    items = {(p.suggestion.item, p.suggestion.polarity) for p in props}
    assert ("1.1b", "+") in items and ("1.1d", "+") in items
    summary = next(p for p in props if p.suggestion.item == "1.1b")
    tag = sugg.accept(ctx, user, c.id, summary)
    assert tag.origin == "suggestion-accepted" and tag.item == "1.1b"
    other = next(p for p in props if p.suggestion.item == "1.1d")
    sugg.reject(ctx, user, c.id, other)
    remaining = {(p.suggestion.item, p.suggestion.polarity) for p in sugg.proposals(ctx, user, c.id)}
    assert ("1.1b", "+") not in remaining and ("1.1d", "+") not in remaining
    assert len(tagging.list_tags(ctx, user, c.id)) == 1


def test_suggest_cli_reads_transcribe_json(tmp_path):
    doc = {
        "audio": "x.wav",
        "duration": 9,
        "model": "m",
        "settings": {},
        "segments": [
            {
                "start": 0.5,
                "end": 3.0,
                "speaker": "medewerker",
                "channel": 0,
                "text": "Als ik u goed begrijp wilt u uw termijnbedrag verlagen, klopt dat?",
                "words": [],
            },
            {"start": 3.2, "end": 4.0, "speaker": "klant", "channel": 1, "text": "Ja, precies.", "words": []},
        ],
    }
    f = tmp_path / "t.json"
    f.write_text(json.dumps(doc))
    p = subprocess.run([sys.executable, "-m", "ksf_review", "suggest", str(f)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out and set(out[0]) == {"start", "end", "item", "polarity", "speaker", "reason"}
    assert any(s["item"] == "1.1b" and s["polarity"] == "+" for s in out)
    bad = tmp_path / "bad.json"
    bad.write_text("geen json")
    p = subprocess.run([sys.executable, "-m", "ksf_review", "suggest", str(bad)], capture_output=True, text=True)
    assert p.returncode == 2 and "fout:" in p.stderr


def test_suggestions_of_a_call_know_the_end_of_its_recording(ctx, user, tmp_path, monkeypatch):
    """An absence "in the whole call" is shown up to the end of the recording (#18): the
    recogniser often loses the last short word of a call, which the absence is about."""
    from ksf_review.adapters import suggestion_store
    from ksf_review.services import transcription_jobs as jobs
    from ksf_review.services.conversations import RevisionCache
    from tests.conftest import make_wav

    exam = exams.create_exam(ctx, user, "Einde")
    call = convs.add_audio_conversation(ctx, user, exam.id, "c.wav", make_wav(tmp_path / "c.wav", 9).read_bytes())
    jobs.run_pending(ctx)
    chat = convs.add_text_conversation(ctx, user, exam.id, CHAT, channel="chat")
    seen, real = {}, sugg.suggest
    monkeypatch.setattr(sugg, "suggest", lambda segs, rules, until=None: [seen.setdefault(len(seen), until), real(segs, rules, until)][1])
    monkeypatch.setattr(sugg, "_FOUND", RevisionCache())
    suggestion_store.delete(ctx.settings.suggestions_dir, call.id)  # not the ones the job stored
    sugg.proposals(ctx, user, call.id)
    sugg.proposals(ctx, user, chat.id)
    assert seen[0] == 9.0 and seen[1] is None
