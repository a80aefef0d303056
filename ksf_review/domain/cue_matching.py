"""Fuzzy cue matching: find a rule's cue in what the recogniser wrote, not only in clean text.

A telephone transcript by the bundled model gets roughly four words in ten wrong, mostly
by sound: "Rude middag, last net elkom" for "Goedemiddag, Glasnet Telecom". Exact token
matching misses those, so a cue that is not found exactly is looked for again with
rapidfuzz on a *sound form* of the words: lower case without accents, numbers spelled out,
Dutch spellings of one sound folded together (ij/ei, g/ch, dt/d/t at the end, v/f, z/s, m/w,
doubled letters), small function words left out and word boundaries ignored, so split and
merged words ("goede middag" / "goedemiddag") compare equal. The score (0–1) says how
close the match is; the caller weighs it with the recogniser's word probabilities.

Pure: no I/O. Token lists are the engine's normalised tokens (see ``suggestions.tokens.fold``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import numpy as np
from rapidfuzz import fuzz, process

# words the recogniser drops or adds freely; they carry no meaning for a cue
FILLERS = frozenset({"de", "het", "een", "en", "n", "t", "uh", "eh", "ehm", "euh", "he"})

# words that turn a cue's meaning around: a match by sound may not lose them
NEGATIONS = frozenset({"geen", "niet", "niets", "niks", "nooit", "nee"})

_UNITS = (
    "nul",
    "een",
    "twee",
    "drie",
    "vier",
    "vijf",
    "zes",
    "zeven",
    "acht",
    "negen",
    "tien",
    "elf",
    "twaalf",
    "dertien",
    "veertien",
    "vijftien",
    "zestien",
    "zeventien",
    "achttien",
    "negentien",
)
_TENS = ("", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")


def spell_number(n: int) -> str | None:
    """Dutch number word for 0–9999 as one token ("24" → "vierentwintig"); None beyond."""
    if n < 0 or n > 9999:
        return None
    if n < 20:
        return _UNITS[n]
    if n < 100:
        unit, ten = n % 10, _TENS[n // 10]
        if not unit:
            return ten
        return f"{_UNITS[unit]}en{ten}"  # tweeëntwintig is folded to tweeentwintig
    if n < 1000:
        head = "" if n // 100 == 1 else _UNITS[n // 100]
        rest = n % 100
        return f"{head}honderd{spell_number(rest) if rest else ''}"
    head = "" if n // 1000 == 1 else spell_number(n // 1000)
    rest = n % 1000
    return f"{head}duizend{spell_number(rest) if rest else ''}"


# Dutch spellings of (nearly) one sound, folded the way the recogniser confuses them
_SOUND_RULES = (
    (re.compile(r"ij|y|ei"), "ei"),
    (re.compile(r"au|ou"), "ou"),
    (re.compile(r"oe"), "u"),  # "goede" as the recogniser hears it: "rude"
    (re.compile(r"sch"), "sg"),
    (re.compile(r"ch"), "g"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"c(?=[aou])|ck|q"), "k"),
    (re.compile(r"(?<=[a-z])dt\b|(?<=[a-z])d\b"), "t"),
    (re.compile(r"v"), "f"),
    (re.compile(r"z"), "s"),
    (re.compile(r"m"), "w"),  # lip sounds: "milt u" for "wilt u", "dan mens ik u" for "dan wens ik u"
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=65536)
def sound(token: str) -> str:
    """Sound form of one normalised token ("gisteren" and "gisterren" compare equal)."""
    if token.isdigit():
        token = spell_number(int(token)) or token
    for pat, rep in _SOUND_RULES:
        token = pat.sub(rep, token)
    return token


def compact(tokens: Sequence[str], drop_fillers: bool = True) -> str:
    """Sound forms joined without boundaries, function words left out (split = merged)."""
    kept = [t for t in tokens if t not in FILLERS] if drop_fillers else []
    return "".join(sound(t) for t in kept or tokens)


def min_score(cue_len: int) -> float:
    """Least similarity (0–1) for a fuzzy match of a cue whose sound form has cue_len letters.

    Short cues are near-exact only (one changed letter in "ja" is another word); long ones
    may lose a few letters to the recogniser.
    """
    if cue_len <= 4:
        return 1.01  # never fuzzy: only the exact path matches them
    if cue_len <= 6:
        return 1.0  # the same sound only: one letter off is another word ("schade" for "schande")
    if cue_len <= 9:
        return 0.85  # one sound off in seven letters (0.857) passes; "u heeft nu" is not "u heeft dus" (0.8)
    if cue_len <= 12:
        return 0.8
    return 0.76


@dataclass(frozen=True)
class FuzzyMatch:
    start: int  # token span, end exclusive
    end: int
    score: float  # 0–1


def find_fuzzy(
    pieces: Sequence[Sequence[str]], norms: Sequence[str], max_gap: int, threshold: float | None = None, scores: dict | None = None
) -> FuzzyMatch | None:
    """Best fuzzy match of a cue (literal pieces separated by gaps of ≤ max_gap words).

    Each piece is compared with every window of tokens that may hold it (one more or fewer
    words than the piece, two more when they are short fragments of split words); pieces
    follow one another with at most `max_gap` words between them. The score is the pieces'
    similarities weighted by their length (so a long cue with one garbled word still matches).
    The windows' sound forms are made once per sentence and compared in rapidfuzz's C loop;
    `scores` (``window_scores`` of the sentence for many cues at once) saves the comparing.
    """
    pieces = tuple(tuple(p) for p in pieces if p)
    if not pieces or not norms:
        return None
    targets = pieces_sound(pieces)
    total = sum(len(t) for t in targets)
    need = min_score(total) if threshold is None else threshold
    if need > 1:
        return None
    norms = tuple(norms)
    # a piece far off cannot be made up by the others; a short one ("u", "is") must sound the same
    scores = scores if scores is not None and all(t in scores for t in targets) else window_scores(targets, norms)
    found = [_candidates(scores[t], len(p), norms, 1.0 if len(t) <= 4 else need - 0.1) for t, p in zip(targets, pieces)]
    if not all(found):
        return None
    best: FuzzyMatch | None = None

    def rec(k: int, lo: int, hi: int, first: int, acc: float):
        nonlocal best
        tgt = targets[k]
        for (i, j), s in found[k]:
            if not lo <= i <= hi:
                continue
            score = acc + s * len(tgt)
            if k + 1 == len(pieces):
                final = score / total
                if final >= need and (
                    best is None
                    or final > best.score + 1e-9
                    or (abs(final - best.score) < 1e-9 and j - (first if k else i) < best.end - best.start)
                ):
                    best = FuzzyMatch(first if k else i, j, round(final, 3))
            else:
                rec(k + 1, j, j + max_gap, first if k else i, score)

    rec(0, 0, len(norms) - 1, 0, 0.0)
    if best is not None:  # the closest windows may still miss the cue's point
        found_words = norms[best.start : best.end]
        if not (words_heard(pieces, found_words) and keeps_negations(pieces, found_words)):
            return None
    return best


KEY_WORD = 5  # letters (sound form) from which a cue word must itself be heard
KEY_WORD_SCORE = 60  # partial similarity (0-100) of such a word within the words found


def words_heard(pieces: Sequence[Sequence[str]], found: Sequence[str]) -> bool:
    """Whether every longer word of the cue is itself heard in the words found.

    The similarity of the whole cue can hide a wrong word behind a long right start: "dat is
    niet mijn afdeling" is 0.79 like "dat is niet mijn probleem", but "probleem" is not there.
    """
    heard = compact(found, False)
    return all(fuzz.partial_ratio(sound(w), heard) >= KEY_WORD_SCORE for p in pieces for w in p if len(sound(w)) >= KEY_WORD)


MAX_WINDOW = 8  # words in a window: a cue piece of up to six words, split further by the recogniser


@lru_cache(maxsize=4096)
def _windows(norms: tuple[str, ...]) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...], tuple[str, ...]]:
    """Every window of a sentence's words with its sound form, with and without small words."""
    spans, short, full = [], [], []
    for i in range(len(norms)):
        for j in range(i + 1, min(len(norms), i + MAX_WINDOW) + 1):
            spans.append((i, j))
            short.append(compact(norms[i:j]))
            full.append(compact(norms[i:j], False))
    return tuple(spans), tuple(short), tuple(full)


@lru_cache(maxsize=8192)
def pieces_sound(pieces: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    """Sound forms of a cue's pieces (the keys of ``window_scores``)."""
    return tuple(compact(p) for p in pieces if p)


def window_scores(targets: Sequence[str], norms: Sequence[str]) -> dict[str, list[tuple[tuple[int, int], float]]]:
    """Windows of a sentence with similarity ≥ 0.4 to each target, in order: one C call for all."""
    norms = tuple(norms)
    targets = list(dict.fromkeys(targets))
    spans, short, full = _windows(norms)
    if not targets or not spans:
        return {t: [] for t in targets}
    m = np.maximum(
        process.cdist(targets, short, scorer=fuzz.ratio, score_cutoff=39.99, dtype=np.float64, workers=1),
        process.cdist(targets, full, scorer=fuzz.ratio, score_cutoff=39.99, dtype=np.float64, workers=1),
    )
    out: dict[str, list[tuple[tuple[int, int], float]]] = {t: [] for t in targets}
    rows, cols = np.nonzero(m)  # row-major: each target's windows stay in order
    for r, k in zip(rows.tolist(), cols.tolist()):
        out[targets[r]].append((spans[k], m[r, k] / 100.0))
    return out


def _candidates(
    scored: list[tuple[tuple[int, int], float]], piece_len: int, norms: tuple[str, ...], cutoff: float
) -> list[tuple[tuple[int, int], float]]:
    """Windows that may hold a cue piece of `piece_len` words, similar at least `cutoff`, in order.

    A window has one word more or fewer than the piece, or two more when they are short
    fragments of split words."""
    return [
        ((i, j), sc)
        for (i, j), sc in scored
        if sc >= cutoff - 1e-9 and (j - i <= piece_len + 1 or (j - i == piece_len + 2 and all(len(t) <= 4 for t in norms[i:j])))
    ]


def keeps_negations(pieces: Sequence[Sequence[str]], found: Sequence[str]) -> bool:
    """Whether the words found hold every negation of the cue ("we op urger service nummer"
    sounds like "geen burgerservicenummer" but says the opposite)."""
    return all(w in found for p in pieces for w in p if w in NEGATIONS)


def weight(score: float, probabilities: Sequence[float]) -> float:
    """How much a cue match counts: its closeness times the recogniser's belief in its words.

    Words the model was sure of (probability ≥ 0.7) count fully; a cue made of words it
    guessed counts down to 0.4 of that (Whisper's probabilities are low where it misheard).
    """
    if not probabilities:
        return round(score, 3)
    p = sum(probabilities) / len(probabilities)
    return round(score * (0.4 + 0.6 * min(1.0, p / 0.7)), 3)


def confidence(prior: float, weights: Sequence[float], unsure_speaker: bool = False) -> float:
    """A suggestion's confidence 0–1: the rule's prior times the weights of the matches it rests
    on; a rule about one speaker on an unattributed turn (``spreker``) counts less."""
    c = float(prior)
    for w in weights:
        c *= w
    if unsure_speaker:
        c *= 0.75
    return round(max(0.0, min(1.0, c)), 3)
