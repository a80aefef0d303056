"""The synchronised audio player + transcript: a Streamlit components-v2 element.

HTML, CSS and JS ship inside this package (no CDN, no build step; the JS is a few modules by
topic, joined into one, see JS_PARTS) and run in the app page
(inside a shadow root, so styles stay isolated). Python sends the payload built by
``payload.build_payload``; the browser reports one-off events as a trigger value
(``event``) and the playback position as state (``time``).

Reruns neither reload the audio nor reset its position: the ``src`` URL is stable (see
``ksf_review.ui.media``), the JS keeps one player per mounted element and only applies what
changed, and it remembers the position per ``key`` in the page so a re-created element
resumes where it was.

Every ``time`` report and every event triggers a rerun of the script (that is how
components v2 works). Put the player (and what reads its result) in an ``st.fragment`` so
those reruns touch only the fragment, not the whole page.
"""

from __future__ import annotations

import json
import time
from importlib.resources import files

import streamlit as st

from ksf_review.ui.player.payload import (
    EINDTERM_COLORS,
    SHORTCUTS,
    SPEEDS,
    TEXT_SHORTCUTS,
    build_payload,
    fingerprint,
    payload_json,
    tag_marks,
    tags_fingerprint,
)

__all__ = ["render_player", "render_tag_marks", "SHORTCUTS", "TEXT_SHORTCUTS", "SPEEDS", "EINDTERM_COLORS", "build_payload"]

_ASSETS = files(__name__)


def _asset(name: str) -> str:
    return _ASSETS.joinpath(name).read_text(encoding="utf-8")


#: the player's JS modules, in order: core.js declares the Player class (and the component's
#: default export), the others add its methods by topic. Streamlit serves one component, so
#: they are joined into one ES module here (no bundler, no build step).
JS_PARTS = ("core.js", "transport.js", "transcript.js", "waveform.js", "selection.js", "keys.js")


def player_js() -> str:
    return "\n".join(f"// ---- {name}\n{_asset(name)}" for name in JS_PARTS)


_COMPONENT = st.components.v2.component(
    "ksf_review_player",
    html=_asset("player.html"),
    css=_asset("player.css"),
    js=player_js(),
    isolate_styles=True,
)


#: the player's tag feed: no markup; its JS hands the tags to the mounted player of its
#: `store_key` (window.__ksfPlayer), or keeps them for a player that mounts later
_TAG_MARKS_JS = """
export default function mount({ data }) {
  const d = typeof data === "string" ? JSON.parse(data) : data;
  if (!d || !d.store_key) return;
  const G = (window.__ksfPlayer = window.__ksfPlayer || { positions: {}, commands: {}, players: new Set(), active: null });
  G.tagFeed = G.tagFeed || {};
  const had = G.tagFeed[d.store_key];
  if (had && had.seq > d.seq) return;
  G.tagFeed[d.store_key] = { seq: d.seq, tags: d.tags || [] };
  for (const p of G.players) if (p.storeKey === d.store_key && p.alive()) p.feedTags();
}
"""
_TAG_MARKS = st.components.v2.component("ksf_review_player_tags", js=_TAG_MARKS_JS)

_SEQ = "_ksf_player_tags_seq"


def _tags_seq(key: str, tags: list[dict]) -> int:
    """The number of this list of tags for player `key`: higher whenever the list changed (in
    the player's data or the feed), the same while it did not (a rerun sends the same data).
    Milliseconds of the clock, so a new session in the same browser window (a reconnect after a
    server restart) never numbers its lists below what the window already holds."""
    seen: dict = st.session_state.setdefault(_SEQ, {})
    fp = tags_fingerprint(tags)
    last = seen.get(key)
    if last is not None and last[0] == fp:
        return last[1]
    seq = max(int(time.time() * 1000), (last[1] + 1) if last else 0)
    seen[key] = (fp, seq)
    return seq


def render_tag_marks(*, key: str, tags: list[dict], items: list[dict]) -> None:
    """Show `tags` in the player `key` without sending the player again (#14.9).

    The player's own data holds the whole transcript; a tag save or an accept reruns this
    small element (in its own fragment) instead, and the player redraws its tag marks only.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return
    data = json.dumps(tag_marks(str(key), tags, items, _tags_seq(str(key), tags)), separators=(",", ":"), ensure_ascii=False)
    _TAG_MARKS(key=f"tagmarks-{key}", data=data)


def _noop() -> None:
    """Registers `time`/`event` as component keys; the value is read from the result."""


def _payload_json(key: str, inputs: dict, options: dict) -> str:
    """The payload as a JSON string, rebuilt only when its inputs changed.

    Passing a ready JSON string (the JS parses it) spares Streamlit from walking and
    re-serialising a large dict on every rerun; the per-session cache spares us from
    rebuilding it. Measured on 1,000 segments x 15 words: ~75 ms -> ~10 ms per rerun.
    """
    fp = fingerprint(**inputs, **options)
    cache: dict = st.session_state.setdefault("_ksf_player_payloads", {})
    hit = cache.get(key)
    if hit is not None and hit[0] == fp:
        return hit[1]
    text = payload_json(**inputs, **options)
    cache[key] = (fp, text)
    return text


def render_player(
    *,
    audio_url: str | None,
    duration: float,
    segments: list[dict],
    tags: list[dict],
    peaks: dict | None,
    items: list[dict],
    playback_rate: float = 1.0,
    recent: tuple | list = (),
    key: str,
    agent_channel: int = 0,
    transcript_height: int = 460,
    report_interval: float = 1.0,
    command: dict | None = None,
    can_tag: bool = True,
    can_correct: bool = True,
) -> dict | None:
    """Render the player and return ``{"event": dict | None, "time": float}``.

    event (only in the run it happened, else None):
      ``{"type": "select", "start", "end", "text", "speakers", "time"}`` – words selected
      in the transcript or a range dragged on the waveform;
      ``{"type": "tag_click", "id", "start", "end", "time"}`` – a tag was clicked (it plays);
      ``{"type": "rate", "value", "time"}`` – the speed changed (keep it per user and pass
      it back as `playback_rate`).
    `recent`: the user's recently used (item, "+"/"-") pairs, most recent first: keys 1-9 tag
    with them (the page keeps them per user, so they survive a reload).
    time: the last reported playback position in seconds (reported every
    `report_interval` s while playing and at once on pause/seek; in a run with an event,
    the event's own time).
    Each report is a rerun (~60 ms server CPU on the 2-core box, whatever the page), so
    the default is 1 s; 0.25 gives 4 reports/s at ~0.25 CPU core per listening examiner.
    The position itself never depends on this: the browser keeps it across reruns.

    `audio_url` None renders a text conversation (chat/e-mail): turns only, turn i spans
    [i, i+1). `agent_channel` (0 = left, 1 = right) puts the medewerker lane on top.
    `command` asks the player to act once: ``{"seq": n, "action": "play_range",
    "start", "end"}`` or ``{"seq": n, "action": "seek", "start"}``; a new `seq` runs it again.
    `can_tag` / `can_correct` False: no item picker (T, 1-9) or line editor (E, double click).
    Returns None outside a Streamlit script run.
    """
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    inputs = dict(audio_url=audio_url, duration=duration, segments=segments, tags=tags, peaks=peaks, items=items)
    options = dict(
        playback_rate=playback_rate,
        recent=[list(r) for r in recent],
        agent_channel=agent_channel,
        store_key=str(key),
        transcript_height=transcript_height,
        report_interval=report_interval,
        command=command,
        tags_seq=_tags_seq(str(key), tags),
        can_tag=can_tag,
        can_correct=can_correct,
    )
    data = _payload_json(str(key), inputs, options)
    result = _COMPONENT(
        key=key,
        data=data,
        default={"time": 0.0},
        on_time_change=_noop,
        on_event_change=_noop,
    )
    event = result.get("event")
    event = event if isinstance(event, dict) else None
    raw_time = event.get("time") if event and event.get("time") is not None else result.get("time")
    try:
        time = float(raw_time or 0.0)
    except (TypeError, ValueError):
        time = 0.0
    return {"event": event, "time": time}
