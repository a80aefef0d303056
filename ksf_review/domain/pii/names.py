"""Names: after a cue word ("meneer", "spreekt u met"), in lower case from speech recognition,
and the honorifics a de-identifier keeps in front of a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator

from . import patterns as pat


@dataclass(frozen=True)
class NameLists:
    """First names and surnames in lower case; words that are mostly no name are left out.

    The lists come from outside (deduce ships them); without them only capitalised names
    after a cue are found.
    """

    first: frozenset[str] = frozenset()
    last: frozenset[str] = frozenset()

    @classmethod
    def from_lines(cls, first_names: Iterable[str], surnames: Iterable[str]) -> "NameLists":
        """One name per line; of a surname with a tussenvoegsel ("van der Berg") the last word counts."""
        first = {ln.strip().lower() for ln in first_names}
        last = {ln.strip().lower().split(" ")[-1] for ln in surnames}
        return cls(frozenset(first - pat.NOT_LOWER_NAMES), frozenset(last - pat.NOT_LOWER_NAMES))


def _first_token_may_start_a_name(t0: str, n_tokens: int, names: NameLists) -> bool:
    if t0 in pat.LOWER_TUSSEN:
        return n_tokens >= 2
    if t0 in pat.NOT_LOWER_NAMES:
        return False
    return t0 in names.first or t0 in names.last


def _last_name_token(tokens: list[re.Match], names: NameLists) -> int:
    """Index of the last token that belongs to the name, -1 when it is only tussenvoegsels."""
    end_tok = 0 if tokens[0].group(0) not in pat.LOWER_TUSSEN else -1
    for i in range(1, min(len(tokens), 5)):
        if tokens[i].start() != tokens[i - 1].end() + 1:  # only single spaces inside a name
            break
        tok = tokens[i].group(0)
        if tok in pat.LOWER_TUSSEN:
            continue
        if tok in names.last or tok in names.first and i == 1:
            end_tok = i
            continue
        break
    return end_tok


def lower_case_names(text: str, names: NameLists) -> list[tuple[int, int]]:
    """(start, end) of lower-case names right after a cue that the name lists know."""
    out = []
    for cue in pat.LOWER_NAME_CUE.finditer(text):
        tokens = list(re.finditer(r"[a-zà-ÿ'’-]+", text[cue.end() : cue.end() + 60]))
        if not tokens or tokens[0].start() != 0:
            continue
        if not _first_token_may_start_a_name(tokens[0].group(0), len(tokens), names):
            continue
        end_tok = _last_name_token(tokens, names)
        if end_tok < 0:
            continue
        out.append((cue.end(), cue.end() + tokens[end_tok].end()))
    return out


def cued_names(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of capitalised names after a cue ("mevrouw De Vries") or before "hier"."""
    for m in [*pat.CUED_NAME.finditer(text), *pat.NAME_HERE.finditer(text)]:
        start = m.start(1)
        tokens = m.group(1).split(" ")
        while tokens and tokens[0] in pat.NOT_NAMES:  # "met Goedemiddag" etc.
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if tokens and not all(re.fullmatch(pat.TUSSEN, t) for t in tokens):
            yield start, start + len(" ".join(tokens))


def strip_name_prefixes(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop honorifics and relations ("mevrouw", "dhr.") from the front of a name span."""
    while True:
        chunk = text[start:end]
        low = chunk.lower()
        for prefix in sorted(pat.NAME_PREFIXES, key=len, reverse=True):
            if low.startswith(prefix + " "):
                start += len(prefix) + 1
                break
        else:
            # a de-identifier sometimes pulls in lower-case words before the name ("in het Bel")
            m = re.match(r"(?:[a-z]+ )+(?=[A-Z])", chunk)
            if m and not re.fullmatch(rf"(?:{pat.TUSSEN} )+", m.group(0)):
                start += m.end()
                continue
            return start, end
