"""md(): user text for Markdown-rendered places of Streamlit is shown as typed, never as markup."""

from __future__ import annotations

import re
import string

import pytest

from ksf_review.ui.escape import md

HOSTILE = [
    '<form action="http://evil.example/f"><input name=pw></form>',
    '<iframe src="http://evil.example/i"></iframe>',
    "<img src=http://evil.example/x.png onerror=alert(1)>",
    '<a href="http://evil.example/a">klik</a>',
    "![x](http://evil.example/b.png)",
    "[link](http://evil.example/l)",
    "**vet** _schuin_ ~~weg~~ `code` # kop\n- lijst\n1. item\n> citaat",
    ":red[rood] :material/home: :smile: $x^2$ $$y$$",
    "http://evil.example/auto https://evil.example www.evil.example jan@evil.example mailto:a@b.nl",
    "| a | b |\n|---|---|",
    "&lt;script&gt; \\ backslash",
]


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_every_punctuation_mark_is_escaped(text):
    out = md(text, multiline=True)
    for i, ch in enumerate(out):
        if ch in string.punctuation and ch != "\\":
            assert out[i - 1] == "\\", (out, i)
    assert "<" not in out.replace("\\<", "")


@pytest.mark.parametrize("text", HOSTILE)
def test_reads_back_as_typed(text):
    one_line = " ".join(line.strip() for line in text.splitlines())
    assert _unescape(md(text)) == one_line
    assert _unescape(md(text, multiline=True).replace("  \n", "\n")) == "\n".join(line.strip() for line in text.splitlines())


def test_autolink_literals_are_broken_by_an_invisible_joiner():
    out = md("zie http://evil.example en www.evil.example of mail jan@evil.example")
    assert "http\u2060\\:" in out and "www\u2060\\." in out and "\\@\u2060evil" in out
    assert "http\\:" not in out.replace("http\u2060\\:", "")


def test_plain_text_and_none():
    assert md("Anouk de Vries") == "Anouk de Vries"
    assert md(None) == "" and md("") == ""
    assert md("regel 1\nregel 2") == "regel 1 regel 2"
    assert md("regel 1\nregel 2", multiline=True) == "regel 1  \nregel 2"
    assert md(42) == "42"


def test_player_css_class_of_a_speaker_is_never_user_text():
    from ksf_review.ui.player.payload import build_payload

    segs = [
        {"index": 0, "start": 0, "end": 1, "speaker": 'x kp-hidden" onclick="y', "text": "hoi"},
        {"index": 1, "start": 1, "end": 2, "speaker": "klant", "text": "ja"},
    ]
    p = build_payload(audio_url="/m.ogg", duration=2, segments=segs, tags=[], peaks=None, items=[])
    assert [s["spc"] for s in p["segments"]] == ["anders", "klant"]
