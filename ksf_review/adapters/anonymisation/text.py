"""Find personal data in Dutch customer-service text and replace it with placeholders.

Two layers, because neither is enough alone:

* ``deduce`` (a maintained Dutch de-identification library, built for medical text) finds
  names, streets, dates, phone numbers, e-mail addresses and BSNs with large lookup lists.
  Loading it takes several seconds (it unpickles its lists), so it is loaded once, lazily.
* Regex rules catch what a customer-service call adds and deduce misses: IBANs (checked
  with mod-97), postcodes written in lower case by speech recognition, customer/policy/
  order numbers after their cue word, ``+31``/``0031`` phone numbers, spelled-out digits
  ("nul zes een twee ...") and spelled-out e-mail addresses ("info apenstaartje ...").

Every detector proposes candidate spans; overlaps are resolved by label priority, so an
IBAN beats the "phone number" deduce sees inside it. Labels are the Dutch placeholder
names shown to the curator (``NAAM`` → ``[NAAM]``).
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from dataclasses import dataclass
from typing import Iterable, Sequence

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- labels

NAAM = "NAAM"
ADRES = "ADRES"
POSTCODE = "POSTCODE"
TELEFOON = "TELEFOON"
EMAIL = "E-MAIL"
IBAN = "IBAN"
GEBOORTEDATUM = "GEBOORTEDATUM"
DATUM = "DATUM"
KLANTNUMMER = "KLANTNUMMER"
BSN = "BSN"

#: all labels, highest priority first (the winner when two different labels overlap)
LABELS: tuple[str, ...] = (
    IBAN, EMAIL, BSN, TELEFOON, GEBOORTEDATUM, DATUM, POSTCODE, KLANTNUMMER, ADRES, NAAM,
)
_PRIORITY = {label: len(LABELS) - i for i, label in enumerate(LABELS)}

#: Dutch descriptions for the curator UI
LABEL_DESCRIPTIONS = {
    NAAM: "naam",
    ADRES: "adres (straat en huisnummer)",
    POSTCODE: "postcode",
    TELEFOON: "telefoonnummer",
    EMAIL: "e-mailadres",
    IBAN: "rekeningnummer (IBAN)",
    GEBOORTEDATUM: "geboortedatum",
    DATUM: "datum",
    KLANTNUMMER: "klant-, polis-, contract- of ordernummer",
    BSN: "burgerservicenummer (BSN)",
}


@dataclass(frozen=True)
class PiiSpan:
    """A stretch of personal data: ``text[start_char:end_char]`` gets ``[label]``."""

    start_char: int
    end_char: int
    label: str
    text: str

    def __post_init__(self):
        if self.label not in _PRIORITY:
            raise ValueError(f"onbekend label {self.label!r} (kies uit {', '.join(LABELS)})")
        if self.start_char < 0 or self.end_char <= self.start_char:
            raise ValueError(f"ongeldige tekenpositie {self.start_char}–{self.end_char}")

    @property
    def placeholder(self) -> str:
        return f"[{self.label}]"

    def overlaps(self, other: "PiiSpan") -> bool:
        return self.start_char < other.end_char and other.start_char < self.end_char

    @classmethod
    def of(cls, text: str, start: int, end: int, label: str) -> "PiiSpan":
        """Span over ``text[start:end]`` (the curator's "add" button uses this)."""
        return cls(start, end, label, text[start:end])


# ---------------------------------------------------------------- small helpers

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_UNITS = "nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
_TEENS = "tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_COMPOUND = f"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:{_TENS})"
#: one spoken number word; compounds first so "vierendertig" is not read as "vier"
_NUMBER_WORD = rf"(?:{_COMPOUND}|{_TEENS}|{_TENS}|{_UNITS})"
_SPOKEN_NUMBER = re.compile(
    rf"\b{_NUMBER_WORD}(?:[ ,\-]+{_NUMBER_WORD})+\b", re.IGNORECASE
)

#: cue words before a number, by the label that number gets
_ID_CUES = (
    r"(?:klant|polis|contract|order|bestel|factuur|dossier|referentie|relatie|lid|leden|abonnements?"
    r"|pas|account|zaak|aanvraag|schade|aansluit|meter|zending|track(?:ing)?(?: ?and ?trace)?|kenmerk)"
    r"[- ]?(?:nummer|nr\.?)|kenmerk|referentie|klant[- ]?id"
)
_BSN_CUES = r"\bbsn\b|burger ?service ?nummer|sofi[- ]?nummer"
_PHONE_CUES = (
    r"telefoon(?:nummer)?|tel\.?\b|mobiel(?:e nummer)?|06[- ]?nummer|vaste nummer|bereikbaar|bereiken"
    r"|\bbel(?:len)?\b|terugbel"
)
_BIRTH_CUES = r"geboren|geboortedatum|geb\.|verjaardag|jarig"

_CUE_WINDOW = 60  # characters before a value in which a cue word counts
_CUE_AFTER_WINDOW = 25  # ... and after it, for "op 23-11-1964 geboren"
#: service numbers (0800 free, 090x paid, 088 company-wide) belong to companies, not persons
_SERVICE_NUMBER = re.compile(r"^(?:0800|090[0-9]|088)")

_POSTCODE = re.compile(r"(?<![\w€.,])([1-9]\d{3}) ?([A-Za-z]{2})\b(?![\w-])")
#: a postcode read out digit by digit ("2 5 1 1 c v"), only right after the word postcode
_SPACED_POSTCODE = re.compile(
    r"postcode(?: is)?:?(?: (?:eh|uh|ehm))? ([1-9](?: ?\d){3} ?[A-Za-z] ?[A-Za-z])\b", re.IGNORECASE
)
#: two-letter Dutch words that follow a number in ordinary speech ("in 2019 en ...")
_NOT_POSTCODE_LETTERS = {
    "en", "de", "ik", "je", "we", "ze", "in", "op", "om", "te", "is", "na", "al", "nu", "zo",
    "er", "ga", "of", "uw", "ja", "bv", "ca", "pm", "cm", "mm", "km", "kg",
    "eu", "ml", "dl", "cl", "mb", "gb", "kb", "pc", "tv", "ok", "nl", "mn", "zn", "hè", "he",
}

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?: (?:punt|streepje|liggend streepje|underscore) [\w-]+)*"
    r" (?:apenstaartje|at-sign|at) [\w-]+(?: [\w-]+)?(?: (?:punt|dot|\.) [a-z]{2,6})+\b",
    re.IGNORECASE,
)

_IBAN = re.compile(r"\b([A-Z]{2} ?\d{2})((?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", re.IGNORECASE)
_NL_IBAN_STRICT = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
#: a Dutch IBAN with spaces anywhere (speech recognition groups digits as they were spoken)
_NL_IBAN_LOOSE = re.compile(r"\bNL ?\d ?\d ?[A-Z]{4}(?: ?\d){10}\b", re.IGNORECASE)

_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00) ?31[ \-]*(?:\(0\)[ \-]*)?\d(?:(?: ?- ?| )?\d){8}"  # +31 6 12345678, 0031 20 7654321
    r"|0\d(?:(?: ?- ?| )?\d){8}"  # 06-12345678, 010-4567890, 020 - 123 45 67
    r")(?![\d])"
)

_SPOKEN_YEAR = (
    rf"(?:negentien|twintig)(?:honderd)?(?:{_COMPOUND}|{_TEENS}|{_TENS}|een|twee|drie|vier|vijf|zes|zeven|acht|negen)?"
    rf"|tweeduizend(?:{_COMPOUND}|{_TEENS}|{_TENS}|een|twee|drie|vier|vijf|zes|zeven|acht|negen)?"
)
_SPOKEN_DAY = rf"(?:{_COMPOUND}|{_TEENS}|{_TENS}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|\d{{1,2}})(?:de|ste)?"
_SPOKEN_DATE = re.compile(
    rf"\b{_SPOKEN_DAY} (?:{_MONTHS}) (?:{_SPOKEN_YEAR}|(?:19|20)\d{{2}})\b", re.IGNORECASE
)
_DATE = re.compile(
    rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}\b"
    rf"|\b\d{{1,2}} (?:{_MONTHS})\.? (?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)

#: a digit run (with single spaces, dots or hyphens between digit groups), optionally after
#: a short letter prefix as in "AB-123456"
_DIGIT_RUN = re.compile(
    r"(?<![\w€$:/])(?<!\d[.,])(?:[A-Z]{1,4}-?)?\d(?:(?: ?- ?|[ .])?\d)+(?![\w:]|[.,]\d)"
)
_AMOUNT_AFTER = re.compile(r"\s*(?:euro|eur\b|€|,-|procent|%|cent|minuten|uur|jaar|dagen|kilo|km)", re.I)

_STREET_SUFFIX = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|park|baan|ring"
    r"|plantsoen|boulevard|kanaal|wal|haven|veld|erf|burg|lei|zijde|akker|berg|brink|dam|dreef"
    r"|gang|hoek|kamp|laantje|poort|rade|hout|oord|straatje|vaart|ven|wijk|werf|allee|dal"
)
_HOUSE_NUMBER = r"\d{1,5}(?: ?[a-zA-Z]\b| ?- ?\d{1,4}\b| ?(?:bis|hs|huis|boven|rood|zwart)\b)?"
_STREET = re.compile(
    r"\b(?:[A-Z][\w'’.-]* (?:(?:van|de|der|den|het|'t|ter|ten|aan|op|in|bij) )*){0,3}"
    rf"[A-Z][\w'’-]*(?:{_STREET_SUFFIX}) {_HOUSE_NUMBER}"
    rf"|\b(?:Laan|Plein|Weg|Kade|Singel|Burgemeester|Prins|Prinses|Koning|Koningin|Graaf|Sint)"
    rf"(?: (?:[A-Z][\w'’.-]*|van|de|der|den|het|'t|ter|ten|aan|op)){{1,4}} {_HOUSE_NUMBER}"
)
_HOUSE_NUMBER_CUE = re.compile(rf"\bhuisnummer(?: is)?:? ({_HOUSE_NUMBER}|{_NUMBER_WORD}\b)", re.IGNORECASE)
#: "nummer 8" right after a postcode is the house number
_NUMBER_AFTER_POSTCODE = re.compile(rf"[ ,]*(?:en )?(?:huis)?(?:nummer|nr\.?)(?: is)?:? ({_HOUSE_NUMBER})", re.I)
#: streets deduce returns without a house number ("de Kerkstraat"); place names are not kept
_STREET_WORD = re.compile(
    r"(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|plantsoen|boulevard|pad|hof|markt|dijk)\b",
    re.IGNORECASE,
)

_TUSSEN = r"(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Hh]et|'t|[Ii]n|[Oo]p|[Ee]l|[Aa]l|[Ll]a|[Ll]e|[Dd]u|[Dd]a|[Dd]i|[Bb]en|[Bb]in)"
_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOWER = "a-zß-öø-ÿĀ-ž'’"
#: one capitalised name word; a tussenvoegsel followed by a space is never a name word, which
#: keeps the name pattern unambiguous (no catastrophic backtracking on "Van Van Van ...")
_NAME_TOKEN = rf"(?!{_TUSSEN} )[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)*"
_NAME = rf"(?:{_TUSSEN} )*{_NAME_TOKEN}(?: (?:{_TUSSEN} )*{_NAME_TOKEN}){{0,3}}"
_NAME_CUES = (
    r"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]ijnheer|[Dd]e heer|[Dd]hr\.?|[Mm]w\.?|[Mm]evr\.?|[Cc]ollega|[Zz]oon|[Dd]ochter"
    r"|[Mm]an|[Vv]rouw|[Pp]artner|[Bb]roer|[Zz]us|[Bb]uurman|[Bb]uurvrouw"
    r"|(?:[Ss]choon|[Gg]root|[Ss]tief)?(?:[Mm]oeder|[Vv]ader|[Zz]oon|[Dd]ochter|[Zz]us|[Bb]roer))\b,?"
    r"|\b(?:spreekt|spreek|spreken) (?:u |je |jij )?met"
    r"|(?:^|[.!?,] )[Mm]et"
    r"|\b(?i:mijn|uw|zijn|haar|de) (?:voor|achter)?naam(?: is)?:?\??"
    r"|\b(?:[Ii]k heet|[Ii]k ben|[Hh]ier is|op naam van|account van)"
)
_CUED_NAME = re.compile(rf"(?:{_NAME_CUES}) ({_NAME})")
#: "Lotte hier," – a name introducing oneself at the start of a turn or clause
_NAME_HERE = re.compile(rf"(?:^|[.!?,] )({_NAME}) hier\b")
#: capitalised words that follow a cue but are no name
_NOT_NAMES = {
    "Ja", "Nee", "Dat", "Het", "Een", "Ik", "U", "Uw", "Wij", "We", "Dank", "Goedemorgen",
    "Goedemiddag", "Goedenavond", "Hallo", "Even", "Oké", "Ok", "Prima", "Sorry", "Excuses",
    "Nou", "Maar", "En", "Dus", "Want", "Als", "Wat", "Hoe", "Waar", "Wanneer", "Welkom",
    "Vriendelijke", "Klantenservice", "Bel", "Register",
}
#: phrases that look like names but are domain terms; candidates overlapping them are dropped
_NEVER_PII = re.compile(
    r"Bel[- ]?[Mm]e[- ]?[Nn]iet(?:[- ][Rr]egister)?|Klantenservice Federatie|\bKSF\b|\bAVG\b",
)
#: honorifics and relations deduce keeps in a name span; dropping them keeps "mevrouw [NAAM]"
_NAME_PREFIXES = {
    "meneer", "mevrouw", "mijnheer", "mevr", "mevr.", "mw", "mw.", "dhr", "dhr.", "de heer", "heer",
    "collega", "dr", "dr.", "drs", "drs.", "mr", "mr.", "ir", "ir.", "ing", "ing.", "prof", "prof.",
    "mej", "mej.", "juffrouw", "zoon", "dochter", "man", "vrouw",
}


# ---------------------------------------------------------------- lower-case names

#: speech recognition often writes names in lower case; after these cues a lower-case word
#: is taken as a name when deduce's name lists know it
_LOWER_NAME_CUE = re.compile(
    r"(?:\b(?:meneer|mevrouw|mijnheer|de heer|mevr\.?|dhr\.?|mw\.?)"
    r"|\b(?:spreekt|spreek|spreken) (?:u |je |jij )?met"
    r"|(?:^|[.!?,] |\b(?:ja|nee|goedemiddag|goedemorgen|goedenavond|hallo|hoi|dag),? )met"
    r"|\bmijn naam is|\bik heet"
    r"|\bcollega|\bhier is)(?: (?:eh|uh|ehm|euh),?)? ",
    re.IGNORECASE,
)
_LOWER_TUSSEN = {"van", "de", "der", "den", "ter", "ten", "het", "'t", "in", "op", "el", "al", "la", "le"}
#: frequent words that also occur in the name lists or follow the cues
_NOT_LOWER_NAMES = {
    "de", "het", "een", "en", "u", "ik", "je", "jij", "we", "wij", "ze", "zij", "hij", "die", "dat", "dit",
    "is", "ben", "was", "met", "van", "voor", "naar", "op", "in", "aan", "om", "bij", "uit", "over", "ja",
    "nee", "nou", "eh", "uh", "ehm", "oké", "ok", "goed", "prima", "dank", "wel", "niet", "geen", "nog",
    "even", "heel", "maar", "dus", "want", "als", "hoe", "wat", "waar", "wie", "welke", "mijn", "uw",
    "jullie", "onze", "ons", "zijn", "haar", "hun", "klant", "klantenservice", "afdeling", "collega",
    "meneer", "mevrouw", "morgen", "middag", "avond", "goedemiddag", "goedemorgen", "hallo", "hoi",
    "vriendelijke", "groet", "graag", "zo", "nu", "hier", "daar", "er", "te", "ook", "al", "toch",
    "fijne", "prettige", "alstublieft", "bedankt", "sorry", "excuus", "klopt", "zeker", "natuurlijk",
    "precies", "inderdaad", "hoor", "hè", "kan", "kunt", "mag", "wil", "moet", "heeft", "had",
}
_name_lists: tuple[frozenset, frozenset] | None = None


def _names() -> tuple[frozenset, frozenset]:
    """(first names, surnames), lower case, from deduce's lookup lists (empty without deduce)."""
    global _name_lists
    if _name_lists is None:
        first: set[str] = set()
        last: set[str] = set()
        try:
            from importlib import resources

            base = resources.files("deduce") / "data" / "lookup" / "src" / "names"
            first = {ln.strip().lower() for ln in (base / "lst_first_name" / "items.txt").read_text("utf-8").splitlines()}
            for ln in (base / "lst_surname" / "items.txt").read_text("utf-8").splitlines():
                last.add(ln.strip().lower().split(" ")[-1])
        except Exception:  # pragma: no cover - deduce missing or laid out differently
            pass
        _name_lists = (frozenset(first - _NOT_LOWER_NAMES), frozenset(last - _NOT_LOWER_NAMES))
    return _name_lists


def _lower_case_names(text: str) -> list[tuple[int, int]]:
    first, last = _names()
    out = []
    for cue in _LOWER_NAME_CUE.finditer(text):
        tokens = list(re.finditer(r"[a-zà-ÿ'’-]+", text[cue.end():cue.end() + 60]))
        if not tokens or tokens[0].start() != 0:
            continue
        t0 = tokens[0].group(0)
        if t0 in _LOWER_TUSSEN:
            if len(tokens) < 2:
                continue
        elif t0 in _NOT_LOWER_NAMES:
            continue
        if not (t0 in first or t0 in last or t0 in _LOWER_TUSSEN):
            continue
        end_tok = 0 if t0 not in _LOWER_TUSSEN else -1
        for i in range(1, min(len(tokens), 5)):
            if tokens[i].start() != tokens[i - 1].end() + 1:  # only single spaces inside a name
                break
            tok = tokens[i].group(0)
            if tok in _LOWER_TUSSEN:
                continue
            if tok in last or tok in first and i == 1:
                end_tok = i
                continue
            break
        if end_tok < 0:
            continue
        out.append((cue.end(), cue.end() + tokens[end_tok].end()))
    return out


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
    teens = {w: str(10 + i) for i, w in enumerate(_TEENS.split("|"))}
    tens = {w: str(20 + 10 * i) for i, w in enumerate(_TENS.split("|"))}
    out = []
    for tok in re.split(r"[ ,\-]+", words.lower().strip(" ,-")):
        if tok in units:
            out.append(units[tok])
        elif tok in teens:
            out.append(teens[tok])
        elif tok in tens:
            out.append(tens[tok])
        else:
            m = re.fullmatch(rf"({'|'.join(units)})(?:en|ën)({_TENS})", tok)
            if not m or m.group(1) == "nul":
                return None
            out.append(str(int(tens[m.group(2)]) + int(units[m.group(1)])))
    return "".join(out)


def _cue_before(text: str, start: int, cues: str, window: int = _CUE_WINDOW) -> bool:
    before = text[max(0, start - window):start]
    return re.search(cues, before, re.IGNORECASE) is not None


def _date_label(text: str, start: int, end: int) -> str:
    """GEBOORTEDATUM when a birth cue is near (before, or just after: "... geboren")."""
    after = text[end:end + _CUE_AFTER_WINDOW]
    if _cue_before(text, start, _BIRTH_CUES) or re.search(_BIRTH_CUES, after, re.IGNORECASE):
        return GEBOORTEDATUM
    return DATUM


def _closest_cue(text: str, start: int) -> str | None:
    """Label implied by the nearest cue word before ``start`` (None when there is none)."""
    before = text[max(0, start - _CUE_WINDOW):start].lower()
    best: tuple[int, str] | None = None
    for cues, label in ((_ID_CUES, KLANTNUMMER), (_BSN_CUES, BSN), (_PHONE_CUES, TELEFOON)):
        for m in re.finditer(cues, before, re.IGNORECASE):
            if best is None or m.end() > best[0]:
                best = (m.end(), label)
    return best[1] if best else None


# ---------------------------------------------------------------- candidates

@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    label: str
    source: str  # "rules" or "deduce", for debugging and the evaluation


def _number_label(text: str, start: int, digits: str) -> str | None:
    """Label for a run of ``digits`` found at ``start`` (cue words first, then shape)."""
    cue = _closest_cue(text, start)
    n = len(digits)
    if _SERVICE_NUMBER.match(digits) and cue != KLANTNUMMER:
        return None
    if cue == BSN:
        return BSN
    if cue == KLANTNUMMER and n >= 4:
        return KLANTNUMMER
    if cue == TELEFOON and n >= 9:
        return TELEFOON
    if n == 10 and digits.startswith("0") or digits.startswith(("31", "0031")) and n in (11, 13):
        return TELEFOON
    if n == 9 and bsn_is_valid(digits):
        return BSN
    if n >= 6:
        return KLANTNUMMER
    return None


def _rule_candidates(text: str) -> list[_Candidate]:
    out: list[_Candidate] = []

    def add(start: int, end: int, label: str) -> None:
        out.append(_Candidate(start, end, label, "rules"))

    for m in _EMAIL.finditer(text):
        add(m.start(), m.end(), EMAIL)
    for m in _SPOKEN_EMAIL.finditer(text):
        add(m.start(), m.end(), EMAIL)
    for m in _IBAN.finditer(text):
        compact = re.sub(r"\s", "", m.group(0)).upper()
        if iban_is_valid(compact) or _NL_IBAN_STRICT.fullmatch(compact):
            add(m.start(), m.end(), IBAN)
    for m in _NL_IBAN_LOOSE.finditer(text):
        add(m.start(), m.end(), IBAN)
    for m in _PHONE.finditer(text):
        if not _SERVICE_NUMBER.match(m.group(0)) and _closest_cue(text, m.start()) in (None, TELEFOON):
            add(m.start(), m.end(), TELEFOON)
    for m in [*_DATE.finditer(text), *_SPOKEN_DATE.finditer(text)]:
        add(m.start(), m.end(), _date_label(text, m.start(), m.end()))
    for m in _POSTCODE.finditer(text):
        letters = m.group(2)
        if letters.islower() and letters in _NOT_POSTCODE_LETTERS:
            continue
        if letters.isupper() and letters in ("SA", "SD", "SS"):
            continue  # never issued
        add(m.start(), m.end(), POSTCODE)
        house = _NUMBER_AFTER_POSTCODE.match(text, m.end())
        if house:
            add(house.start(1), house.end(1), ADRES)
    for m in _STREET.finditer(text):
        add(m.start(), m.end(), ADRES)
    for m in _HOUSE_NUMBER_CUE.finditer(text):
        add(m.start(1), m.end(1), ADRES)
    for m in _DIGIT_RUN.finditer(text):
        if _AMOUNT_AFTER.match(text, m.end()) or re.search(r"€\s*$", text[max(0, m.start() - 3):m.start()]):
            continue
        digits = re.sub(r"\D", "", m.group(0))
        label = _number_label(text, m.start(), digits)
        if label:
            add(m.start(), m.end(), label)
    for m in _SPACED_POSTCODE.finditer(text):
        add(m.start(1), m.end(1), POSTCODE)
    for m in _SPOKEN_NUMBER.finditer(text):
        digits = spoken_digits(m.group(0))
        if not digits or len(digits) < 6:
            continue
        add(m.start(), m.end(), _number_label(text, m.start(), digits) or KLANTNUMMER)
    for start, end in _lower_case_names(text):
        add(start, end, NAAM)
    for m in [*_CUED_NAME.finditer(text), *_NAME_HERE.finditer(text)]:
        name = m.group(1)
        start = m.start(1)
        tokens = name.split(" ")
        while tokens and tokens[0] in _NOT_NAMES:  # "met Goedemiddag" etc.
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        if tokens and not all(re.fullmatch(_TUSSEN, t) for t in tokens):
            add(start, start + len(" ".join(tokens)), NAAM)
    return out


# ---------------------------------------------------------------- deduce

_deduce_lock = threading.Lock()
_deduce_instance = None
_deduce_failed = False


def deduce_available() -> bool:
    """True when the deduce package can be imported (it is optional at run time)."""
    try:
        import deduce  # noqa: F401
    except Exception:  # pragma: no cover - depends on the environment
        return False
    return True


def _build_deduce():
    from deduce import Deduce

    return Deduce()


def load_out_of_collectors_way(build):
    """``build()`` with the garbage collector paused, then everything it kept frozen.

    deduce keeps ~4.5 million Python objects (its lookup tries) alive for the life of the
    process. Left in the collector's generations, every full collection walks all of them:
    Streamlit runs ``gc.collect(2)`` after every script run, so each click of every user
    cost seconds more once anyone had opened the Bibliotheek. ``gc.freeze()`` moves them
    to the permanent generation, which collections skip; pausing the collector while
    building avoids the repeated full collections the allocations would otherwise trigger.
    Frozen objects are never freed, which is what a process-wide model wants anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        model = build()
        gc.freeze()
        return model
    finally:
        if was_enabled:
            gc.enable()


def _get_deduce():
    """The shared Deduce instance, built on first use (takes ~5–30 s; a first install builds
    its lookup cache once, 1–5 min). None when deduce is missing or fails to load."""
    global _deduce_instance, _deduce_failed
    if _deduce_instance is not None or _deduce_failed:
        return _deduce_instance
    with _deduce_lock:
        if _deduce_instance is None and not _deduce_failed:
            try:
                _deduce_instance = load_out_of_collectors_way(_build_deduce)
            except Exception as exc:  # pragma: no cover - depends on the environment
                log.warning("deduce kon niet worden geladen, alleen regels worden gebruikt: %s", exc)
                _deduce_failed = True
    return _deduce_instance


def deduce_loaded() -> bool:
    """True once deduce is in memory (the page can then promise a quick preview)."""
    return _deduce_instance is not None


def warm_up() -> bool:
    """Load deduce now (call from a background thread or a cached resource in the UI)."""
    return _get_deduce() is not None


def _strip_name_prefixes(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        chunk = text[start:end]
        low = chunk.lower()
        for prefix in sorted(_NAME_PREFIXES, key=len, reverse=True):
            if low.startswith(prefix + " "):
                start += len(prefix) + 1
                break
        else:
            # deduce sometimes pulls in lower-case words before the name ("in het Bel")
            m = re.match(r"(?:[a-z]+ )+(?=[A-Z])", chunk)
            if m and not re.fullmatch(rf"(?:{_TUSSEN} )+", m.group(0)):
                start += m.end()
                continue
            return start, end


def _deduce_candidates(text: str) -> list[_Candidate]:
    model = _get_deduce()
    if model is None:
        return []
    out: list[_Candidate] = []
    for ann in model.deidentify(text).annotations:
        tag, start, end = ann.tag, ann.start_char, ann.end_char
        chunk = text[start:end]
        if tag in ("persoon", "patient") or "naam" in tag:
            start, end = _strip_name_prefixes(text, start, end)
            if end > start:
                out.append(_Candidate(start, end, NAAM, "deduce"))
        elif tag == "locatie":
            pc = _POSTCODE.search(chunk)
            if pc and pc.start() == 0:
                out.append(_Candidate(start, start + pc.end(), POSTCODE, "deduce"))
            elif re.search(r"\d", chunk) or _STREET_WORD.search(chunk):
                out.append(_Candidate(start, end, ADRES, "deduce"))
            # a bare place name ("Utrecht") identifies nobody: kept
        elif tag == "datum":
            if re.search(r"\d{4}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2}\b", chunk):
                out.append(_Candidate(start, end, _date_label(text, start, end), "deduce"))
        elif tag == "telefoonnummer":
            if not _SERVICE_NUMBER.match(chunk) and _closest_cue(text, start) in (None, TELEFOON):
                out.append(_Candidate(start, end, TELEFOON, "deduce"))
        elif tag == "emailadres":
            out.append(_Candidate(start, end, EMAIL, "deduce"))
        elif tag == "bsn":
            out.append(_Candidate(start, end, BSN, "deduce"))
        elif tag == "id":
            label = _number_label(text, start, re.sub(r"\D", "", chunk))
            if label:
                out.append(_Candidate(start, end, label, "deduce"))
        # leeftijd, url, ziekenhuis, zorginstelling: no personal data in this setting
    return out


# ---------------------------------------------------------------- resolution

def _resolve(text: str, candidates: Iterable[_Candidate]) -> list[PiiSpan]:
    """Same-label overlaps are united; of overlapping different labels the longest span wins
    (a phone number beats the BSN-shaped digits inside it), ties go to label priority."""
    cands = [c for c in candidates if not any(
        c.start < m.end() and m.start() < c.end for m in _NEVER_PII.finditer(text))]
    # unite same-label overlaps first
    by_label: dict[str, list[tuple[int, int]]] = {}
    for c in cands:
        by_label.setdefault(c.label, []).append((c.start, c.end))
    united: list[tuple[int, int, str]] = []
    for label, ranges in by_label.items():
        ranges.sort()
        cur_s, cur_e = ranges[0]
        for s, e in ranges[1:]:
            if s < cur_e:
                cur_e = max(cur_e, e)
            else:
                united.append((cur_s, cur_e, label))
                cur_s, cur_e = s, e
        united.append((cur_s, cur_e, label))
    # then keep spans greedily by length, then priority
    united.sort(key=lambda r: (-(r[1] - r[0]), -_PRIORITY[r[2]], r[0]))
    kept: list[tuple[int, int, str]] = []
    for s, e, label in united:
        if all(e <= ks or s >= ke for ks, ke, _ in kept):
            kept.append((s, e, label))
    kept.sort()
    spans = []
    for s, e, label in kept:
        # trim stray whitespace/punctuation at the edges
        while s < e and text[s] in " ,.;:?!":
            s += 1
        while e > s and text[e - 1] in " ,;:?!":
            e -= 1
        if e > s:
            spans.append(PiiSpan(s, e, label, text[s:e]))
    return spans


def detect_pii(text: str, *, backend: str = "auto") -> list[PiiSpan]:
    """Personal data in ``text``, sorted, non-overlapping.

    backend: ``"auto"`` (deduce + rules when deduce is installed, rules otherwise),
    ``"deduce"`` (the same, but failing loudly without deduce) or ``"rules"`` (regex only,
    instant; misses names without a cue word and streets without a street suffix).
    """
    if backend not in ("auto", "deduce", "rules"):
        raise ValueError(f"onbekende backend {backend!r}")
    if not text or not text.strip():
        return []
    candidates = _rule_candidates(text)
    if backend != "rules":
        if backend == "deduce" and _get_deduce() is None:
            raise RuntimeError("deduce is niet geïnstalleerd of kon niet laden")
        candidates += _deduce_candidates(text)
    return _resolve(text, candidates)


# ---------------------------------------------------------------- redaction

def merge_spans(spans: Sequence[PiiSpan], text: str | None = None) -> list[PiiSpan]:
    """Sort and merge overlapping spans (curator additions may overlap detections).

    A merged span takes the label with the highest priority among its parts.
    """
    ordered = sorted(spans, key=lambda s: (s.start_char, s.end_char))
    merged: list[PiiSpan] = []
    for span in ordered:
        if merged and span.start_char < merged[-1].end_char:
            prev = merged[-1]
            end = max(prev.end_char, span.end_char)
            label = max((prev.label, span.label), key=lambda lb: _PRIORITY[lb])
            if text is not None:
                body = text[prev.start_char:end]
            else:
                body = prev.text + span.text[max(0, prev.end_char - span.start_char):]
            merged[-1] = PiiSpan(prev.start_char, end, label, body)
        else:
            merged.append(span)
    return merged


def apply_redaction(text: str, spans: Sequence[PiiSpan]) -> str:
    """``text`` with every span replaced by its placeholder (overlaps merged first)."""
    out, cursor = [], 0
    for span in merge_spans([s for s in spans if s.start_char < len(text)], text):
        out.append(text[cursor:span.start_char])
        out.append(span.placeholder)
        cursor = max(cursor, min(span.end_char, len(text)))
    out.append(text[cursor:])
    return "".join(out)


def edit_spans(
    detected: Sequence[PiiSpan],
    added: Sequence[PiiSpan] = (),
    removed: Sequence[PiiSpan] = (),
) -> list[PiiSpan]:
    """Apply the curator's edits: drop detections that overlap a removed span, add the rest."""
    kept = [d for d in detected if not any(d.overlaps(r) for r in removed)]
    return sorted([*kept, *added], key=lambda s: (s.start_char, s.end_char))
