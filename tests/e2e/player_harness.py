"""Streamlit script that renders the player on a generated stereo call, for the e2e tests.

Run by hand: ``streamlit run tests/e2e/player_harness.py``. Env knobs:
KSF_HARNESS_SEGMENTS (default 20) for load tests, KSF_HARNESS_TEXT=0 drops the chat player.
Prints stable markers the tests read: ``RUNS:``, ``EVENT:``, ``TIME:``, ``RATE:``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from ksf_review.adapters.waveform import peaks_for  # noqa: E402
from ksf_review.ui.media import media_url  # noqa: E402
from ksf_review.ui.player import SHORTCUTS, render_player  # noqa: E402

RATE = int(os.environ.get("KSF_HARNESS_RATE", "16000"))
SEG_LEN = 2.5  # seconds per turn
N_SEGMENTS = int(os.environ.get("KSF_HARNESS_SEGMENTS", "20"))
WORDS = (
    "goedemorgen u spreekt met Sanne van Energie Direct waarmee kan ik u helpen "
    "ik heb een vraag over mijn jaarafrekening die is veel hoger dan verwacht "
    "als ik u goed begrijp klopt dat wat is uw klantnummer en uw postcode"
).split()


def make_call(path: Path, n_segments: int) -> None:
    """Stereo WAV: even turns on the left (medewerker), odd turns on the right (klant)."""
    total = int(n_segments * SEG_LEN * RATE)
    data = np.zeros((total, 2), dtype=np.float32)
    t = np.arange(int(SEG_LEN * RATE)) / RATE
    for i in range(n_segments):
        freq = 220 if i % 2 == 0 else 330
        env = np.clip(np.sin(np.pi * t / SEG_LEN), 0, 1) * (0.55 + 0.35 * np.sin(2 * np.pi * 3 * t) ** 2)
        tone = (env * np.sin(2 * np.pi * freq * t)).astype(np.float32) * 0.8
        s = int(i * SEG_LEN * RATE)
        data[s : s + len(tone), i % 2] = tone
    pcm = (data * 32767).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    tmp.replace(path)


def make_segments(n_segments: int) -> list[dict]:
    segs = []
    k = 0
    for i in range(n_segments):
        start = i * SEG_LEN + 0.2
        n_words = 5
        words = []
        for j in range(n_words):
            ws = start + j * 0.4
            word = WORDS[k % len(WORDS)]
            k += 1
            prob = 0.3 if (i, j) in ((1, 2), (4, 0)) else 0.95
            words.append({"start": round(ws, 3), "end": round(ws + 0.35, 3), "word": " " + word, "probability": prob})
        segs.append(
            {
                "index": i,
                "start": start,
                "end": round(start + n_words * 0.4, 3),
                "speaker": "medewerker" if i % 2 == 0 else "klant",
                "text": "".join(w["word"] for w in words).strip(),
                "words": words,
                "edited": i == 7,
            }
        )
    return segs


ITEMS = [
    {"code": "1.2a", "label": "Open vragen op het juiste moment", "eindterm": 1},
    {"code": "2", "label": "Doel klantenservice en imago", "eindterm": 2},
    {"code": "3.1", "label": "AVG-protocol", "eindterm": 3},
]
TAGS = [
    {"id": "t1", "start": 5.2, "end": 7.0, "item": "1.2a", "polarity": "+", "note": "goede open vraag"},
    {"id": "t2", "start": 12.7, "end": 14.4, "item": "3.1", "polarity": "-", "note": "gegevens voorgelezen"},
]

st.set_page_config(page_title="Player harness", layout="wide")
st.session_state.runs = st.session_state.get("runs", 0) + 1

workdir = Path(os.environ.get("KSF_HARNESS_DIR", Path(tempfile.gettempdir()) / "ksf_player_harness"))
wav = workdir / f"call-{N_SEGMENTS}.wav"
if not wav.exists():
    make_call(wav, N_SEGMENTS)
sha = hashlib.sha256(wav.read_bytes()).hexdigest()
peaks = peaks_for(wav, sha, workdir / "peaks")
segments = make_segments(N_SEGMENTS)

st.title("Speler-testomgeving")
st.text(f"RUNS:{st.session_state.runs}")
c1, c2, c3 = st.columns([4, 1, 1])
c1.text_input("Notitie", key="note")
c2.button("Herlaad", key="rerun")
if c3.button("Speel t2", key="play_t2"):
    st.session_state.cmd_seq = st.session_state.get("cmd_seq", 0) + 1
    st.session_state.command = {"seq": st.session_state.cmd_seq, "action": "play_range", "start": TAGS[1]["start"], "end": TAGS[1]["end"]}


@st.fragment
def player_fragment() -> None:
    res = render_player(
        audio_url=media_url(wav, "audio/wav"),
        duration=N_SEGMENTS * SEG_LEN,
        segments=segments,
        tags=TAGS,
        peaks=peaks,
        items=ITEMS,
        playback_rate=st.session_state.get("rate", 1.0),
        key="harness-player",
        command=st.session_state.get("command"),
        report_interval=float(os.environ.get("KSF_HARNESS_REPORT", "1.0")),
    )
    if res and res["event"]:
        st.session_state.last_event = res["event"]
        if res["event"].get("type") == "rate":
            st.session_state.rate = res["event"]["value"]
    st.text("EVENT:" + json.dumps(st.session_state.get("last_event"), ensure_ascii=False))
    st.text(f"TIME:{(res or {}).get('time', 0.0):.2f}")
    st.text(f"RATE:{st.session_state.get('rate', 1.0)}")


if not st.checkbox("Verberg speler", key="hide"):
    player_fragment()

if os.environ.get("KSF_HARNESS_TEXT", "1") == "1":
    st.subheader("Chat")
    turns = [
        {"index": 0, "speaker": "klant", "text": "Hoi, ik wil mijn adres wijzigen."},
        {"index": 1, "speaker": "medewerker", "text": "Dat regel ik graag. Mag ik uw klantnummer en postcode?"},
        {"index": 2, "speaker": "klant", "text": "123456 en 1234 AB. Mijn IBAN is NL00BANK0123456789."},
        {"index": 3, "speaker": "medewerker", "text": "Wilt u uw IBAN niet in de chat zetten? Dat is veiliger."},
    ]
    chat = render_player(
        audio_url=None,
        duration=4,
        segments=turns,
        tags=[{"id": "c1", "start": 3, "end": 4, "item": "3.1", "polarity": "+"}],
        peaks=None,
        items=ITEMS,
        key="harness-chat",
        transcript_height=220,
    )
    if chat and chat["event"]:
        st.session_state.chat_event = chat["event"]
    st.text("CHAT_EVENT:" + json.dumps(st.session_state.get("chat_event"), ensure_ascii=False))

with st.expander("Sneltoetsen"):
    st.table({"Toets": [k for k, _ in SHORTCUTS], "Actie": [d for _, d in SHORTCUTS]})
