"""Compiling cues and finding them in a sentence.

A cue is a phrase of normalised words in which ``*`` is a gap of up to ``max_gap`` words
and ``word*`` a prefix; a cue set groups cues, question-only cues, regexes and exclusions,
and may name shared cue sets of the rule file. On recognised speech a cue not found exactly
is looked for by sound (``cue_matching``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, Mapping

from .. import cue_matching
from .errors import SuggestionRuleError
from .tokens import Aliases, Sentence, apply_aliases, raw_tokens


@dataclass(frozen=True)
class Cue:
    source: str
    parts: tuple[tuple[str, str], ...]  # ("lit"|"prefix"|"gap", value)


@dataclass(frozen=True)
class CueSet:
    """Compiled cues: phrases anywhere, phrases only in questions, regexes, exclusions."""

    cues: tuple[Cue, ...] = ()
    question_cues: tuple[Cue, ...] = ()
    patterns: tuple[re.Pattern, ...] = ()
    question_patterns: tuple[re.Pattern, ...] = ()
    exclude: tuple["CueSet", ...] = ()
    max_gap: int = 3
    min_similarity: float | None = None  # for matching by sound; None: by cue length (cue_matching.min_score)

    def is_empty(self) -> bool:
        return not (self.cues or self.question_cues or self.patterns or self.question_patterns)


def compile_cue(phrase: str, aliases: Aliases) -> Cue:
    parts: list[tuple[str, str]] = []
    literal: list[tuple[str, int, int]] = []

    def flush():
        parts.extend(("lit", t.norm) for t in apply_aliases(literal, aliases))
        literal.clear()

    for piece in str(phrase).split():
        if piece == "*":
            flush()
            parts.append(("gap", ""))
        elif piece.endswith("*") and len(piece) > 1:
            toks = raw_tokens(piece[:-1])
            literal.extend(toks[:-1])
            flush()
            if toks:
                parts.append(("prefix", toks[-1][0]))
        else:
            literal.extend(raw_tokens(piece))
    flush()
    while parts and parts[0][0] == "gap":
        parts.pop(0)
    while parts and parts[-1][0] == "gap":
        parts.pop()
    if not parts:
        raise SuggestionRuleError(f"Lege of ongeldige cue: {phrase!r}")
    return Cue(str(phrase), tuple(parts))


def match_cue_at(cue: Cue, norms: list[str], i: int, max_gap: int) -> int | None:
    """End (exclusive) of cue matched from token i, or None."""

    def rec(p: int, j: int) -> int | None:
        if p == len(cue.parts):
            return j
        kind, val = cue.parts[p]
        if kind == "gap":
            for skip in range(0, max_gap + 1):
                if j + skip > len(norms):
                    break
                r = rec(p + 1, j + skip)
                if r is not None:
                    return r
            return None
        if j >= len(norms):
            return None
        tok = norms[j]
        if (kind == "lit" and tok == val) or (kind == "prefix" and tok.startswith(val)):
            return rec(p + 1, j + 1)
        return None

    return rec(0, i)


def _find_cues(
    cues: Iterable[Cue],
    norms: list[str],
    max_gap: int,
    fuzzy: bool = False,
    threshold: float | None = None,
    sounds: list[str] | None = None,
) -> list[tuple[int, int, str, float]]:
    """First match of every cue as (start, end, cue, score); only positions holding a cue's
    first word are tried. `fuzzy` (recognised speech): a cue not found exactly is looked for
    by sound (cue_matching), with a score below 1, in `sounds` (the words as heard, token for
    token; default `norms`)."""
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(norms):
        positions.setdefault(tok, []).append(i)
    out, missed = [], []
    for cue in cues:
        kind, val = cue.parts[0]
        starts = positions.get(val, ()) if kind == "lit" else range(len(norms))
        for i in starts:
            end = match_cue_at(cue, norms, i, max_gap)
            if end is not None:
                out.append((i, end, cue.source, 1.0))
                break
        else:
            if fuzzy and all(k != "prefix" for k, _ in cue.parts):
                missed.append(cue)
    if missed:  # all missed cues compared with the sentence's windows at once
        heard = sounds if sounds is not None else norms
        scores = cue_matching.window_scores([t for c in missed for t in cue_matching.pieces_sound(_pieces(c))], heard)
        if not any(scores.values()):
            return out
        for cue in missed:
            m = cue_matching.find_fuzzy(_pieces(cue), heard, max_gap, threshold, scores)
            if m is not None:
                out.append((m.start, m.end, cue.source, m.score))
    return out


@lru_cache(maxsize=8192)
def _pieces(cue: Cue) -> tuple[tuple[str, ...], ...]:
    """A cue's literal words, split at its gaps."""
    pieces: list[list[str]] = [[]]
    for kind, val in cue.parts:
        if kind == "gap":
            pieces.append([])
        else:
            pieces[-1].append(val)
    return tuple(tuple(p) for p in pieces if p)


def _find_patterns(patterns: Iterable[re.Pattern], s: Sentence) -> list[tuple[int, int, str, float]]:
    out = []
    for pat in patterns:
        m = pat.search(s.joined)
        if not m or m.end() == m.start():
            continue
        t0 = max(k for k, off in enumerate(s.offsets) if off <= m.start())
        t1 = max(k for k, off in enumerate(s.offsets) if off < m.end()) + 1
        out.append((t0, t1, pat.pattern, 1.0))
    return out


NO_QUESTION_MARK = 0.7  # a question cue or rule on a recognised sentence without "?"


def match_sentence(
    cs: CueSet, s: Sentence, norms: list[str], fuzzy: bool = False, sounds: list[str] | None = None
) -> list[tuple[int, int, str, float]]:
    """Matches of a cue set in one sentence as (token start, token end, cue, score) in sentence coordinates.

    `fuzzy` (recognised speech): the recogniser writes only about half of the question marks, so
    a question cue that closes a sentence without one ("..., klopt dat.") counts too, less surely.
    `sounds`: the segment's words as heard, before aliases (``PreparedText.heard``), for matching by sound."""
    sent_norms = norms[s.t0 : s.t1]
    sent_sounds = sounds[s.t0 : s.t1] if sounds is not None else None
    found = _find_cues(cs.cues, sent_norms, cs.max_gap, fuzzy, cs.min_similarity, sent_sounds) + _find_patterns(cs.patterns, s)
    if s.question:
        found += _find_cues(cs.question_cues, sent_norms, cs.max_gap, fuzzy, cs.min_similarity, sent_sounds)
        found += _find_patterns(cs.question_patterns, s)
    elif fuzzy and cs.question_cues:
        found += [
            (a, b, cue, score * NO_QUESTION_MARK)
            for a, b, cue, score in _find_cues(cs.question_cues, sent_norms, cs.max_gap, fuzzy, cs.min_similarity, sent_sounds)
            if b == len(sent_norms)
        ]
    if found and any(match_sentence(ex, s, norms, fuzzy, sounds) for ex in cs.exclude):
        return []
    return sorted(found)


class CueLibrary(dict):
    """The rule file's shared cue sets by name, plus their compiled form."""

    def __init__(self, *args):
        super().__init__(*args)
        self.compiled: dict[tuple[str, int], CueSet] = {}


def build_cueset(spec: Any, named: Mapping[str, Any], aliases: Aliases, max_gap: int, where: str, _seen: tuple[str, ...] = ()) -> CueSet:
    """Compile a cue set spec: a dict, a name of a shared cue set, or a list of either (union)."""
    if isinstance(spec, str):
        if spec not in named:
            raise SuggestionRuleError(f"{where}: onbekende cue-set {spec!r}")
        if spec in _seen:
            raise SuggestionRuleError(f"{where}: cue-set {spec!r} verwijst naar zichzelf")
        cache = getattr(named, "compiled", {})
        if (spec, max_gap) not in cache:  # one compiled object per shared set: matches are cached per set
            cache[(spec, max_gap)] = build_cueset(named[spec], named, aliases, max_gap, f"cue-set {spec}", _seen + (spec,))
        return cache[(spec, max_gap)]
    if isinstance(spec, list):
        parts = [build_cueset(s, named, aliases, max_gap, where, _seen) for s in spec]
        return CueSet(
            cues=tuple(c for p in parts for c in p.cues),
            question_cues=tuple(c for p in parts for c in p.question_cues),
            patterns=tuple(c for p in parts for c in p.patterns),
            question_patterns=tuple(c for p in parts for c in p.question_patterns),
            exclude=tuple(c for p in parts for c in p.exclude),
            max_gap=max_gap,
        )
    if not isinstance(spec, dict):
        raise SuggestionRuleError(f"{where}: cue-set moet een object, naam of lijst zijn, niet {spec!r}")
    unknown = set(spec) - {"cues", "question_cues", "patterns", "question_patterns", "exclude", "include", "note", "min_similarity"}
    if unknown:
        raise SuggestionRuleError(f"{where}: onbekende velden in cue-set: {', '.join(sorted(unknown))}")

    def regexes(key: str) -> tuple[re.Pattern, ...]:
        out = []
        for p in spec.get(key, ()):
            try:
                out.append(re.compile(str(p)))
            except re.error as exc:
                raise SuggestionRuleError(f"{where}: ongeldige reguliere expressie {p!r}: {exc}") from exc
        return tuple(out)

    include = [build_cueset(n, named, aliases, max_gap, where, _seen) for n in spec.get("include", ())]
    exclude_spec = spec.get("exclude")
    exclude: tuple[CueSet, ...] = ()
    if exclude_spec:
        ex = exclude_spec if isinstance(exclude_spec, list) else [exclude_spec]
        # plain strings in an exclude list are phrases, "@name" refers to a shared cue set
        phrases = [e for e in ex if isinstance(e, str) and not e.startswith("@")]
        refs = [e[1:] if isinstance(e, str) else e for e in ex if not (isinstance(e, str) and not e.startswith("@"))]
        sets = [build_cueset(r, named, aliases, max_gap, where, _seen) for r in refs]
        if phrases:
            sets.append(CueSet(cues=tuple(compile_cue(p, aliases) for p in phrases), max_gap=max_gap))
        exclude = tuple(sets)
    return CueSet(
        cues=tuple(compile_cue(c, aliases) for c in spec.get("cues", ())) + tuple(c for i in include for c in i.cues),
        question_cues=tuple(compile_cue(c, aliases) for c in spec.get("question_cues", ()))
        + tuple(c for i in include for c in i.question_cues),
        patterns=regexes("patterns") + tuple(p for i in include for p in i.patterns),
        question_patterns=regexes("question_patterns") + tuple(p for i in include for p in i.question_patterns),
        exclude=exclude + tuple(e for i in include for e in i.exclude),
        max_gap=max_gap,
        min_similarity=_set_similarity(spec, where),
    )


def _set_similarity(spec: Mapping[str, Any], where: str) -> float | None:
    """A cue set's own least similarity for matching by sound (e.g. an exclusion that must be close)."""
    if "min_similarity" not in spec:
        return None
    try:
        value = float(spec["min_similarity"])
    except (TypeError, ValueError):
        value = -1.0
    if not 0.5 <= value <= 1:
        raise SuggestionRuleError(f"{where}: min_similarity moet een getal tussen 0,5 en 1 zijn")
    return value
