"""#14.9: the player's payload reshapes and re-serialises the segments only when they change."""

import json

from ksf_review.ui.player import payload


def _segments(n=50, text="hallo"):
    return [
        {
            "index": i,
            "start": i * 2.0,
            "end": i * 2.0 + 1.5,
            "speaker": "klant",
            "text": f"{text} {i}",
            "words": [{"start": i * 2.0, "end": i * 2.0 + 0.5, "word": f" {text}", "probability": 0.9}],
            "edited": False,
        }
        for i in range(n)
    ]


def _kwargs(segments, tags):
    return dict(
        audio_url="/media/x.wav",
        duration=100.0,
        segments=segments,
        tags=tags,
        peaks=None,
        items=[{"code": "1.1a", "label": "Begroeten", "eindterm": 1}],
    )


def test_payload_json_is_the_payload(monkeypatch):
    segs = _segments()
    tags = [{"id": 1, "start": 1.0, "end": 2.0, "item": "1.1a", "polarity": "+", "note": '"segments":null'}]
    text = payload.payload_json(**_kwargs(segs, tags))
    assert json.loads(text) == json.loads(json.dumps(payload.build_payload(**_kwargs(segs, tags))))


def test_tag_change_does_not_reshape_segments(monkeypatch):
    shaped = []
    real = payload._segment
    monkeypatch.setattr(payload, "_segment", lambda *a: shaped.append(1) or real(*a))
    segs = _segments(text="uniek")
    payload.payload_json(**_kwargs(segs, []))
    payload.payload_json(**_kwargs(segs, [{"id": 1, "start": 1.0, "end": 2.0, "item": "1.1a", "polarity": "+"}]))
    assert len(shaped) == 50  # once, not once per payload
    edited = [dict(s) for s in segs]
    edited[3].update(text="gecorrigeerd", edited=True)
    out = json.loads(payload.payload_json(**_kwargs(edited, [])))
    assert len(shaped) == 100  # a correction is new content: shaped again
    assert [w[2] for w in out["segments"][3]["w"]] == ["gecorrigeerd"]
