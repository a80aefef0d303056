"""Running the rules: a conversation's segments in, suggestions out.

Each rule kind has a runner (phrase, question, short turn, absence, order, trigger and
response); matches of a cue set are cached per segment for one run; overlapping suggestions
of one item and polarity are merged. Every suggestion carries why (cue, evidence, highlighted
words) and how sure it is (``cue_matching.confidence``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterable, Mapping

from .. import cue_matching
from ..transcript import CUSTOMER, MONO, Segment
from .cues import NO_QUESTION_MARK, CueSet, match_cue_at, match_sentence
from .rules import Rule, RuleSet, SafeDict, bundled_rules, parse_speaker
from .tokens import PreparedText, Sentence


@dataclass(frozen=True)
class Suggestion:
    start: float
    end: float
    item: str
    polarity: str  # "+" or "-"
    speaker: str
    reason: str
    rule_id: str
    segment_index: int
    confidence: float = 1.0  # 0–1: rule, closeness of the cue match, recogniser's word probabilities
    cue: str = ""  # the cue (or trigger → response) that made the rule fire
    evidence: str = ""  # the sentence(s) of the turn holding the match
    highlights: tuple[tuple[int, int], ...] = ()  # matched words as character spans in `evidence`

    def to_dict(self) -> dict:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "item": self.item,
            "polarity": self.polarity,
            "speaker": self.speaker,
            "reason": self.reason,
        }


def _speaker_ok(wanted: str, actual: str) -> bool:
    # an undiarised ("spreker") segment may be anyone, so every rule may look at it
    return wanted == "*" or actual == wanted or actual == MONO


@dataclass
class _Hit:
    seg: int
    t0: int  # token span in the segment, end exclusive
    t1: int
    cue: str
    weight: float = 1.0  # closeness of the match × word probabilities (cue_matching.weight)


class _Context:
    """Prepared segments plus cached cue-set matches for one run of the engine."""

    def __init__(self, segments: list[Segment], rules: RuleSet, until: float | None = None):
        self.segments = segments
        self.until = until  # end of the recording, when known
        self.order = sorted(range(len(segments)), key=lambda i: (segments[i].start, i))
        self.texts = [PreparedText.prepare(s, rules.aliases) for s in segments]
        self._cache: dict[tuple[int, int], list[_Hit]] = {}

    def hits(self, cs: CueSet, seg: int) -> list[_Hit]:
        key = (id(cs), seg)
        if key not in self._cache:
            t = self.texts[seg]
            norms = [tok.norm for tok in t.tokens]
            words = self.segments[seg].words
            sounds = t.heard if words else None
            out = []
            for s in t.sentences:
                # only recognised speech (with timed words) is matched by sound: typed text is what was meant
                for a, b, cue, score in match_sentence(cs, s, norms, fuzzy=bool(words), sounds=sounds):
                    probs = [words[i].probability for i in self.word_indices(seg, s.t0 + a, s.t0 + b)]
                    out.append(_Hit(seg, s.t0 + a, s.t0 + b, cue, cue_matching.weight(score, probs)))
            self._cache[key] = sorted(out, key=lambda h: (h.t0, h.t1))
        return self._cache[key]

    def word_indices(self, seg: int, t0: int, t1: int) -> list[int]:
        t = self.texts[seg]
        idx = [t.raw_to_word[r] for tok in t.tokens[t0:t1] for r in range(tok.r0, tok.r1)]
        return sorted({i for i in idx if i is not None})

    def span(self, seg: int, t0: int | None = None, t1: int | None = None) -> tuple[float, float]:
        """Time range of tokens t0..t1 of a segment: narrowed by word timings when known."""
        s = self.segments[seg]
        if t0 is None or t1 is None:
            return s.start, s.end
        idx = self.word_indices(seg, t0, t1)
        if not idx:
            return s.start, s.end
        start, end = s.words[min(idx)].start, s.words[max(idx)].end
        if end < start:
            return s.start, s.end
        return start, end


def _make(ctx: _Context, rule: Rule, seg: int, t0: int | None, t1: int | None, hits: tuple[_Hit, ...] = (), **fields) -> Suggestion:
    """A suggestion on tokens t0..t1 of a segment; `hits` are the cue matches it rests on
    (their words are highlighted when in this segment, their weights make its confidence)."""
    start, end = ctx.span(seg, t0, t1)
    text = ctx.texts[seg]
    match = text.excerpt(t0, t1) if t0 is not None and t1 is not None else text.text.strip()
    values = SafeDict(match=_shorten(match), turn=seg, **{k: _shorten(v) if isinstance(v, str) else v for k, v in fields.items()})
    speaker = ctx.segments[seg].speaker
    confidence = cue_matching.confidence(
        rule.params.get("confidence", _PRIOR[rule.kind]), [h.weight for h in hits], unsure_speaker=rule.speaker != "*" and speaker == MONO
    )
    evidence, marks = _evidence(text, [h for h in hits if h.seg == seg], t0, t1)
    return Suggestion(
        start,
        end,
        rule.item,
        rule.polarity,
        speaker,
        rule.reason.format_map(values),
        rule.id,
        seg,
        confidence,
        " → ".join(h.cue for h in hits),
        evidence,
        marks,
    )


# how sure a rule of each kind is before its cues are weighed: an absence or a missing response
# may be a recognition error, a phrase found is evidence in itself (a rule may set "confidence")
_PRIOR = {"phrase": 0.9, "question": 0.8, "short_turn": 0.75, "absent": 0.6, "before": 0.8, "absent_after": 0.65, "response_after": 0.9}


def _evidence(text: PreparedText, hits: list[_Hit], t0: int | None, t1: int | None) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The sentences holding the suggestion, and the matched words as spans in it."""
    toks = [k for h in hits for k in (h.t0, h.t1 - 1)] + ([t0, t1 - 1] if t0 is not None and t1 is not None else [])
    if not toks or not text.tokens:
        return _shorten(text.text, 300), ()
    first, last = text.sentence_of(min(toks)), text.sentence_of(max(toks))
    a = text.tokens[first.t0 if first else min(toks)].cstart
    b = text.tokens[(last.t1 if last else max(toks) + 1) - 1].cend
    while b < len(text.text) and not text.text[b].isspace():  # the sentence's closing punctuation
        b += 1
    marks = tuple((text.tokens[h.t0].cstart - a, text.tokens[h.t1 - 1].cend - a) for h in hits)
    return text.text[a:b], tuple(sorted(set(marks)))


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _extent(ctx: _Context, rule: Rule, hit: _Hit) -> tuple[int | None, int | None]:
    mode = rule.params.get("extent", "match")
    if mode == "segment":
        return None, None
    if mode == "sentence":
        s = ctx.texts[hit.seg].sentence_of(hit.t0)
        if s is not None:
            return s.t0, max(s.t1, hit.t1)
    return hit.t0, hit.t1


def _turns_of(ctx: _Context, speaker: str) -> list[int]:
    return [i for i in ctx.order if _speaker_ok(speaker, ctx.segments[i].speaker)]


def _runs(ctx: _Context, segs: list[int]) -> list[list[int]]:
    """The speaker's segments grouped into turns: runs with no other speaker's words between
    them (the recogniser cuts "Goedemiddag. Met Witgoed Direct, …" in two)."""
    pos = {seg: n for n, seg in enumerate(ctx.order)}
    runs: list[list[int]] = []
    for seg in segs:
        # an unattributed segment ("spreker": one voice in a mono call) is a turn of its own
        joined = runs and ctx.segments[seg].speaker != MONO and ctx.segments[runs[-1][-1]].speaker != MONO
        if joined and not any(ctx.texts[i].tokens for i in ctx.order[pos[runs[-1][-1]] + 1 : pos[seg]]):
            runs[-1].append(seg)
        else:
            runs.append([seg])
    return runs


def _first_last(ctx: _Context, segs: list[int], first, last) -> list[int]:
    """Only the segments of the speaker's first / last N turns (opening, closing)."""
    runs = _runs(ctx, segs)
    if first:
        runs = runs[: int(first)]
    if last:
        runs = runs[-int(last) :]
    return [seg for run in runs for seg in run]


def _run_phrase(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    cs = rule.compiled["match"]
    turns = _turns_of(ctx, rule.speaker)
    first, last = rule.params.get("first_turns"), rule.params.get("last_turns")
    if first or last:
        turns = _first_last(ctx, turns, first, last)
    max_words = rule.params.get("max_words")
    for seg in turns:
        if max_words and len(ctx.texts[seg].tokens) > int(max_words):
            continue
        for hit in ctx.hits(cs, seg):
            t0, t1 = _extent(ctx, rule, hit)
            out.append(_make(ctx, rule, seg, t0, t1, (hit,), cue=hit.cue))
    return out


def _commas(text: PreparedText, s: Sentence) -> frozenset[int]:
    """Tokens of the sentence followed by a comma."""
    return frozenset(k - 1 for k in range(s.t0 + 1, s.t1) if "," in text.text[text.tokens[k - 1].cend : text.tokens[k].cstart])


def _clause_starts(text: PreparedText, s: Sentence) -> list[int]:
    """The sentence's first token, then the first token after each comma in it: a question may
    follow a clause ("Ik bel over uw contract, heeft u even tijd?")."""
    return [s.t0] + [k for k in range(s.t0 + 1, s.t1) if "," in text.text[text.tokens[k - 1].cend : text.tokens[k].cstart]]


HEARD_STARTER = 0.8  # a question starter found by sound only ("milt u" for "wilt u")


UNMARKED_MIN_BODY = 2  # words after the starter of a sentence without "?" ("Is genoteerd." is no question)
HEARD_MIN_BODY = 3  # words after a filler heard as a starter ("Maar staat er precies …" is "Wat staat er …")
HEARD_MIN_LETTERS = 4  # a shorter heard word ("met", "mij") is too often itself a word to be a misheard starter


def _heard_starter_ok(norms: list[str], k: int, n: int, end: int, compiled, pauses: frozenset[int], marked: bool) -> bool:
    """Whether words k..k+n, heard like a starter, may be taken for it: long enough, not followed
    by a comma (an interjection: "Maar, met de afdeling") or by a word of ``heard_not_before``,
    and a word that is itself a filler ("maar" for "waar") only in a question: with a "?" or
    with a body of at least ``HEARD_MIN_BODY`` words."""
    if k + n > end or sum(len(w) for w in norms[k : k + n]) < HEARD_MIN_LETTERS or (k + n - 1) in pauses:
        return False
    if norms[k] in compiled["skip_leading"] and not (marked or end - (k + n) >= HEARD_MIN_BODY):
        return False
    if not marked and end - (k + n) < UNMARKED_MIN_BODY:
        return False
    return k + n == end or norms[k + n] not in compiled["heard_not_before"]


def _question_starter(
    norms: list[str], k: int, end: int, compiled, heard: bool, pauses: frozenset[int] = frozenset(), marked: bool = True
) -> tuple[int, tuple[str, ...], float] | None:
    """(position, starter, closeness) of a question starter at token k, after leading fillers, or None.

    On recognised speech a starter may also be heard by sound (``cue_matching.sound``), but
    not right before a word of ``heard_not_before``: "maar ik …" is no "waar ik". A sentence without
    "?" needs a body after its starter, and does not start after a word of ``statement_after``."""
    starters, skip = compiled["starters"], compiled["skip_leading"]
    while k < end:
        starter = next((st for st in starters if tuple(norms[k : k + len(st)]) == st and k + len(st) <= end), None)
        if starter is not None:
            return (k, starter, 1.0) if marked or end - (k + len(starter)) >= UNMARKED_MIN_BODY else None
        if heard:
            for n in sorted({len(st) for st in starters}, reverse=True):
                st = compiled["starter_sounds"].get(tuple(cue_matching.sound(w) for w in norms[k : k + n]))
                if st is not None and _heard_starter_ok(norms, k, n, end, compiled, pauses, marked):
                    return k, st, HEARD_STARTER
        if norms[k] not in skip or (not marked and norms[k] in compiled["statement_after"]):
            return None  # "Dan moet u zich inschrijven." is an instruction, not a question
        k += 1
    return None


def _run_question(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    need_mark = bool(rule.params.get("require_question_mark", True))
    exclude: CueSet | None = rule.compiled.get("exclude")
    turns = _turns_of(ctx, rule.speaker)
    for seg in turns:
        text = ctx.texts[seg]
        norms = [t.norm for t in text.tokens]
        heard = bool(ctx.segments[seg].words)
        for s in text.sentences:
            if rule.params.get("skip_greeting") and seg == turns[0] and s is text.sentences[0] and not s.question:
                continue  # the greeting opens the call ("Hoe de middag, …" is "Goedemiddag, …")
            # the recogniser writes only about half of the question marks: on recognised speech a
            # sentence opening with a question word is taken as a question, but less surely
            if need_mark and not s.question and not heard:
                continue
            # a question after a clause only when the "?" says the sentence is one
            clauses = _clause_starts(text, s) if s.question else [s.t0]
            pauses = _commas(text, s) if heard else frozenset()
            found = next(
                (f for f in (_question_starter(norms, c, s.t1, rule.compiled, heard, pauses, s.question) for c in clauses) if f), None
            )
            if found is None:
                continue
            k, starter, closeness = found
            if exclude is not None and match_sentence(exclude, s, norms, fuzzy=heard, sounds=text.heard if heard else None):
                continue
            probs = [ctx.segments[seg].words[i].probability for i in ctx.word_indices(seg, k, k + len(starter))]
            hit = _Hit(
                seg,
                k,
                k + len(starter),
                " ".join(starter),
                cue_matching.weight(closeness * (1.0 if s.question or not need_mark else NO_QUESTION_MARK), probs),
            )
            out.append(_make(ctx, rule, seg, k, s.t1, (hit,), starter=hit.cue))
    return out


SAME_TURN_PAUSE = 1.0  # seconds: a segment the same speaker goes on from this soon is part of one turn


def _goes_on(ctx: _Context, seg: int) -> bool:
    """Whether the speaker of `seg` goes straight on in the next segment ("Ja. Uw nummer is …",
    cut in two by the recogniser): a word that opens a turn is no listening signal."""
    n = ctx.order.index(seg)
    if n + 1 >= len(ctx.order):
        return False
    this, nxt = ctx.segments[seg], ctx.segments[ctx.order[n + 1]]
    return nxt.speaker == this.speaker != MONO and nxt.start - this.end < SAME_TURN_PAUSE


def _run_short_turn(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    signals = rule.compiled["signals"]
    max_words = int(rule.params.get("max_words", 4))
    for seg in _turns_of(ctx, rule.speaker):
        norms = [t.norm for t in ctx.texts[seg].tokens]
        if not norms or len(norms) > max_words or _goes_on(ctx, seg):
            continue
        i = 0
        while i < len(norms):
            ends = [e for e in (match_cue_at(c, norms, i, 0) for c in signals) if e is not None]
            if not ends:
                break
            i = max(ends)
        if i == len(norms):
            out.append(_make(ctx, rule, seg, 0, len(norms)))
        elif ctx.segments[seg].words:
            heard = _heard_signal(ctx, seg, signals)
            if heard is not None:
                out.append(_make(ctx, rule, seg, 0, len(norms), (heard,)))
    return out


def _heard_signal(ctx: _Context, seg: int, signals) -> _Hit | None:
    """A listening signal of several words heard by sound as the whole segment ("Ik bereipt het"
    for "Ik begrijp het"), as a cue match of its own."""
    text = ctx.texts[seg]
    sounds = text.heard
    for cue in signals:
        words = tuple(v for k, v in cue.parts if k == "lit")
        if len(words) < 2:
            continue  # one short word ("ja", "oke") is matched as written only
        m = cue_matching.find_fuzzy((words,), sounds, 0)
        rest = sounds[: m.start] + sounds[m.end :] if m is not None else ()
        if m is not None and all(w in cue_matching.FILLERS for w in rest):  # the whole segment
            probs = [ctx.segments[seg].words[i].probability for i in ctx.word_indices(seg, 0, len(sounds))]
            return _Hit(seg, 0, len(sounds), cue.source, cue_matching.weight(m.score, probs))
    return None


def _run_absent(ctx: _Context, rule: Rule) -> list[Suggestion]:
    """Fires once when no turn in scope matches ("no summary in the whole conversation")."""
    turns = [i for i in _turns_of(ctx, rule.speaker) if ctx.texts[i].tokens]
    if not turns or len(turns) < int(rule.params.get("min_turns", 1)):
        return []
    scope, n = rule.params.get("scope", "all"), int(rule.params.get("turns", 1))
    searched = _first_last(ctx, turns, n if scope == "first" else None, n if scope == "last" else None) if scope != "all" else turns
    if any(ctx.hits(rule.compiled["match"], i) for i in searched):
        return []
    if rule.params.get("anchor", "first") == "first":
        return [_make(ctx, rule, searched[0], None, None)]
    # "nothing in the whole call" is shown at its close, up to the end of the recording: the
    # recogniser often loses a last short word ("Dag.") that the absence is about
    s = _make(ctx, rule, searched[-1], None, None)
    end = max([s.end, *(seg.end for seg in ctx.segments)] + ([ctx.until] if ctx.until else []))
    return [dataclasses.replace(s, end=end)]


def _run_before(ctx: _Context, rule: Rule) -> list[Suggestion]:
    """Fires on the first event when no prerequisite came before it ("disclosure before verification")."""
    event, prereq = rule.compiled["event"], rule.compiled["prerequisite"]
    pre_speaker = parse_speaker(rule.params.get("prerequisite_speaker", rule.speaker), rule.id)
    rank = {seg: n for n, seg in enumerate(ctx.order)}
    first_event = None
    for seg in _turns_of(ctx, rule.speaker):
        hits = ctx.hits(event, seg)
        if hits:
            first_event = hits[0]
            break
    if first_event is None:
        return []
    ev_pos = (rank[first_event.seg], first_event.t0)
    for seg in _turns_of(ctx, pre_speaker):
        if rank[seg] > ev_pos[0]:
            break
        for h in ctx.hits(prereq, seg):
            if (rank[seg], h.t0) < ev_pos:
                return []
    t0, t1 = _extent(ctx, rule, first_event)
    return [_make(ctx, rule, first_event.seg, t0, t1, (first_event,), cue=first_event.cue)]


def _after_windows(ctx: _Context, rule: Rule):
    """Yield (trigger hit, the next `window` turns of the rule's speaker) for trigger/response rules.

    A turn is a run of consecutive segments of that speaker (ASR splits one turn into several
    segments). Segments shorter than ``min_words`` words, such as "hm-hm" while the customer
    goes on, neither count as a turn nor interrupt one.
    """
    trig_speaker = parse_speaker(rule.params.get("trigger_speaker", CUSTOMER), rule.id)
    window = int(rule.params.get("window", 1))
    min_words = int(rule.params.get("min_words", 1))
    pos = {seg: n for n, seg in enumerate(ctx.order)}
    for seg in _turns_of(ctx, trig_speaker):
        hits = ctx.hits(rule.compiled["trigger"], seg)
        if not hits:
            continue
        turns: list[list[int]] = []
        current: list[int] = []
        for i in ctx.order[pos[seg] + 1 :]:
            if len(turns) >= window:
                break
            if len(ctx.texts[i].tokens) < min_words:
                continue
            speaker = ctx.segments[i].speaker
            if speaker == MONO or not _speaker_ok(rule.speaker, speaker):
                if current:
                    turns.append(current)
                    current = []
                if speaker == MONO:
                    turns.append([i])
            else:
                current.append(i)
        if current and len(turns) < window:
            turns.append(current)
        yield hits[0], turns[:window]


def _run_absent_after(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    anchor = rule.params.get("anchor", "next_turn")
    for trig, turns in _after_windows(ctx, rule):
        if not turns:
            continue
        if any(ctx.hits(rule.compiled["response"], i) for turn in turns for i in turn):
            continue
        trig_text = ctx.texts[trig.seg].excerpt(trig.t0, trig.t1)
        if anchor == "trigger":
            out.append(_make(ctx, rule, trig.seg, trig.t0, trig.t1, (trig,), trigger=trig_text))
            continue
        span = turns[0] if anchor == "next_turn" else [i for turn in turns for i in turn]
        s = _make(ctx, rule, span[0], None, None, (trig,), trigger=trig_text)
        out.append(dataclasses.replace(s, end=max(ctx.segments[i].end for i in span)))
    return out


def _run_response_after(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    for trig, turns in _after_windows(ctx, rule):
        trig_text = ctx.texts[trig.seg].excerpt(trig.t0, trig.t1)
        for i in (i for turn in turns for i in turn):
            for hit in ctx.hits(rule.compiled["response"], i)[:1]:
                t0, t1 = _extent(ctx, rule, hit)
                out.append(_make(ctx, rule, i, t0, t1, (trig, hit), trigger=trig_text, cue=hit.cue))
    return out


_RUNNERS = {
    "phrase": _run_phrase,
    "question": _run_question,
    "short_turn": _run_short_turn,
    "absent": _run_absent,
    "before": _run_before,
    "absent_after": _run_absent_after,
    "response_after": _run_response_after,
}


def deduplicate(suggestions: Iterable[Suggestion], rule_order: Mapping[str, int] | None = None) -> list[Suggestion]:
    """Keep one suggestion per overlapping passage of the same item and polarity.

    The earliest passage wins; on equal start the rule listed first in the rule file wins,
    so a specific rule placed earlier takes precedence over a generic one.
    """
    order = rule_order or {}
    ranked = sorted(suggestions, key=lambda s: (s.item, s.polarity, s.start, order.get(s.rule_id, 1 << 30), s.end))
    kept: list[Suggestion] = []
    for s in ranked:
        clash = False
        for k in kept:
            if k.item != s.item or k.polarity != s.polarity:
                continue
            overlap = min(k.end, s.end) - max(k.start, s.start)
            if overlap > 0 or (k.start == s.start and k.end == s.end):
                clash = True
                break
        if not clash:
            kept.append(s)
    return sorted(kept, key=lambda s: (s.start, s.end, s.item, s.polarity))


def suggest(segments: list[Segment], rules: RuleSet | None = None, until: float | None = None) -> list[Suggestion]:
    """Propose tags for a conversation's segments (audio segments or text turns); `until`: the
    end of the recording in seconds, when known (an absence at the close reaches up to it)."""
    rules = rules if rules is not None else bundled_rules()
    segments = list(segments)
    if not segments:
        return []
    ctx = _Context(segments, rules, until)
    found: list[Suggestion] = []
    for rule in rules.rules:
        hits = _RUNNERS[rule.kind](ctx, rule)
        if "max_hits" in rule.params:  # e.g. only the first verification question of a call
            hits = sorted(hits, key=lambda h: (h.start, h.end))[: int(rule.params["max_hits"])]
        found.extend(h for h in hits if h.confidence >= rules.min_confidence)
    return deduplicate(found, {r.id: n for n, r in enumerate(rules.rules)})
