"""The sample conversations' ground truth is complete and consistent (fast, no audio decoding).

sample_audio/ is the demo a new user sees and the reference that tests and benchmarks use,
so its JSON must match the documented shape, cover every checklist item, and its two demo
candidates must get the verdict the manifest promises.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.verdict import VerdictStatus, compute_verdict

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_audio"
FIELDS = {"id", "title", "channel", "scenario", "version", "candidate", "audio", "text", "occurred_at", "turns", "expected_tags"}
SPEAKERS = {"medewerker", "klant"}
MAX_AUDIO_BYTES = 1_500_000
#: items that also have a negative (poor) example somewhere; 1.2a and 1.2b only have positives
NEGATIVE_ITEMS = {"1.1a", "1.1b", "1.1c", "1.1d", "1.1e", "1.1f", "1.1g", "1.2c", "1.2d", "1.3a", "1.3b", "1.3c", "1.3d", "2", "3.1", "3.2"}


def _load() -> dict[str, dict]:
    out = {}
    for path in sorted(SAMPLE_DIR.glob("*.json")):
        if path.name != "manifest.json":
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
    return out


SAMPLES = _load()
MANIFEST = json.loads((SAMPLE_DIR / "manifest.json").read_text(encoding="utf-8"))
RUBRIC = default_rubric()
_LINE = re.compile(r"^(?:\[(?P<ts>\d{1,2}:\d{2})\]\s+)?(?P<spk>[MK]):\s(?P<text>.+)$")


def _parse_text(text: str) -> list[dict]:
    """Tiny local parser for the sample text format: one `[hh:mm] M: …` / `K: …` turn per line."""
    turns = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = _LINE.match(line)
        assert m, f"regel zonder M:/K: {line!r}"
        turns.append({"speaker": "medewerker" if m["spk"] == "M" else "klant", "text": m["text"]})
    return turns


def test_there_are_enough_samples_of_each_kind():
    channels = [d["channel"] for d in SAMPLES.values()]
    assert len(SAMPLES) >= 8
    assert channels.count("telefoon") >= 5
    assert channels.count("chat") >= 1 and channels.count("e-mail") >= 1
    assert {d["scenario"] for d in SAMPLES.values()} == {1, 2, 3, 4, 5, 6}
    assert {d["version"] for d in SAMPLES.values()} == {"goed", "slecht"}
    assert max(d["turns"][-1]["end"] or 0 for d in SAMPLES.values()) > 180, "one call must last > 3 minutes"


@pytest.mark.parametrize("cid", sorted(SAMPLES))
def test_sample_has_the_documented_shape(cid):
    d = SAMPLES[cid]
    assert set(d) == FIELDS
    assert d["id"] == cid
    assert d["title"].strip()
    assert d["channel"] in {"telefoon", "chat", "e-mail"}
    assert d["scenario"] in range(1, 7)
    assert d["version"] in {"goed", "slecht"}
    assert d["candidate"] in {"A", "B"}
    datetime.fromisoformat(d["occurred_at"])
    if d["channel"] == "telefoon":
        assert d["audio"] == f"{cid}.ogg" and d["text"] is None
    else:
        assert d["audio"] is None and d["text"] == f"{cid}.txt"
    assert len(d["turns"]) >= 4
    for t in d["turns"]:
        assert set(t) == {"speaker", "start", "end", "text"}
        assert t["speaker"] in SPEAKERS
        assert t["text"].strip() and "\n" not in t["text"]
    assert {t["speaker"] for t in d["turns"]} == SPEAKERS


@pytest.mark.parametrize("cid", sorted(c for c, d in SAMPLES.items() if d["channel"] == "telefoon"))
def test_call_turn_times_are_monotonic_and_do_not_overlap(cid):
    turns = SAMPLES[cid]["turns"]
    for t in turns:
        assert isinstance(t["start"], (int, float)) and isinstance(t["end"], (int, float))
        assert 0 <= t["start"] < t["end"]
    for speaker in SPEAKERS:
        mine = [t for t in turns if t["speaker"] == speaker]
        for a, b in zip(mine, mine[1:]):
            assert a["end"] <= b["start"], f"{cid}: {speaker} overlaps at {a['end']} > {b['start']}"
    starts = [t["start"] for t in turns]
    assert starts == sorted(starts), "turns are listed in time order"


@pytest.mark.parametrize("cid", sorted(c for c, d in SAMPLES.items() if d["channel"] != "telefoon"))
def test_text_sample_parses_into_the_same_turns(cid):
    d = SAMPLES[cid]
    assert all(t["start"] is None and t["end"] is None for t in d["turns"])
    parsed = _parse_text((SAMPLE_DIR / d["text"]).read_text(encoding="utf-8"))
    assert parsed == [{"speaker": t["speaker"], "text": t["text"]} for t in d["turns"]]


@pytest.mark.parametrize("cid", sorted(c for c, d in SAMPLES.items() if d["channel"] == "telefoon"))
def test_audio_file_exists_and_is_small(cid):
    path = SAMPLE_DIR / SAMPLES[cid]["audio"]
    assert path.is_file()
    assert 10_000 < path.stat().st_size <= MAX_AUDIO_BYTES


@pytest.mark.parametrize("cid", sorted(SAMPLES))
def test_expected_tags_point_at_agent_turns_with_known_items(cid):
    d = SAMPLES[cid]
    assert d["expected_tags"], "every sample carries evidence"
    for tag in d["expected_tags"]:
        assert set(tag) == {"item", "polarity", "turn", "note"}
        assert RUBRIC.has_item(tag["item"]), tag
        assert tag["polarity"] in {"+", "-"}
        assert isinstance(tag["turn"], int) and 0 <= tag["turn"] < len(d["turns"])
        assert d["turns"][tag["turn"]]["speaker"] == "medewerker", f"{cid}: tag {tag} is not on an agent turn"
        assert tag["note"].strip()
    if d["version"] == "goed":
        assert all(t["polarity"] == "+" for t in d["expected_tags"]), f"{cid} is a good example"
    else:
        assert any(t["polarity"] == "-" for t in d["expected_tags"])


def test_every_item_is_covered_in_good_and_poor_versions():
    pos = {t["item"] for d in SAMPLES.values() for t in d["expected_tags"] if t["polarity"] == "+"}
    neg = {t["item"] for d in SAMPLES.values() for t in d["expected_tags"] if t["polarity"] == "-"}
    codes = {it.code for it in RUBRIC.items}
    assert codes - pos == set(), "every item needs a positive example"
    assert neg == NEGATIVE_ITEMS


def test_critical_poor_versions_carry_their_critical_tag():
    tags = {cid: {(t["item"], t["polarity"]) for t in d["expected_tags"]} for cid, d in SAMPLES.items()}
    assert ("3.1", "-") in tags["partner-slecht"] and ("3.1", "+") in tags["partner-goed"]
    assert ("3.2", "-") in tags["belmeniet-slecht"] and ("3.2", "+") in tags["belmeniet-goed"]
    disclosure = next(t["turn"] for t in SAMPLES["partner-slecht"]["expected_tags"] if t["item"] == "3.1")
    assert "312 euro" in SAMPLES["partner-slecht"]["turns"][disclosure]["text"]


def test_manifest_candidates_reference_their_conversations():
    cands = MANIFEST["candidates"]
    assert [c["code"] for c in cands] == ["A", "B"]
    seen = []
    for c in cands:
        assert c["name"].endswith("(fictief)")
        assert len(c["conversations"]) >= 3
        for cid in c["conversations"]:
            assert cid in SAMPLES and SAMPLES[cid]["candidate"] == c["code"]
        seen += c["conversations"]
    assert sorted(seen) == sorted(SAMPLES), "every sample belongs to exactly one candidate"


@pytest.mark.parametrize("code", ["A", "B"])
def test_manifest_scores_follow_from_the_tags(code):
    cand = next(c for c in MANIFEST["candidates"] if c["code"] == code)
    scores = cand["expected_scores"]
    assert set(scores) == {it.code for it in RUBRIC.items}
    tags = [t for cid in cand["conversations"] for t in SAMPLES[cid]["expected_tags"]]
    for item, score in scores.items():
        status = score["status"] if isinstance(score, dict) else score
        pols = {t["polarity"] for t in tags if t["item"] == item}
        if status == "behaald":
            assert "+" in pols and "-" not in pols, f"{code} {item}: behaald without clean positive evidence"
        elif status == "niet_behaald":
            assert "-" in pols, f"{code} {item}: niet behaald without negative evidence"
        else:
            assert status == "nvt" and score.get("reason", "").strip() and not pols


def test_manifest_verdicts_pass_a_and_fail_b_on_a_critical_eindterm():
    by_code = {c["code"]: c for c in MANIFEST["candidates"]}
    a, b = by_code["A"], by_code["B"]
    va = compute_verdict(RUBRIC, a["expected_scores"], conversations=len(a["conversations"]))
    vb = compute_verdict(RUBRIC, b["expected_scores"], conversations=len(b["conversations"]))
    assert va.status is VerdictStatus.GESLAAGD and a["expected_status"] == "geslaagd"
    points = {e.code: e.points for e in va.eindtermen}
    assert points["1"] >= 17 and points["2"] == 1 and points["3"] == 2
    assert vb.status is VerdictStatus.GEZAKT and b["expected_status"] == "gezakt"
    assert any(e.critical and not e.met for e in vb.eindtermen)


def test_agent_turns_contain_the_domain_phrase_cues():
    """The rule-based suggester relies on the cue phrases of domain.md; keep a few present."""
    agent_text = " ".join(t["text"].lower() for d in SAMPLES.values() for t in d["turns"] if t["speaker"] == "medewerker")
    for cue in (
        "als ik u goed begrijp",
        "klopt dat",
        "een ogenblikje",
        "dan spreken we af",
        "kan ik u verder nog ergens mee helpen",
        "controlevragen",
        "machtiging",
        "ik noteer dat wij u niet meer bellen",
        "recht van verzet",
        "mijn excuses",
        "rustig maar",
        "niet mijn afdeling",
        "we mogen u gewoon bellen",
    ):
        assert cue in agent_text, cue
