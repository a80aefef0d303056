"""Tokenising for the suggestion engine: what a cue is compared with.

Text is cut into sentences and normalised tokens (lower-case, no accents, no punctuation,
"€" as "euro"), then the rule file's ``aliases`` fold ASR and spelling variants ("hm-hm",
"mhm") to one form. Every token keeps its character span and the timed word it came from,
so a suggestion can be narrowed to the matched words and its words highlighted.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..transcript import Segment

_TOKEN_RE = re.compile(r"€|[^\W_]+")
# a sentence ends at ? ! or a single full stop before white space; "..." (hesitation) does not end one
_SENTENCE_RE = re.compile(r".+?(?:(?:[?!]+|(?<!\.)\.)(?=\s|$)|$)", re.S)
_QUESTION_END = re.compile(r"\?[?!]*[\s\"'”’)]*$")


def fold(text: str) -> str:
    """Lower-case and strip accents ("Oké" → "oke", "verifiëren" → "verifieren")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def raw_tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _TOKEN_RE.finditer(text):
        tok = "euro" if m.group() == "€" else fold(m.group())
        out.append((tok, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Token:
    norm: str
    cstart: int  # character span in the original text
    cend: int
    r0: int  # span of raw (pre-alias) token indices, end exclusive
    r1: int


def apply_aliases(raw: list[tuple[str, int, int]], aliases: "Aliases") -> list[Token]:
    out: list[Token] = []
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
            out.extend(Token(c, cs, ce, i, i + n) for c in canonical)
            i += n
        else:
            t = raw[i]
            out.append(Token(t[0], t[1], t[2], i, i + 1))
            i += 1
    return out


@dataclass(frozen=True)
class Aliases:
    ordered: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @classmethod
    def build(cls, data: Mapping[str, Iterable[str]]) -> "Aliases":
        pairs = []
        for canonical, variants in data.items():
            canon = tuple(t[0] for t in raw_tokens(canonical))
            for v in variants:
                vt = tuple(t[0] for t in raw_tokens(v))
                if vt and vt != canon:
                    pairs.append((vt, canon))
        pairs.sort(key=lambda p: -len(p[0]))
        return cls(tuple(pairs))


@dataclass
class Sentence:
    t0: int  # token span, end exclusive
    t1: int
    question: bool
    joined: str  # normalised tokens joined by single spaces
    offsets: list[int]  # start offset of each token in `joined`


@dataclass
class PreparedText:
    """A segment's text prepared for matching (tokens, sentences, word map)."""

    text: str
    tokens: list[Token]
    sentences: list[Sentence]
    raw_to_word: list[int | None]
    raw: tuple[str, ...] = ()  # the normalised words before aliases

    @property
    def heard(self) -> list[str]:
        """Token for token, the word as written before a one-word alias ("je", not "u"): matching
        by sound compares what was heard ("en ogen lig je" is "een ogenblikje", not "… lig u")."""
        shared: dict[tuple[int, int], int] = {}
        for t in self.tokens:
            shared[(t.r0, t.r1)] = shared.get((t.r0, t.r1), 0) + 1
        return [self.raw[t.r0] if t.r1 - t.r0 == 1 and shared[(t.r0, t.r1)] == 1 else t.norm for t in self.tokens]

    @classmethod
    def prepare(cls, seg: Segment, aliases: Aliases) -> "PreparedText":
        text = seg.text or ""
        raw = raw_tokens(text)
        tokens = apply_aliases(raw, aliases)
        sentences: list[Sentence] = []
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
            sentences.append(Sentence(t0, ti, bool(_QUESTION_END.search(m.group())), " ".join(norms), offsets))
        return cls(text, tokens, sentences, _word_map([r[0] for r in raw], seg), tuple(r[0] for r in raw))

    def excerpt(self, t0: int, t1: int) -> str:
        if not self.tokens or t0 >= t1:
            return self.text.strip()
        return self.text[self.tokens[t0].cstart : self.tokens[t1 - 1].cend].strip()

    def sentence_of(self, tok: int) -> Sentence | None:
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
        for tok, _, _ in raw_tokens(w.word):
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
