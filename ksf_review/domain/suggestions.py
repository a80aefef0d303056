"""Tag suggestions: phrase cues, question forms and sequence rules, driven by a data file.

Examiners tag passages as evidence; this engine proposes tags they accept or reject. All
knowledge (cues, question starters, sequence windows, reasons) lives in a versioned rule
file (``ksf_review/data/suggestion_rules.json``) so a site can add a rule without code. The
engine is pure: it takes segments and a RuleSet and returns suggestions. Only
``load_rules`` reads a file.

Matching works on normalised tokens (lower-case, no accents, no punctuation, ASR variants
folded by the rule file's ``aliases``) per sentence, so "Hm-hm", "hm hm" and "mhm" match
the same cue. Cues may use ``*`` as a gap of up to ``max_gap`` words and ``word*`` as a
prefix. When a segment has word timings, a suggestion is narrowed to the matched words.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import cue_matching
from .tags import Polarity
from .transcript import AGENT, CUSTOMER, MONO, Segment

RULE_KINDS = ("phrase", "question", "short_turn", "absent", "before", "absent_after", "response_after")
SUPPORTED_VERSION = 1
_SPEAKERS = {"m": AGENT, AGENT: AGENT, "k": CUSTOMER, CUSTOMER: CUSTOMER, "*": "*", "any": "*"}


class SuggestionRuleError(ValueError):
    """A suggestion rule file that cannot be used (message in Dutch)."""


# --------------------------------------------------------------------------- text handling

_TOKEN_RE = re.compile(r"€|[^\W_]+")
# a sentence ends at ? ! or a single full stop before white space; "..." (hesitation) does not end one
_SENTENCE_RE = re.compile(r".+?(?:(?:[?!]+|(?<!\.)\.)(?=\s|$)|$)", re.S)
_QUESTION_END = re.compile(r"\?[?!]*[\s\"'”’)]*$")


def fold(text: str) -> str:
    """Lower-case and strip accents ("Oké" → "oke", "verifiëren" → "verifieren")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _raw_tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        tok = "euro" if m.group() == "€" else fold(m.group())
        out.append((tok, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class _Token:
    norm: str
    cstart: int  # character span in the original text
    cend: int
    r0: int  # span of raw (pre-alias) token indices, end exclusive
    r1: int


def _apply_aliases(raw: list[tuple[str, int, int]], aliases: "_Aliases") -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(raw):
        hit = None
        for variant, canonical in aliases.ordered:
            n = len(variant)
            if tuple(t[0] for t in raw[i : i + n]) == variant:
                hit = (n, canonical)
                break
        if hit:
            n, canonical = hit
            cs, ce = raw[i][1], raw[i + n - 1][2]
            out.extend(_Token(c, cs, ce, i, i + n) for c in canonical)
            i += n
        else:
            t = raw[i]
            out.append(_Token(t[0], t[1], t[2], i, i + 1))
            i += 1
    return out


@dataclass(frozen=True)
class _Aliases:
    ordered: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @classmethod
    def build(cls, data: Mapping[str, Iterable[str]]) -> "_Aliases":
        pairs = []
        for canonical, variants in data.items():
            canon = tuple(t[0] for t in _raw_tokens(canonical))
            for v in variants:
                vt = tuple(t[0] for t in _raw_tokens(v))
                if vt and vt != canon:
                    pairs.append((vt, canon))
        pairs.sort(key=lambda p: -len(p[0]))
        return cls(tuple(pairs))


@dataclass
class _Sentence:
    t0: int  # token span, end exclusive
    t1: int
    question: bool
    joined: str  # normalised tokens joined by single spaces
    offsets: list[int]  # start offset of each token in `joined`


@dataclass
class _Text:
    """A segment's text prepared for matching (tokens, sentences, word map)."""

    text: str
    tokens: list[_Token]
    sentences: list[_Sentence]
    raw_to_word: list[int | None]

    @classmethod
    def prepare(cls, seg: Segment, aliases: _Aliases) -> "_Text":
        text = seg.text or ""
        raw = _raw_tokens(text)
        tokens = _apply_aliases(raw, aliases)
        sentences: list[_Sentence] = []
        ti = 0
        for m in _SENTENCE_RE.finditer(text):
            if not m.group().strip():
                continue
            t0 = ti
            while ti < len(tokens) and tokens[ti].cstart < m.end():
                ti += 1
            if ti == t0:
                continue
            norms = [t.norm for t in tokens[t0:ti]]
            offsets, pos = [], 0
            for n in norms:
                offsets.append(pos)
                pos += len(n) + 1
            sentences.append(_Sentence(t0, ti, bool(_QUESTION_END.search(m.group())), " ".join(norms), offsets))
        return cls(text, tokens, sentences, _word_map([r[0] for r in raw], seg))

    def excerpt(self, t0: int, t1: int) -> str:
        if not self.tokens or t0 >= t1:
            return self.text.strip()
        return self.text[self.tokens[t0].cstart : self.tokens[t1 - 1].cend].strip()

    def sentence_of(self, tok: int) -> _Sentence | None:
        for s in self.sentences:
            if s.t0 <= tok < s.t1:
                return s
        return None


def _word_map(raw_norms: list[str], seg: Segment) -> list[int | None]:
    """Map each raw text token to the index of the timed word it came from (or None)."""
    if not seg.words:
        return [None] * len(raw_norms)
    word_norms: list[str] = []
    word_idx: list[int] = []
    for wi, w in enumerate(seg.words):
        for tok, _, _ in _raw_tokens(w.word):
            word_norms.append(tok)
            word_idx.append(wi)
    out: list[int | None] = [None] * len(raw_norms)
    if word_norms == raw_norms:
        return list(word_idx)
    sm = difflib.SequenceMatcher(a=raw_norms, b=word_norms, autojunk=False)
    for a, b, n in sm.get_matching_blocks():
        for k in range(n):
            out[a + k] = word_idx[b + k]
    return out


# --------------------------------------------------------------------------- cue sets


@dataclass(frozen=True)
class _Cue:
    source: str
    parts: tuple[tuple[str, str], ...]  # ("lit"|"prefix"|"gap", value)


@dataclass(frozen=True)
class CueSet:
    """Compiled cues: phrases anywhere, phrases only in questions, regexes, exclusions."""

    cues: tuple[_Cue, ...] = ()
    question_cues: tuple[_Cue, ...] = ()
    patterns: tuple[re.Pattern, ...] = ()
    question_patterns: tuple[re.Pattern, ...] = ()
    exclude: tuple["CueSet", ...] = ()
    max_gap: int = 3
    min_similarity: float | None = None  # for matching by sound; None: by cue length (cue_matching.min_score)

    def is_empty(self) -> bool:
        return not (self.cues or self.question_cues or self.patterns or self.question_patterns)


def _compile_cue(phrase: str, aliases: _Aliases) -> _Cue:
    parts: list[tuple[str, str]] = []
    literal: list[tuple[str, int, int]] = []

    def flush():
        parts.extend(("lit", t.norm) for t in _apply_aliases(literal, aliases))
        literal.clear()

    for piece in str(phrase).split():
        if piece == "*":
            flush()
            parts.append(("gap", ""))
        elif piece.endswith("*") and len(piece) > 1:
            toks = _raw_tokens(piece[:-1])
            literal.extend(toks[:-1])
            flush()
            if toks:
                parts.append(("prefix", toks[-1][0]))
        else:
            literal.extend(_raw_tokens(piece))
    flush()
    while parts and parts[0][0] == "gap":
        parts.pop(0)
    while parts and parts[-1][0] == "gap":
        parts.pop()
    if not parts:
        raise SuggestionRuleError(f"Lege of ongeldige cue: {phrase!r}")
    return _Cue(str(phrase), tuple(parts))


def _match_cue_at(cue: _Cue, norms: list[str], i: int, max_gap: int) -> int | None:
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


def _find_cues(cues: Iterable[_Cue], norms: list[str], max_gap: int,
               fuzzy: bool = False, threshold: float | None = None) -> list[tuple[int, int, str, float]]:
    """First match of every cue as (start, end, cue, score); only positions holding a cue's
    first word are tried. `fuzzy` (recognised speech): a cue not found exactly is looked for
    by sound (cue_matching), with a score below 1."""
    positions: dict[str, list[int]] = {}
    for i, tok in enumerate(norms):
        positions.setdefault(tok, []).append(i)
    out, missed = [], []
    for cue in cues:
        kind, val = cue.parts[0]
        starts = positions.get(val, ()) if kind == "lit" else range(len(norms))
        for i in starts:
            end = _match_cue_at(cue, norms, i, max_gap)
            if end is not None:
                out.append((i, end, cue.source, 1.0))
                break
        else:
            if fuzzy and all(k != "prefix" for k, _ in cue.parts):
                missed.append(cue)
    if missed:  # all missed cues compared with the sentence's windows at once
        scores = cue_matching.window_scores([t for c in missed for t in cue_matching.pieces_sound(_pieces(c))], norms)
        if not any(scores.values()):
            return out
        for cue in missed:
            m = cue_matching.find_fuzzy(_pieces(cue), norms, max_gap, threshold, scores)
            if m is not None:
                out.append((m.start, m.end, cue.source, m.score))
    return out


@lru_cache(maxsize=8192)
def _pieces(cue: _Cue) -> tuple[tuple[str, ...], ...]:
    """A cue's literal words, split at its gaps."""
    pieces: list[list[str]] = [[]]
    for kind, val in cue.parts:
        if kind == "gap":
            pieces.append([])
        else:
            pieces[-1].append(val)
    return tuple(tuple(p) for p in pieces if p)


def _find_patterns(patterns: Iterable[re.Pattern], s: _Sentence) -> list[tuple[int, int, str, float]]:
    out = []
    for pat in patterns:
        m = pat.search(s.joined)
        if not m or m.end() == m.start():
            continue
        t0 = max(k for k, off in enumerate(s.offsets) if off <= m.start())
        t1 = max(k for k, off in enumerate(s.offsets) if off < m.end()) + 1
        out.append((t0, t1, pat.pattern, 1.0))
    return out


def match_sentence(cs: CueSet, s: _Sentence, norms: list[str], fuzzy: bool = False) -> list[tuple[int, int, str, float]]:
    """Matches of a cue set in one sentence as (token start, token end, cue, score) in sentence coordinates."""
    sent_norms = norms[s.t0 : s.t1]
    found = _find_cues(cs.cues, sent_norms, cs.max_gap, fuzzy, cs.min_similarity) + _find_patterns(cs.patterns, s)
    if s.question:
        found += _find_cues(cs.question_cues, sent_norms, cs.max_gap, fuzzy, cs.min_similarity)
        found += _find_patterns(cs.question_patterns, s)
    if found and any(match_sentence(ex, s, norms, fuzzy) for ex in cs.exclude):
        return []
    return sorted(found)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    id: str
    item: str
    polarity: str
    speaker: str  # "medewerker", "klant" or "*" (any)
    kind: str
    reason: str
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)
    compiled: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class RuleSet:
    version: int
    rules: tuple[Rule, ...]
    aliases: _Aliases = field(default_factory=_Aliases, repr=False)
    description: str = ""
    min_confidence: float = 0.0  # suggestions less sure than this are not shown

    def by_id(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    @property
    def items(self) -> set[str]:
        return {r.item for r in self.rules}


def _speaker(raw: Any, where: str) -> str:
    key = str(raw if raw is not None else "*").strip().lower()
    if key not in _SPEAKERS:
        raise SuggestionRuleError(f"{where}: onbekende spreker {raw!r} (gebruik M, K, medewerker, klant of *)")
    return _SPEAKERS[key]


class _CueLibrary(dict):
    """The rule file's shared cue sets by name, plus their compiled form."""

    def __init__(self, *args):
        super().__init__(*args)
        self.compiled: dict[tuple[str, int], CueSet] = {}


def _build_cueset(spec: Any, named: Mapping[str, Any], aliases: _Aliases, max_gap: int, where: str,
                  _seen: tuple[str, ...] = ()) -> CueSet:
    """Compile a cue set spec: a dict, a name of a shared cue set, or a list of either (union)."""
    if isinstance(spec, str):
        if spec not in named:
            raise SuggestionRuleError(f"{where}: onbekende cue-set {spec!r}")
        if spec in _seen:
            raise SuggestionRuleError(f"{where}: cue-set {spec!r} verwijst naar zichzelf")
        cache = getattr(named, "compiled", {})
        if (spec, max_gap) not in cache:  # one compiled object per shared set: matches are cached per set
            cache[(spec, max_gap)] = _build_cueset(named[spec], named, aliases, max_gap, f"cue-set {spec}", _seen + (spec,))
        return cache[(spec, max_gap)]
    if isinstance(spec, list):
        parts = [_build_cueset(s, named, aliases, max_gap, where, _seen) for s in spec]
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
    unknown = set(spec) - {"cues", "question_cues", "patterns", "question_patterns", "exclude", "include", "note"}
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

    include = [_build_cueset(n, named, aliases, max_gap, where, _seen) for n in spec.get("include", ())]
    exclude_spec = spec.get("exclude")
    exclude: tuple[CueSet, ...] = ()
    if exclude_spec:
        ex = exclude_spec if isinstance(exclude_spec, list) else [exclude_spec]
        # plain strings in an exclude list are phrases, "@name" refers to a shared cue set
        phrases = [e for e in ex if isinstance(e, str) and not e.startswith("@")]
        refs = [e[1:] if isinstance(e, str) else e for e in ex if not (isinstance(e, str) and not e.startswith("@"))]
        sets = [_build_cueset(r, named, aliases, max_gap, where, _seen) for r in refs]
        if phrases:
            sets.append(CueSet(cues=tuple(_compile_cue(p, aliases) for p in phrases), max_gap=max_gap))
        exclude = tuple(sets)
    return CueSet(
        cues=tuple(_compile_cue(c, aliases) for c in spec.get("cues", ())) + tuple(c for i in include for c in i.cues),
        question_cues=tuple(_compile_cue(c, aliases) for c in spec.get("question_cues", ()))
        + tuple(c for i in include for c in i.question_cues),
        patterns=regexes("patterns") + tuple(p for i in include for p in i.patterns),
        question_patterns=regexes("question_patterns") + tuple(p for i in include for p in i.question_patterns),
        exclude=exclude + tuple(e for i in include for e in i.exclude),
        max_gap=max_gap,
    )


_REQUIRED_PARAMS = {
    "phrase": ("match",),
    "question": ("starters",),
    "short_turn": ("signals",),
    "absent": ("match",),
    "before": ("event", "prerequisite"),
    "absent_after": ("trigger", "response"),
    "response_after": ("trigger", "response"),
}


def _compile_rule(raw: Mapping[str, Any], named: Mapping[str, Any], aliases: _Aliases, max_gap: int) -> Rule:
    rid = str(raw.get("id") or "").strip()
    if not rid:
        raise SuggestionRuleError(f"Regel zonder id: {dict(raw)!r}")
    where = f"Regel {rid}"
    for key in ("item", "polarity", "kind", "reason"):
        if not raw.get(key):
            raise SuggestionRuleError(f"{where}: veld '{key}' ontbreekt")
    kind = str(raw["kind"])
    if kind not in RULE_KINDS:
        raise SuggestionRuleError(f"{where}: onbekende soort {kind!r} (kies uit {', '.join(RULE_KINDS)})")
    try:
        polarity = Polarity.parse(raw["polarity"]).value
    except ValueError as exc:
        raise SuggestionRuleError(f"{where}: {exc}") from exc
    speaker = _speaker(raw.get("speaker", "*"), where)
    params = dict(raw.get("params") or {})
    missing = [p for p in _REQUIRED_PARAMS[kind] if p not in params]
    if missing:
        raise SuggestionRuleError(f"{where}: parameter(s) ontbreken voor soort {kind}: {', '.join(missing)}")
    reason = str(raw["reason"])
    try:
        reason.format_map(_SafeDict())
    except (ValueError, IndexError) as exc:
        raise SuggestionRuleError(f"{where}: ongeldige reden-sjabloon {reason!r}: {exc}") from exc

    gap = int(params.get("max_gap", max_gap))
    c: dict[str, Any] = {}
    for key in ("match", "event", "prerequisite", "trigger", "response", "exclude"):
        if key in params and params[key] is not None:
            spec = params[key]
            if key == "exclude" and isinstance(spec, list) and all(isinstance(e, str) for e in spec):
                spec = {"cues": [e for e in spec if not e.startswith("@")], "include": [e[1:] for e in spec if e.startswith("@")]}
            c[key] = _build_cueset(spec, named, aliases, gap, f"{where}, parameter {key}")
            if c[key].is_empty() and key != "exclude":
                raise SuggestionRuleError(f"{where}: parameter {key} bevat geen enkele cue")
    if kind == "question":
        # a starter may be several words ("sinds wanneer", "met wie")
        c["starters"] = tuple(sorted({tuple(t[0] for t in _raw_tokens(s)) for s in params["starters"]} - {()}, key=len, reverse=True))
        c["skip_leading"] = frozenset(fold(s) for s in params.get("skip_leading", ()))
        if not c["starters"]:
            raise SuggestionRuleError(f"{where}: 'starters' is leeg")
    if kind == "short_turn":
        c["signals"] = tuple(_compile_cue(s, aliases) for s in params["signals"])
        if any(k == "gap" for cue in c["signals"] for k, _ in cue.parts):
            raise SuggestionRuleError(f"{where}: luistersignalen mogen geen '*' bevatten")
    try:
        similarity = float(params.get("min_similarity", 0.5))
    except (TypeError, ValueError):
        similarity = -1.0
    if not 0.5 <= similarity <= 1:
        raise SuggestionRuleError(f"{where}: min_similarity moet een getal tussen 0,5 en 1 zijn")
    if "min_similarity" in params and "match" in c:  # e.g. a closing, where the position already says much
        c["match"] = dataclasses.replace(c["match"], min_similarity=similarity)
    for key in ("window", "max_words", "first_turns", "last_turns", "min_words", "max_hits", "min_turns", "turns"):
        if key in params:
            try:
                value = int(params[key])
            except (TypeError, ValueError):
                value = 0
            if value < 1:
                raise SuggestionRuleError(f"{where}: parameter {key} moet een positief geheel getal zijn")
    if kind in ("absent_after", "response_after", "before"):
        for key in ("trigger_speaker", "prerequisite_speaker"):
            if key in params:
                _speaker(params[key], where)
    anchors = ("first", "last") if kind == "absent" else ("next_turn", "trigger", "window")
    if params.get("anchor", anchors[0]) not in anchors:
        raise SuggestionRuleError(f"{where}: anchor moet {' of '.join(anchors)} zijn")
    if params.get("scope", "all") not in ("all", "first", "last"):
        raise SuggestionRuleError(f"{where}: scope moet all, first of last zijn")
    if params.get("extent", "match") not in ("match", "sentence", "segment"):
        raise SuggestionRuleError(f"{where}: extent moet match, sentence of segment zijn")
    return Rule(rid, str(raw["item"]).strip(), polarity, speaker, kind, reason, params, c)


def parse_rules(data: Mapping[str, Any]) -> RuleSet:
    """Build a RuleSet from the rule file's JSON structure (structure checks only)."""
    if not isinstance(data, Mapping):
        raise SuggestionRuleError("Regelbestand moet een JSON-object zijn")
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise SuggestionRuleError(
            f"Regelbestand heeft versie {version!r}; deze versie van het programma leest versie {SUPPORTED_VERSION}"
        )
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise SuggestionRuleError("Regelbestand bevat geen regels ('rules' ontbreekt of is leeg)")
    aliases = _Aliases.build(data.get("aliases") or {})
    named = _CueLibrary(data.get("cue_sets") or {})
    max_gap = int(data.get("max_gap", 3))
    rules = []
    seen: set[str] = set()
    for raw in raw_rules:
        if not isinstance(raw, Mapping):
            raise SuggestionRuleError(f"Regel moet een object zijn, niet {raw!r}")
        rule = _compile_rule(raw, named, aliases, max_gap)
        if rule.id in seen:
            raise SuggestionRuleError(f"Dubbele regel-id: {rule.id}")
        seen.add(rule.id)
        rules.append(rule)
    for name in named:  # compile every shared set once, so a broken unused one is reported too
        _build_cueset(name, named, aliases, max_gap, f"cue-set {name}")
    return RuleSet(int(version), tuple(rules), aliases, str(data.get("description", "")),
                   float(data.get("min_confidence", 0.0)))


def validate_rules(rules: RuleSet, rubric) -> None:
    """Check that every rule targets an item of the given rubric (raises SuggestionRuleError)."""
    unknown = sorted({r.item for r in rules.rules if not rubric.has_item(r.item)})
    if unknown:
        ids = ", ".join(r.id for r in rules.rules if r.item in unknown)
        raise SuggestionRuleError(
            f"Suggestieregels verwijzen naar onbekende itemcode(s) {', '.join(unknown)} "
            f"(niet in checklist {rubric.key}); regels: {ids}"
        )


def load_rules(path: str | Path | None = None, rubric=None) -> RuleSet:
    """Read a rule file (default: the bundled one) and, given a rubric, validate item codes."""
    try:
        if path is None:
            text = (resources.files("ksf_review") / "data" / "suggestion_rules.json").read_text(encoding="utf-8")
        else:
            text = Path(path).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, json.JSONDecodeError) as exc:
        raise SuggestionRuleError(f"Regelbestand {path or 'suggestion_rules.json'} kan niet gelezen worden: {exc}") from exc
    rules = parse_rules(data)
    if rubric is not None:
        validate_rules(rules, rubric)
    return rules


_BUNDLED: RuleSet | None = None


def bundled_rules() -> RuleSet:
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED = load_rules()
    return _BUNDLED


# --------------------------------------------------------------------------- suggestions


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


class _SafeDict(dict):
    def __missing__(self, key):
        return ""


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

    def __init__(self, segments: list[Segment], rules: RuleSet):
        self.segments = segments
        self.order = sorted(range(len(segments)), key=lambda i: (segments[i].start, i))
        self.texts = [_Text.prepare(s, rules.aliases) for s in segments]
        self._cache: dict[tuple[int, int], list[_Hit]] = {}

    def hits(self, cs: CueSet, seg: int) -> list[_Hit]:
        key = (id(cs), seg)
        if key not in self._cache:
            t = self.texts[seg]
            norms = [tok.norm for tok in t.tokens]
            words = self.segments[seg].words
            out = []
            for s in t.sentences:
                # only recognised speech (with timed words) is matched by sound: typed text is what was meant
                for a, b, cue, score in match_sentence(cs, s, norms, fuzzy=bool(words)):
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


def _make(ctx: _Context, rule: Rule, seg: int, t0: int | None, t1: int | None,
          hits: tuple[_Hit, ...] = (), **fields) -> Suggestion:
    """A suggestion on tokens t0..t1 of a segment; `hits` are the cue matches it rests on
    (their words are highlighted when in this segment, their weights make its confidence)."""
    start, end = ctx.span(seg, t0, t1)
    text = ctx.texts[seg]
    match = text.excerpt(t0, t1) if t0 is not None and t1 is not None else text.text.strip()
    values = _SafeDict(match=_shorten(match), turn=seg, **{k: _shorten(v) if isinstance(v, str) else v for k, v in fields.items()})
    speaker = ctx.segments[seg].speaker
    confidence = cue_matching.confidence(rule.params.get("confidence", _PRIOR[rule.kind]), [h.weight for h in hits],
                                         unsure_speaker=rule.speaker != "*" and speaker == MONO)
    evidence, marks = _evidence(text, [h for h in hits if h.seg == seg], t0, t1)
    return Suggestion(start, end, rule.item, rule.polarity, speaker, rule.reason.format_map(values), rule.id, seg,
                      confidence, " → ".join(h.cue for h in hits), evidence, marks)


NO_QUESTION_MARK = 0.7  # a question rule on a recognised sentence without "?"

# how sure a rule of each kind is before its cues are weighed: an absence or a missing response
# may be a recognition error, a phrase found is evidence in itself (a rule may set "confidence")
_PRIOR = {"phrase": 0.9, "question": 0.8, "short_turn": 0.75, "absent": 0.6, "before": 0.8,
          "absent_after": 0.65, "response_after": 0.9}


def _evidence(text: _Text, hits: list[_Hit], t0: int | None, t1: int | None) -> tuple[str, tuple[tuple[int, int], ...]]:
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


def _run_phrase(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    cs = rule.compiled["match"]
    turns = _turns_of(ctx, rule.speaker)
    first, last = rule.params.get("first_turns"), rule.params.get("last_turns")
    if first:
        turns = turns[: int(first)]
    if last:
        turns = turns[-int(last):]
    max_words = rule.params.get("max_words")
    for seg in turns:
        if max_words and len(ctx.texts[seg].tokens) > int(max_words):
            continue
        for hit in ctx.hits(cs, seg):
            t0, t1 = _extent(ctx, rule, hit)
            out.append(_make(ctx, rule, seg, t0, t1, (hit,), cue=hit.cue))
    return out


def _run_question(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    starters, skip = rule.compiled["starters"], rule.compiled["skip_leading"]
    need_mark = bool(rule.params.get("require_question_mark", True))
    exclude: CueSet | None = rule.compiled.get("exclude")
    for seg in _turns_of(ctx, rule.speaker):
        text = ctx.texts[seg]
        norms = [t.norm for t in text.tokens]
        heard = bool(ctx.segments[seg].words)
        for s in text.sentences:
            # the recogniser writes only about half of the question marks: on recognised speech a
            # sentence opening with a question word is taken as a question, but less surely
            if need_mark and not s.question and not heard:
                continue
            k = s.t0
            while k < s.t1 and norms[k] in skip:
                k += 1
            starter = next((st for st in starters if tuple(norms[k : k + len(st)]) == st and k + len(st) <= s.t1), None)
            if starter is None:
                continue
            if exclude is not None and match_sentence(exclude, s, norms):
                continue
            probs = [ctx.segments[seg].words[i].probability for i in ctx.word_indices(seg, k, k + len(starter))]
            hit = _Hit(seg, k, k + len(starter), " ".join(starter),
                       cue_matching.weight(1.0 if s.question or not need_mark else NO_QUESTION_MARK, probs))
            out.append(_make(ctx, rule, seg, k, s.t1, (hit,), starter=hit.cue))
    return out


def _run_short_turn(ctx: _Context, rule: Rule) -> list[Suggestion]:
    out = []
    signals = rule.compiled["signals"]
    max_words = int(rule.params.get("max_words", 4))
    for seg in _turns_of(ctx, rule.speaker):
        norms = [t.norm for t in ctx.texts[seg].tokens]
        if not norms or len(norms) > max_words:
            continue
        i = 0
        while i < len(norms):
            ends = [e for e in (_match_cue_at(c, norms, i, 0) for c in signals) if e is not None]
            if not ends:
                break
            i = max(ends)
        if i == len(norms):
            out.append(_make(ctx, rule, seg, 0, len(norms)))
    return out


def _run_absent(ctx: _Context, rule: Rule) -> list[Suggestion]:
    """Fires once when no turn in scope matches ("no summary in the whole conversation")."""
    turns = [i for i in _turns_of(ctx, rule.speaker) if ctx.texts[i].tokens]
    if not turns or len(turns) < int(rule.params.get("min_turns", 1)):
        return []
    scope, n = rule.params.get("scope", "all"), int(rule.params.get("turns", 1))
    searched = turns[:n] if scope == "first" else turns[-n:] if scope == "last" else turns
    if any(ctx.hits(rule.compiled["match"], i) for i in searched):
        return []
    anchor = searched[0] if rule.params.get("anchor", "first") == "first" else searched[-1]
    return [_make(ctx, rule, anchor, None, None)]


def _run_before(ctx: _Context, rule: Rule) -> list[Suggestion]:
    """Fires on the first event when no prerequisite came before it ("disclosure before verification")."""
    event, prereq = rule.compiled["event"], rule.compiled["prerequisite"]
    pre_speaker = _speaker(rule.params.get("prerequisite_speaker", rule.speaker), rule.id)
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
    trig_speaker = _speaker(rule.params.get("trigger_speaker", CUSTOMER), rule.id)
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


def suggest(segments: list[Segment], rules: RuleSet | None = None) -> list[Suggestion]:
    """Propose tags for a conversation's segments (audio segments or text turns)."""
    rules = rules if rules is not None else bundled_rules()
    segments = list(segments)
    if not segments:
        return []
    ctx = _Context(segments, rules)
    found: list[Suggestion] = []
    for rule in rules.rules:
        hits = _RUNNERS[rule.kind](ctx, rule)
        if "max_hits" in rule.params:  # e.g. only the first verification question of a call
            hits = sorted(hits, key=lambda h: (h.start, h.end))[: int(rule.params["max_hits"])]
        found.extend(h for h in hits if h.confidence >= rules.min_confidence)
    return deduplicate(found, {r.id: n for n, r in enumerate(rules.rules)})
