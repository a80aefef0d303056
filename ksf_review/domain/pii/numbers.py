"""Check digits and spoken numbers: IBAN mod-97, the BSN 'elfproef', Dutch number words."""

from __future__ import annotations

import re

from . import patterns as pat


def iban_is_valid(raw: str) -> bool:
    """ISO 13616 mod-97 check on an IBAN with or without spaces."""
    s = re.sub(r"\s", "", raw).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", s):
        return False
    rearranged = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


def bsn_is_valid(raw: str) -> bool:
    """Dutch 'elfproef' for a 9-digit BSN (weights 9..2 and -1)."""
    digits = [int(c) for c in re.sub(r"\D", "", raw)]
    if len(digits) != 9 or not any(digits):
        return False
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0


def spoken_digits(words: str) -> str | None:
    """'nul zes, twaalf, vierendertig' → '061234'; None if a token is no number word."""
    units = {w: str(i) for i, w in enumerate("nul een twee drie vier vijf zes zeven acht negen".split())}
    units["één"] = "1"
    teens = {w: str(10 + i) for i, w in enumerate(pat.TEENS.split("|"))}
    tens = {w: str(20 + 10 * i) for i, w in enumerate(pat.TENS.split("|"))}
    out = []
    for tok in re.split(r"[ ,\-]+", words.lower().strip(" ,-")):
        if tok in units:
            out.append(units[tok])
        elif tok in teens:
            out.append(teens[tok])
        elif tok in tens:
            out.append(tens[tok])
        else:
            m = re.fullmatch(rf"({'|'.join(units)})(?:en|ën)({pat.TENS})", tok)
            if not m or m.group(1) == "nul":
                return None
            out.append(str(int(tens[m.group(2)]) + int(units[m.group(1)])))
    return "".join(out)
