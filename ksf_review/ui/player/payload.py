"""Turn segments, tags and peaks into the compact payload the player's JavaScript reads.

Pure data shaping (no Streamlit), so it is unit-tested directly. The payload is sent to
the browser whenever it changes; words travel as ``[start, end, word, probability]``
arrays (about half the size of dicts), which matters for 1,000-segment transcripts; a word
written against the previous one (",513" after "2") carries a fifth element, 1.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from collections import OrderedDict

from ...domain.transcript import SPEAKER_LABELS
from ...domain.transcript import speaker_label as speaker_label  # re-exported: the transcript's name for a speaker

#: Keyboard shortcuts of the player (key, Dutch description); the page may show them too.
SHORTCUTS: list[tuple[str, str]] = [
    ("Spatie / K", "Afspelen / pauze"),
    ("J / ←", "5 s terug"),
    ("L / →", "5 s vooruit"),
    ("R", "Segment opnieuw"),
    ("O", "Herhaal selectie aan/uit"),
    ("[ / ]", "Langzamer / sneller"),
    (", / .", "Begin selectie −/+ 0,1 s"),
    ("< / >", "Eind selectie −/+ 0,1 s"),
    ("N", "Volgend onzeker woord afspelen"),
    ("/ of F", "Zoeken in het transcript (Enter = volgende treffer)"),
    ("E", "Regel corrigeren (Enter slaat op, Esc annuleert)"),
    ("T", "Markeren: zoek een toetsterm, + / − bewijs, Enter slaat op"),
    ("1–9", "Markeren met een recente toetsterm"),
    ("Ctrl+Z", "Laatste markering, score of correctie ongedaan maken (tot een minuut)"),
]

#: the keys that change something: 0 = tag, 1 = correct a line (left out of a read-only player's legend)
_WRITE_KEYS = {"T": 0, "1–9": 0, "E": 1}

#: the keys that also work in a chat or e-mail: the player's keys need a recording (keys.js), Ctrl+Z is the page's
TEXT_SHORTCUTS: list[tuple[str, str]] = [(k, v) for k, v in SHORTCUTS if k == "Ctrl+Z"]

#: playback speeds offered in the player
SPEEDS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)

#: tag colour per eindterm (1 blue, 2 purple, 3 orange); other/unknown items grey
EINDTERM_COLORS: dict[int, str] = {1: "#2563eb", 2: "#7c3aed", 3: "#ea580c"}
_FALLBACK_COLOR = "#64748b"

_HEX = re.compile(r"^#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?$")


def nearest_speed(rate: float) -> float:
    """The offered speed closest to `rate` (1.0 for nonsense input)."""
    try:
        rate = float(rate)
    except (TypeError, ValueError):
        return 1.0
    if not math.isfinite(rate):
        return 1.0
    return min(SPEEDS, key=lambda s: abs(s - rate))


def _eindterm(code: str, items_by_code: dict[str, dict]) -> int | None:
    item = items_by_code.get(code)
    if item is not None and item.get("eindterm") is not None:
        try:
            return int(item["eindterm"])
        except (TypeError, ValueError):
            pass
    head = str(code).split(".", 1)[0]
    return int(head) if head.isdigit() else None


def tag_color(tag: dict, items_by_code: dict[str, dict]) -> str:
    """The tag's own colour if it is a valid hex colour, else its eindterm's colour."""
    color = str(tag.get("color") or "")
    if _HEX.match(color):
        return color
    return EINDTERM_COLORS.get(_eindterm(str(tag.get("item", "")), items_by_code), _FALLBACK_COLOR)


def _interpolated_words(text: str, start: float, end: float) -> list[list]:
    """Split text into words with times spread by character length (no confidence).

    Used when a segment has no word timings (chat/e-mail turns) or its text was edited
    and the recognised words no longer match: clicking and selecting still land close.
    """
    tokens = text.split()
    if not tokens:
        return []
    weights = [len(t) + 1 for t in tokens]
    total = sum(weights)
    span = max(0.0, end - start)
    out, acc = [], 0
    for tok, w in zip(tokens, weights):
        s = start + span * acc / total
        acc += w
        e = start + span * acc / total
        out.append([round(s, 3), round(e, 3), tok, None])
    return out


def _glued(tokens: list[str], text: str) -> list[bool] | None:
    """Per token: does it follow the previous one without a space in `text`? None: they do not read as `text`.

    Whisper gives each word its own leading space (" 2", ",513" for "2,513"), and the stored
    line is those words joined as they come; the player must show that line, not "2 ,513".
    """
    pos, out = 0, []
    for tok in tokens:
        at = pos
        while at < len(text) and text[at].isspace():
            at += 1
        if not text.startswith(tok, at):
            return None
        out.append(pos > 0 and at == pos)
        pos = at + len(tok)
    return out if not text[pos:].strip() else None


def _timed_words(raw: list | tuple, text: str, start: float) -> list[list]:
    """The recognised words as [start, end, word, probability] (+ 1 when glued to the previous word).

    Words that do not read as the stored line (an inconsistent import) are dropped: the line
    is then timed by `_interpolated_words`, so the player never shows other words than stored.
    """
    kept = [w for w in raw if str(w.get("word", "")).strip()]
    glued = _glued([str(w["word"]).strip() for w in kept], text)
    if glued is None:
        return []
    words = []
    for w, glue in zip(kept, glued):
        ws = float(w.get("start", start))
        we = max(float(w.get("end", ws)), ws)
        p = w.get("probability")
        words.append(
            [round(ws, 3), round(we, 3), str(w["word"]).strip(), None if p is None else round(float(p), 3)] + ([1] if glue else [])
        )
    return words


def _segment(seg: dict, position: int, text_mode: bool) -> dict:
    index = int(seg.get("index", position))
    if text_mode:
        start = float(seg["start"]) if seg.get("start") is not None else float(index)
        end = float(seg["end"]) if seg.get("end") is not None else start + 1.0
    else:
        start, end = float(seg.get("start") or 0.0), float(seg.get("end") or 0.0)
    end = max(end, start)
    text = str(seg.get("text") or "").strip()
    edited = bool(seg.get("edited"))
    words: list[list] = []
    if not edited and not text_mode:
        words = _timed_words(seg.get("words") or (), text, start)
    if not words:
        words = _interpolated_words(text, start, end)
    speaker = str(seg.get("speaker") or "spreker")
    role = str(seg.get("role") or speaker)  # medewerker/klant/spreker under any name the examiner gave it
    return {
        "i": index,
        "v": int(seg.get("version") or 1),  # sent back with an in-place correction (#19.7)
        "s": round(start, 3),
        "e": round(end, 3),
        "sp": speaker,
        "spl": SPEAKER_LABELS.get(speaker, speaker),  # a name as the examiner typed it
        "spc": role if role in SPEAKER_LABELS else "anders",  # CSS class: never user text
        "ed": edited,
        "w": words,
    }


def _lanes(peaks: dict | None, agent_channel: int) -> dict | None:
    if not peaks or not peaks.get("peaks"):
        return None
    chans = [list(c) for c in peaks["peaks"]]
    if len(chans) >= 2:
        agent = 1 if agent_channel == 1 else 0
        lanes = [chans[agent], chans[1 - agent]]
        labels = ["Medewerker", "Klant"]
    else:
        lanes, labels = [chans[0]], [""]
    return {"lanes": lanes, "labels": labels, "duration": float(peaks.get("duration") or 0.0)}


_PARTS: OrderedDict = OrderedDict()
_PARTS_LOCK = threading.Lock()


def segments_part(segments: list[dict], text_mode: bool) -> tuple[list[dict], str, str]:
    """(segments as the player reads them, their signature, their JSON), per content.

    Shaping and serialising 1,000 segments with their words is most of a payload's cost,
    and only a transcript change alters them; a tag save or a command does not (#14.9). The
    result is shared: do not modify it.
    """
    key = (_segments_fingerprint(segments), text_mode)
    with _PARTS_LOCK:
        hit = _PARTS.get(key)
        if hit is not None:
            _PARTS.move_to_end(key)
            return hit
    segs = [_segment(s, n, text_mode) for n, s in enumerate(segments or [])]
    segs.sort(key=lambda s: (s["s"], s["i"]) if not text_mode else (s["i"],))
    sig = hashlib.sha1(json.dumps(segs, separators=(",", ":")).encode()).hexdigest()[:16]
    part = (segs, sig, json.dumps(segs, separators=(",", ":"), ensure_ascii=False))
    with _PARTS_LOCK:
        _PARTS[key] = part
        while len(_PARTS) > 16:
            _PARTS.popitem(last=False)
    return part


def payload_json(**kwargs) -> str:
    """`build_payload(**kwargs)` as compact JSON, with the segments' JSON taken from the cache."""
    payload = build_payload(**kwargs)
    _, _, segs_json = segments_part(kwargs.get("segments") or [], not kwargs.get("audio_url"))
    payload["segments"] = None  # placeholder: "segments" is the first key that can hold null
    head, sep, tail = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).partition('"segments":null')
    return head + '"segments":' + segs_json + tail


def build_payload(
    *,
    audio_url: str | None,
    duration: float,
    segments: list[dict],
    tags: list[dict],
    peaks: dict | None,
    items: list[dict],
    playback_rate: float = 1.0,
    recent: list | tuple = (),
    agent_channel: int = 0,
    store_key: str = "",
    transcript_height: int = 460,
    report_interval: float = 1.0,
    command: dict | None = None,
    tags_seq: int = 0,
    can_tag: bool = True,
    can_correct: bool = True,
) -> dict:
    """The JSON-ready `data` for the player component.

    `segments`: {"index", "start", "end", "speaker", "role", "text", "words", "edited"} (role: the
    medewerker/klant label of a renamed speaker, for its colour); for text
    conversations (`audio_url` None) turn i spans [i, i+1). `tags`: {"id", "start", "end",
    "item", "polarity", "note", "color"}. `items`: {"code", "label", "eindterm"}. `recent`:
    (item, "+"/"-") pairs for keys 1-9, most recent first (items of another checklist are left out).
    `tags_seq`: which list of tags this is (see `tag_marks`): the player shows the newest one.
    `can_tag` / `can_correct` False (a finalised exam, a submitted calibration): the player opens no
    item picker or line editor and leaves those keys out of its legend (read is not write).
    """
    text_mode = not audio_url
    segs, sig, _ = segments_part(segments, text_mode)

    items_by_code = {str(i.get("code")): i for i in items or []}
    out_tags = shape_tags(tags, items)

    if command is not None:
        command = {k: command[k] for k in ("seq", "action", "start", "end") if k in command}

    return {
        "mode": "text" if text_mode else "audio",
        "src": audio_url or None,
        "duration": float(duration or 0.0),
        "rate": nearest_speed(playback_rate),
        "speeds": list(SPEEDS),
        "segments": segs,
        "sig": sig,
        "tags": out_tags,
        "tags_seq": int(tags_seq),
        "peaks": None if text_mode else _lanes(peaks, agent_channel),
        "shortcuts": [list(s) for s in SHORTCUTS if s[0] not in _WRITE_KEYS or (can_tag, can_correct)[_WRITE_KEYS[s[0]]]],
        "can_tag": bool(can_tag),
        "can_correct": bool(can_correct),
        "items": [[str(i.get("code")), str(i.get("label") or "")] for i in items or []],
        "recent": [[str(c), "-" if p == "-" else "+"] for c, p in recent or () if str(c) in items_by_code][:9],
        "store_key": store_key,
        "transcript_height": int(transcript_height),
        "report_interval": float(report_interval),
        "command": command,
    }


def shape_tags(tags: list[dict], items: list[dict]) -> list[dict]:
    """Tags as the player reads them, in time order: {id, s, e, item, label, pol, note, color}."""
    items_by_code = {str(i.get("code")): i for i in items or []}
    out = []
    for t in tags or []:
        code = str(t.get("item", ""))
        item = items_by_code.get(code, {})
        start, end = float(t.get("start", 0.0)), float(t.get("end", 0.0))
        out.append(
            {
                "id": t.get("id"),
                "s": round(min(start, end), 3),
                "e": round(max(start, end), 3),
                "item": code,
                "label": str(item.get("label") or ""),
                "pol": "-" if str(t.get("polarity", "+")).strip() in ("-", "−", "neg") else "+",
                "note": str(t.get("note") or ""),
                "color": tag_color(t, items_by_code),
            }
        )
    out.sort(key=lambda t: (t["s"], t["e"]))
    return out


def tags_fingerprint(tags: list[dict]) -> str:
    """What identifies a list of tags (the same in the player's payload and in `tag_marks`)."""
    return json.dumps(tags or [], sort_keys=True, default=str)


def tag_marks(store_key: str, tags: list[dict], items: list[dict], seq: int) -> dict:
    """The `data` of the player's tag feed: the tags alone, sent to the player `store_key`.

    A tag save or an accept reruns this small element instead of the player, whose data holds
    the 60-minute call's 1,000 segments with their words (#14.9). `seq` orders the lists of one
    session: the player shows the one with the highest, from its own data or from the feed.
    """
    return {"store_key": store_key, "seq": int(seq), "tags": shape_tags(tags, items)}


def _segments_fingerprint(segments: list[dict]) -> int:
    """Cheap change detector for segments (index, times, speaker, text, edit flag, words).

    Everything an edit, a speaker rename or a re-transcription changes; avoids rebuilding
    and re-serialising a 1,000-segment payload on every rerun.
    """
    rows = []
    for s in segments or ():
        words = s.get("words") or ()
        rows.append(
            (
                s.get("index"),
                s.get("start"),
                s.get("end"),
                s.get("speaker"),
                s.get("role"),
                s.get("text"),
                bool(s.get("edited")),
                s.get("version"),
                len(words),
                words[0].get("start") if words else None,
                words[-1].get("end") if words else None,
            )
        )
    return hash(tuple(rows))


def fingerprint(
    *,
    audio_url: str | None,
    duration: float,
    segments: list[dict],
    tags: list[dict],
    peaks: dict | None,
    items: list[dict],
    **options,
) -> int:
    """A per-process hash of everything `build_payload` reads (to reuse its result)."""
    peak_fp = None
    if peaks:
        peak_fp = (peaks.get("duration"), tuple(tuple(c) for c in peaks.get("peaks") or ()))
    return hash(
        (
            audio_url,
            float(duration or 0.0),
            _segments_fingerprint(segments),
            tags_fingerprint(tags),
            json.dumps(items or [], sort_keys=True, default=str),
            peak_fp,
            json.dumps(options, sort_keys=True, default=str),
        )
    )
