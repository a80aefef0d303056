"""The review workspace: the synchronised player on the left, tagging and tools on the right.

The player, its tag feed, the tag panel (form, undo, list) and the suggestions are fragments:
playback reports rerun only the player, a tag save reruns the tag panel and the tag feed (which
hands the new tags to the player without sending its transcript again), an accept the
suggestions, the tag panel and the tag feed, a reject the suggestions (#14.9); the
suggestions are read from the file the worker stored for this transcript revision, or (after a
correction) computed in the background, so opening the page never waits for them. A
selection (words in the transcript, a range dragged on the waveform, a tag clicked) is stored
as the pending passage of that player and reruns the page, where the tag form picks it up. The
pending passage is what the player highlights: it stays after a save (a second item on the
same passage), and "Selectie wissen" clears both.

A long chat or e-mail is shown a page of turns at a time (`turn_pages`): the player, the
segment picker and the suggestions get that page only, so a 1 MB chat opens as quickly as
a short one; exports still hold the whole conversation.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ..domain.quote import quote
from ..domain.states import ACTIVE_JOBS, JobState
from ..domain.tags import format_span, format_time
from ..domain.turns import turn_pages
from ..services import conversations as conv_svc
from ..services import tagging
from ..services import transcript_edits as edits
from ..services.context import Conflict, ServiceError
from ..services.playback import player_media
from ..services.users import push_recent_item, set_playback_rate
from .context import USER, remember_playback_rate, remember_recent_items
from .dutch import CHOOSE
from .escape import md
from .feedback import confirm, show_confirmations
from .jobs import job_progress_cell
from .media import media_url
from .player import TEXT_SHORTCUTS, render_player, render_tag_marks
from .player.payload import speaker_label
from .selection import pop_seek, show_place
from .suggestions_panel import POLL_SECONDS, render_suggestions, suggestions_ready
from .tagging import tag_form, tag_list
from .transcript_panel import render_corrections, render_exports
from .turn_input import turn_input
from .undo import conversation, remember, render_undo

PENDING = "pending_selection"
PLAY = "play_request"
SEQ = "player_command_seq"
VIEWED = "viewed_conversations"
#: turns per page of a text conversation, and about this many characters at most
PAGE_TURNS = 100
PAGE_CHARS = 20_000


def _job_notice(ctx, conv) -> None:
    if conv.is_text:
        return
    if conv.job_status in ACTIVE_JOBS:
        st.info("De transcriptie loopt nog. Je kunt al luisteren; het transcript verschijnt vanzelf.", icon="⏳")
        if conv.job_id is not None:  # the live bar, as on Examens (the step included), not a figure frozen at opening
            job_progress_cell(ctx, conv.job_id)
    elif conv.job_status == JobState.FAILED:
        st.error(f"Transcriptie mislukt: {md(conv.job_error)} Start hem opnieuw op de pagina Examens.")
    elif conv.job_status == JobState.CANCELLED:
        st.warning("De transcriptie is geannuleerd; start hem opnieuw op de pagina Examens.")
    if conv.has_audio and conv.audio_path is None:
        st.warning(
            "De opname is verwijderd (bewaartermijn verlopen); transcript-gegevens en markeringen "
            "blijven bewaard zolang de bewaartermijn dat toestaat."
        )


def _no_speech_notice(ctx, user, conv, *, can_confirm: bool) -> None:
    """A recording without any speech: flagged, and not counted until the examiner confirms it."""
    if not conv.no_speech:
        return
    if conv.no_speech_confirmed:
        st.caption(
            ":material/volume_off: Geen spraak gevonden in deze opname; op jouw bevestiging telt het gesprek "
            "mee voor de minimaal drie gesprekken."
        )
        return
    st.warning(
        "**Geen spraak gevonden** in deze opname (bijvoorbeeld alleen een piep of stilte). Het gesprek telt "
        "niet mee voor de minimaal drie gesprekken van de praktijktoets, tot je bevestigt dat het meetelt.",
        icon=":material/volume_off:",
    )
    if can_confirm and st.button("Gesprek telt toch mee", key=f"speech{conv.id}"):
        try:
            conv_svc.confirm_no_speech(ctx, user, conv.id)
            st.rerun()
        except ServiceError as exc:
            st.error(str(exc))


_SEG_DICTS = conv_svc.RevisionCache()


def _segment_dicts(ctx, user, conv, segments) -> list[dict]:
    """The player's segment dicts, built once per transcript revision and page (shared, read-only)."""
    rev = conv_svc.segments_revision(ctx, user, conv.id)
    key = (rev, len(segments), segments[0].start if segments else None, segments[-1].end if segments else None)
    hit = _SEG_DICTS.get(key) if rev is not None else None
    if hit is not None:
        return hit
    out = _build_segment_dicts(ctx, user, conv, segments)
    if rev is not None:
        _SEG_DICTS.put(key, out)
    return out


def _build_segment_dicts(ctx, user, conv, segments) -> list[dict]:
    details = {d.index: d for d in edits.segment_details(ctx, user, conv.id)} if conv.has_audio else {}
    edited = {i for i, d in details.items() if d.text != d.original_text}
    roles = {name: label for label, name in (conv.speaker_names or {}).items()}  # a renamed speaker keeps its colour
    return [
        {
            "index": i,
            "start": s.start,
            "end": s.end,
            "speaker": s.speaker,
            "role": roles.get(s.speaker, s.speaker),
            "text": s.text,
            "words": [w.to_dict() for w in s.words],
            "edited": i in edited,
            "version": details[i].version if i in details else 1,
        }
        for i, s in enumerate(segments)
    ]


def _command(play: dict | None, key: str) -> dict | None:
    """The player's one-off command; the last one is kept per player, so another player
    (the same conversation on another page) never replays it."""
    last = st.session_state.setdefault("_last_command", {})
    if not play:
        return last.get(key)
    st.session_state[SEQ] = st.session_state.get(SEQ, 0) + 1
    cmd = {
        "seq": st.session_state[SEQ],
        "action": play.get("action", "play_range"),
        "start": play.get("start", 0.0),
        "end": play.get("end", 0.0),
    }
    last[key] = cmd
    return cmd


def _pending(key: str) -> dict | None:
    """The passage selected in the player `key` (None: nothing selected)."""
    return st.session_state.get(PENDING, {}).get(key)


def _set_pending(key: str, start: float, end: float) -> None:
    st.session_state.setdefault(PENDING, {})[key] = {"start": float(start), "end": float(end)}


KEY_TAG = "_keyboard_tag"


def _save_keyboard_tag(ctx, user, conv, segments, key: str, assessment_id: int | None) -> None:
    """Store a tag sent by the player's keyboard picker (#19.1); say what was saved or why not."""
    ev = st.session_state.get(KEY_TAG)
    if not ev or ev.get("key") != key:
        return
    st.session_state.pop(KEY_TAG, None)
    try:
        s, e = float(ev["start"]), float(ev["end"])
        made = tagging.add_tags(
            ctx,
            user,
            conv.id,
            s,
            e,
            [str(ev["item"])],
            str(ev.get("polarity", "+")),
            excerpt=quote(segments, s, e),
            assessment_id=assessment_id,
        )
    except (ServiceError, ValueError, KeyError, TypeError) as exc:
        st.error(f"Markering niet opgeslagen: {md(str(exc))}")
        return
    before, after = push_recent_item(ctx, user, str(ev["item"]), str(ev.get("polarity", "+")))
    remember_recent_items(after)  # keys 1-9, also after a reload
    remember(
        f"markering {ev['item']}",
        "tags_added",
        conversation(conv.id),
        conv_id=conv.id,
        ids=[t.id for t in made],
        versions=[t.version for t in made],
        recent=(before, after),  # an undo puts keys 1-9 back as they were
    )
    confirm(f"Markering {ev['item']} {'−' if ev.get('polarity') == '-' else '+'} ({format_span(s, e, conv.has_audio)}) opgeslagen.")


KEY_CORRECT = "_inplace_correction"


def _save_inplace_correction(ctx, user, conv, key: str) -> None:
    """A line corrected in the player (#19.7): saved against the version the player showed."""
    ev = st.session_state.get(KEY_CORRECT)
    if not ev or ev.get("key") != key:
        return
    st.session_state.pop(KEY_CORRECT, None)
    try:
        index = int(ev["index"])
        before = next((d.text for d in edits.segment_details(ctx, user, conv.id) if d.index == index), None)
        saved = edits.edit_segment(
            ctx,
            user,
            conv.id,
            index,
            text=str(ev.get("text", "")),
            expected_version=int(ev["version"]) if ev.get("version") is not None else None,
        )
    except Conflict:
        st.error(edits.CONFLICT, icon=":material/sync_problem:")
        return
    except (ServiceError, ValueError, TypeError) as exc:
        st.error(f"Correctie niet opgeslagen: {md(str(exc))}")
        return
    remember(
        f"correctie regel {index + 1}",
        "segment_edited",
        conversation(conv.id),
        conv_id=conv.id,
        index=index,
        version=saved.version,
        before={"text": before},
    )
    confirm(f"Correctie opgeslagen (regel {index + 1}).")


def _clear_pending(key: str) -> None:
    st.session_state.get(PENDING, {}).pop(key, None)


def _playback_rate(user) -> float:
    """The speed the user last chose (a fragment rerun keeps the user of the full run it came from)."""
    return getattr(st.session_state.get(USER, user), "playback_rate", 1.0) or 1.0


def _recent_items(user) -> tuple:
    """The items the user last tagged from the keyboard (keys 1-9), most recent first."""
    return getattr(st.session_state.get(USER, user), "recent_items", ())


@dataclass
class _View:
    """What the panels of one workspace share; fragments read the tags again on their own reruns."""

    ctx: object
    user: object
    conv: object
    rubric: object
    key: str  # the player's key; the fragments' keys derive from it
    assessment_id: int | None
    locked: bool
    segments: list  # the page of turns on screen (all segments of a recording)
    span: tuple[float, float] | None
    tags: list  # read in this page run

    def frag(self, part: str) -> str:
        """The key of this workspace's fragment `part` (tags, player, suggestions)."""
        return frag_key(part, self.conv.id, self.assessment_id)

    @property
    def after_tag_change(self) -> list[str]:
        """The fragments that show tags: a new tag reruns these, not the page (#14.9). The
        player's marks come from its small tag feed ("marks"), so the player itself (the whole
        transcript) is not sent again."""
        return [self.frag("tags"), self.frag("marks")]

    def tag_dicts(self) -> list[dict]:
        """The tags on screen as the player (and its tag feed) reads them."""
        return [
            {"id": t.id, "start": t.start, "end": t.end, "item": t.item, "polarity": t.polarity, "note": t.note}
            for t in self.current_tags()
        ]

    def current_tags(self) -> list:
        """The tags on screen; read again when only a fragment reruns (the page's list is old then)."""
        tags = tagging.list_tags(self.ctx, self.user, self.conv.id, assessment_id=self.assessment_id) if fragment_rerun() else self.tags
        if self.span is not None:
            tags = [t for t in tags if t.start < self.span[1] and t.end > self.span[0]]
        return tags

    def all_tags(self) -> list:
        if fragment_rerun():
            return tagging.list_tags(self.ctx, self.user, self.conv.id, assessment_id=self.assessment_id)
        return self.tags


def frag_key(part: str, conv_id: int, assessment_id: int | None = None) -> str:
    return f"ws-{part}-{conv_id}-{assessment_id or 0}"


def fragment_rerun() -> bool:
    """True while Streamlit reruns only fragments (not the whole page)."""
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    run = get_script_run_ctx(suppress_warning=True)
    return bool(run and run.fragment_ids_this_run)


def _player(v: _View, command: dict | None, in_url: bool = True) -> None:
    ctx, user, conv, key = v.ctx, v.user, v.conv, v.key
    media = player_media(ctx, conv)
    audio_url = media_url(media.path, media.mimetype) if media.path else None
    peaks = media.peaks
    if media.problem:
        st.caption(media.problem)
    seg_dicts = _segment_dicts(ctx, user, conv, v.segments)
    items = [{"code": it.code, "label": it.text, "eindterm": it.eindterm} for it in v.rubric.items]

    @st.fragment(key=v.frag("player"))
    def _fragment():
        result = render_player(
            audio_url=audio_url,
            duration=conv.duration,
            segments=seg_dicts,
            tags=v.tag_dicts(),
            peaks=peaks,
            items=items,
            playback_rate=_playback_rate(user),
            recent=_recent_items(user),
            key=key,
            agent_channel=0 if conv.agent_channel == "left" else 1,
            command=command,
            can_tag=not v.locked,
            can_correct=not v.locked and v.assessment_id is None,
        )
        if in_url and conv.has_audio and result and conv.exam_id is not None:
            show_place(conv.exam_id, conv.id, result.get("time", 0.0))  # ?examen=…&gesprek=…&t=…
        _player_event(ctx, user, key, (result or {}).get("event"))

    @st.fragment(key=v.frag("marks"))
    def _marks():  # drawn on page runs too (the same list as the player's data): no shift on a save
        render_tag_marks(key=key, tags=v.tag_dicts(), items=items)

    _fragment()
    _marks()
    if conv.has_audio:  # the player draws the legend of the keys itself
        st.caption("De sneltoetsen hierboven werken niet terwijl je in een tekstveld typt.")
    else:
        keys = " · ".join(f"**{k}** {v}" for k, v in TEXT_SHORTCUTS)  # without a recording only these work
        st.caption(f"Sneltoets: {keys} — werkt niet terwijl je in een tekstveld typt.")


def _player_event(ctx, user, key: str, event: dict | None) -> None:
    if not event:
        return
    if event.get("type") in ("select", "tag_click") and event.get("end", 0) > event.get("start", 0):
        # a repeat of the same selection is a new event too: always take it, always rerun,
        # so the form shows what the player highlights
        _set_pending(key, event["start"], event["end"])
        st.rerun()
    elif event.get("type") == "tag" and event.get("item"):
        # a tag typed in the player (T … Enter, or a recent item's key): saved by the page,
        # which knows whether this conversation may be tagged (and for which assessment)
        st.session_state[KEY_TAG] = {**event, "key": key}
        st.rerun()
    elif event.get("type") == "correct" and event.get("index") is not None:
        st.session_state[KEY_CORRECT] = {**event, "key": key}  # saved by the page, see above
        st.rerun()
    elif event.get("type") == "rate":
        set_playback_rate(ctx, user, float(event["value"]))
        remember_playback_rate(float(event["value"]))


def _range_picker(conv, segments) -> tuple[float, float]:
    """The turns to tag when nothing is selected: two numbers ("beurt"), each with its turn's
    time, speaker and text beside it, so the examiner sees what a number stands for.

    Not two selectboxes over every turn: those sent a 60-minute call's 1,000 labelled
    options, twice, to the browser on every rerun of the tag panel (a tag save, an accept).
    The numbers are the transcript's own ("#n" in a chat; a page of a long chat keeps its
    numbers); the form above the save button shows the resulting passage, which is what a
    save stores."""
    first_no = int(segments[0].start) + 1 if conv.is_text else 1  # a page of a long chat: its own numbers
    last_no = first_no + len(segments) - 1

    def label(no: int) -> str:
        sg = segments[no - first_no]
        when = format_time(sg.start) if conv.has_audio else f"beurt {no}"
        text = sg.text if len(sg.text) <= 60 else sg.text[:59] + "…"
        return md(f"{when} {speaker_label(sg.speaker)}: {text}")  # "Klant", as the transcript says

    a, b = st.columns(2)
    first = turn_input(a, "Van beurt", f"from{conv.id}", first_no, last_no)  # a number out of range: a Dutch warning
    a.caption(label(first))
    last = turn_input(b, "Tot en met beurt", f"to{conv.id}", first_no, last_no, default=first)
    b.caption(label(last))
    first, last = min(first, last), max(first, last)
    return segments[first - first_no].start, segments[last - first_no].end


def _text_page(conv, segments, play: dict | None) -> tuple[list, tuple[float, float] | None]:
    """The turns to show of a long text conversation, and their time span (None: everything)."""
    if not conv.is_text:
        return segments, None
    pages = turn_pages([len(sg.text) for sg in segments], PAGE_TURNS, PAGE_CHARS)
    if len(pages) <= 1:
        return segments, None
    key = f"textpage{conv.id}"
    if play and "start" in play:  # a tag or suggestion on another page: open that page
        at = next((i for i, (a, b) in enumerate(pages) if a <= int(play["start"]) < b), None)
        if at is not None:
            st.session_state[key] = at
    if st.session_state.get(key, 0) >= len(pages):
        st.session_state[key] = 0
    i = st.selectbox(
        "Beurten",
        range(len(pages)),
        key=key,
        format_func=lambda i: f"beurt {pages[i][0] + 1}–{pages[i][1]} van {len(segments)}",
        placeholder=CHOOSE,
    )
    a, b = pages[i]
    return segments[a:b], (float(a), float(b))


def _play(key: str, request: dict | None) -> None:
    """A ▶ in the tag list or the suggestions: the player plays (and highlights) that passage."""
    if not request:
        return
    st.session_state[PLAY] = request
    if request.get("end", 0) > request.get("start", 0):
        _set_pending(key, request["start"], request["end"])  # the player highlights it
    st.rerun()


def _tag_panel(v: _View) -> None:
    """Form, undo and list of tags: one fragment, rerun with the player after a tag save (#14.9)."""

    @st.fragment(key=v.frag("tags"))
    def _panel():
        if fragment_rerun():
            show_confirmations()  # the page's own call does not run in a fragment rerun
        _tag_form(v)
        if not v.locked:
            render_undo(v.ctx, v.user, key=v.key, where=conversation(v.conv.id))
        tags = v.all_tags()
        st.markdown(f"**Markeringen ({len(tags)})**")
        _play(v.key, tag_list(v.ctx, v.user, v.rubric, v.conv, tags, disabled=v.locked))

    _panel()


def _tag_form(v: _View) -> None:
    if not v.segments:
        st.caption("Nog geen transcript om te markeren.")
        return
    if v.locked:
        return
    pending = _pending(v.key)
    if pending:
        start, end = pending["start"], pending["end"]
        if st.button("Selectie wissen", key=f"clear{v.key}"):
            _clear_pending(v.key)
            st.session_state[PLAY] = {"action": "clear_selection"}
            st.rerun()
    else:
        st.caption("Selecteer woorden in het transcript of sleep over de golfvorm — of kies hier de segmenten:")
        start, end = _range_picker(v.conv, v.segments)
    # the selection stays after a save: the next item can go on the same passage
    tag_form(
        v.ctx,
        v.user,
        v.rubric,
        v.conv,
        v.segments,
        start,
        end,
        key=f"tagform{v.conv.id}-{v.assessment_id or 0}",
        assessment_id=v.assessment_id,
        rerun=v.after_tag_change,
    )


def _suggestions(v: _View) -> None:
    """The suggestions in a fragment: an accept reruns it, the tag list and the player (#14.9)."""
    scopes = {"accept": [v.frag("suggestions"), *v.after_tag_change], "reject": [v.frag("suggestions")]}
    ready = suggestions_ready(v.ctx, v.user, v.conv.id, v.span)

    @st.fragment(key=v.frag("suggestions"), run_every=None if ready else POLL_SECONDS)
    def _panel():
        if fragment_rerun():
            show_confirmations()
        _play(
            v.key,
            render_suggestions(
                v.ctx,
                v.user,
                v.conv,
                v.rubric,
                disabled=v.locked,
                assessment_id=v.assessment_id,
                span=v.span,
                rerun=scopes,
                polling=not ready,
            ),
        )

    _panel()


def _page_notices(ctx, user, exam, conv, assessment_id: int | None, locked: bool) -> None:
    _job_notice(ctx, conv)
    _no_speech_notice(ctx, user, conv, can_confirm=assessment_id is None and not (exam is not None and exam.finalised))
    viewed = st.session_state.setdefault(VIEWED, set())
    if conv.id not in viewed:
        conv_svc.record_view(ctx, user, conv.id)
        viewed.add(conv.id)
    if locked and assessment_id is None and exam is not None:
        st.info("Dit examen is afgerond; markeringen kunnen niet meer wijzigen.", icon=":material/lock:")


def _refuse_player_change(state_key: str, key: str, what: str, why: str) -> None:
    """A change the player sent for this workspace that may not be saved: dropped at once, with the
    reason (kept in the session, it was stored as soon as the exam was reopened)."""
    ev = st.session_state.get(state_key)
    if ev and ev.get("key") == key:
        st.session_state.pop(state_key, None)
        st.error(f"{what} niet opgeslagen: {why}", icon=":material/lock:")


def _read_only_reason(assessment_id: int | None, locked: bool) -> str:
    if assessment_id is None:
        return "dit examen is afgerond."
    return "je beoordeling is ingediend of de sessie is gesloten." if locked else "in een kalibratiesessie wijzigt het transcript niet."


def _read_with_player_saves(ctx, user, conv, key: str, assessment_id: int | None, locked: bool) -> tuple[list, list]:
    """The segments and tags, after storing a correction or a tag the player sent (so both show them)."""
    if conv.has_audio and not locked and assessment_id is None:  # before the transcript is read
        _save_inplace_correction(ctx, user, conv, key)
    else:
        _refuse_player_change(KEY_CORRECT, key, "Correctie", _read_only_reason(assessment_id, locked))
    segments = conv_svc.conversation_segments(ctx, user, conv.id)
    if segments and not locked:  # before the tags are read: the list and the player show it
        _save_keyboard_tag(ctx, user, conv, segments, key, assessment_id)
    elif locked:
        _refuse_player_change(KEY_TAG, key, "Markering", _read_only_reason(assessment_id, locked))
    return segments, tagging.list_tags(ctx, user, conv.id, assessment_id=assessment_id)


def render_workspace(ctx, user, exam, conv, rubric, *, assessment_id: int | None = None, locked: bool | None = None) -> None:
    """`assessment_id` set: a calibration participant's own blind tags instead of the exam's.

    The player, the tag panel and the suggestions are fragments: a tag save, an accept or a
    reject reruns the ones that show what changed, not the page (#14.9).
    """
    locked = exam.finalised if locked is None else locked
    key = f"player-{conv.id}-{assessment_id or 0}"
    _page_notices(ctx, user, exam, conv, assessment_id, locked)
    all_segments, all_tags = _read_with_player_saves(ctx, user, conv, key, assessment_id, locked)
    play = st.session_state.pop(PLAY, None)
    seek = pop_seek(conv.id)  # a link or reload with ?t=…
    if play is None and seek is not None:
        play = {"action": "seek", "start": seek}
    segments, span = _text_page(conv, all_segments, play)
    v = _View(ctx, user, conv, rubric, key, assessment_id, locked, segments, span, all_tags)

    left, right = st.columns([3, 2], gap="large")
    with left:
        # the URL carries the place in Beoordelen only: a calibration participant may not open the exam
        _player(v, _command(play, key), in_url=assessment_id is None)
    with right:
        tab_tag, tab_sugg, tab_text, tab_export = st.tabs(
            [":material/sell: Markeren", ":material/lightbulb: Suggesties", ":material/edit: Transcript", ":material/download: Export"]
        )
        with tab_tag:
            _tag_panel(v)
        with tab_sugg:
            _suggestions(v)
        with tab_text:
            if conv.has_audio and segments:
                render_corrections(ctx, user, conv, segments, disabled=locked or assessment_id is not None)
            else:
                st.caption("Correcties zijn er voor getranscribeerde opnames.")
        with tab_export:
            render_exports(ctx, user, conv, all_segments, all_tags, rubric)
