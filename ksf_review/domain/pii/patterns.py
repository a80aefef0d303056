"""The regular expressions and word lists of the personal-data rules (Dutch customer service).

Kept apart from the code that runs them so a reader can tune a cue word without reading
the resolution logic. Spoken forms matter: speech recognition writes digits as words,
postcodes in lower case and e-mail addresses as "info apenstaartje ...".
"""

from __future__ import annotations

import re

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
UNITS = "nul|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen"
TEENS = "tien|elf|twaalf|dertien|veertien|vijftien|zestien|zeventien|achttien|negentien"
TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
COMPOUND = f"(?:een|één|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:{TENS})"
#: one spoken number word; compounds first so "vierendertig" is not read as "vier"
NUMBER_WORD = rf"(?:{COMPOUND}|{TEENS}|{TENS}|{UNITS})"
SPOKEN_NUMBER = re.compile(rf"\b{NUMBER_WORD}(?:[ ,\-]+{NUMBER_WORD})+\b", re.IGNORECASE)

#: cue words before a number, by the label that number gets
ID_CUES = (
    r"(?:klant|polis|contract|order|bestel|factuur|dossier|referentie|relatie|lid|leden|abonnements?"
    r"|pas|account|zaak|aanvraag|schade|aansluit|meter|zending|track(?:ing)?(?: ?and ?trace)?|kenmerk)"
    r"[- ]?(?:nummer|nr\.?)|kenmerk|referentie|klant[- ]?id"
)
BSN_CUES = r"\bbsn\b|burger ?service ?nummer|sofi[- ]?nummer"
PHONE_CUES = (
    r"telefoon(?:nummer)?|tel\.?\b|mobiel(?:e nummer)?|06[- ]?nummer|vaste nummer|bereikbaar|bereiken"
    r"|\bbel(?:len)?\b|terugbel"
)
BIRTH_CUES = r"geboren|geboortedatum|geb\.|verjaardag|jarig"

CUE_WINDOW = 60  # characters before a value in which a cue word counts
CUE_AFTER_WINDOW = 25  # ... and after it, for "op 23-11-1964 geboren"
#: service numbers (0800 free, 090x paid, 088 company-wide) belong to companies, not persons
SERVICE_NUMBER = re.compile(r"^(?:0800|090[0-9]|088)")

POSTCODE = re.compile(r"(?<![\w€.,])([1-9]\d{3}) ?([A-Za-z]{2})\b(?![\w-])")
#: a postcode read out digit by digit ("2 5 1 1 c v"), only right after the word postcode
SPACED_POSTCODE = re.compile(r"postcode(?: is)?:?(?: (?:eh|uh|ehm))? ([1-9](?: ?\d){3} ?[A-Za-z] ?[A-Za-z])\b", re.IGNORECASE)
#: two-letter Dutch words that follow a number in ordinary speech ("in 2019 en ...")
NOT_POSTCODE_LETTERS = {
    "en",
    "de",
    "ik",
    "je",
    "we",
    "ze",
    "in",
    "op",
    "om",
    "te",
    "is",
    "na",
    "al",
    "nu",
    "zo",
    "er",
    "ga",
    "of",
    "uw",
    "ja",
    "bv",
    "ca",
    "pm",
    "cm",
    "mm",
    "km",
    "kg",
    "eu",
    "ml",
    "dl",
    "cl",
    "mb",
    "gb",
    "kb",
    "pc",
    "tv",
    "ok",
    "nl",
    "mn",
    "zn",
    "hè",
    "he",
}

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
SPOKEN_EMAIL = re.compile(
    r"\b[\w.+-]+(?: (?:punt|streepje|liggend streepje|underscore) [\w-]+)*"
    r" (?:apenstaartje|at-sign|at) [\w-]+(?: [\w-]+)?(?: (?:punt|dot|\.) [a-z]{2,6})+\b",
    re.IGNORECASE,
)

IBAN = re.compile(r"\b([A-Z]{2} ?\d{2})((?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?)\b", re.IGNORECASE)
NL_IBAN_STRICT = re.compile(r"NL\d{2}[A-Z]{4}\d{10}")
#: a Dutch IBAN with spaces anywhere (speech recognition groups digits as they were spoken)
NL_IBAN_LOOSE = re.compile(r"\bNL ?\d ?\d ?[A-Z]{4}(?: ?\d){10}\b", re.IGNORECASE)

PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00) ?31[ \-]*(?:\(0\)[ \-]*)?\d(?:(?: ?- ?| )?\d){8}"  # +31 6 12345678, 0031 20 7654321
    r"|0\d(?:(?: ?- ?| )?\d){8}"  # 06-12345678, 010-4567890, 020 - 123 45 67
    r")(?![\d])"
)

SPOKEN_YEAR = (
    rf"(?:negentien|twintig)(?:honderd)?(?:{COMPOUND}|{TEENS}|{TENS}|een|twee|drie|vier|vijf|zes|zeven|acht|negen)?"
    rf"|tweeduizend(?:{COMPOUND}|{TEENS}|{TENS}|een|twee|drie|vier|vijf|zes|zeven|acht|negen)?"
)
SPOKEN_DAY = rf"(?:{COMPOUND}|{TEENS}|{TENS}|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|\d{{1,2}})(?:de|ste)?"
SPOKEN_DATE = re.compile(rf"\b{SPOKEN_DAY} (?:{MONTHS}) (?:{SPOKEN_YEAR}|(?:19|20)\d{{2}})\b", re.IGNORECASE)
DATE = re.compile(
    rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}\b"
    rf"|\b\d{{1,2}} (?:{MONTHS})\.? (?:19|20)\d{{2}}\b",
    re.IGNORECASE,
)

#: a digit run (with single spaces, dots or hyphens between digit groups), optionally after
#: a short letter prefix as in "AB-123456"
DIGIT_RUN = re.compile(r"(?<![\w€$:/])(?<!\d[.,])(?:[A-Z]{1,4}-?)?\d(?:(?: ?- ?|[ .])?\d)+(?![\w:]|[.,]\d)")
AMOUNT_AFTER = re.compile(r"\s*(?:euro|eur\b|€|,-|procent|%|cent|minuten|uur|jaar|dagen|kilo|km)", re.I)

STREET_SUFFIX = (
    r"straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|markt|park|baan|ring"
    r"|plantsoen|boulevard|kanaal|wal|haven|veld|erf|burg|lei|zijde|akker|berg|brink|dam|dreef"
    r"|gang|hoek|kamp|laantje|poort|rade|hout|oord|straatje|vaart|ven|wijk|werf|allee|dal"
)
HOUSE_NUMBER = r"\d{1,5}(?: ?[a-zA-Z]\b| ?- ?\d{1,4}\b| ?(?:bis|hs|huis|boven|rood|zwart)\b)?"
STREET = re.compile(
    r"\b(?:[A-Z][\w'’.-]* (?:(?:van|de|der|den|het|'t|ter|ten|aan|op|in|bij) )*){0,3}"
    rf"[A-Z][\w'’-]*(?:{STREET_SUFFIX}) {HOUSE_NUMBER}"
    rf"|\b(?:Laan|Plein|Weg|Kade|Singel|Burgemeester|Prins|Prinses|Koning|Koningin|Graaf|Sint)"
    rf"(?: (?:[A-Z][\w'’.-]*|van|de|der|den|het|'t|ter|ten|aan|op)){{1,4}} {HOUSE_NUMBER}"
)
HOUSE_NUMBER_CUE = re.compile(rf"\bhuisnummer(?: is)?:? ({HOUSE_NUMBER}|{NUMBER_WORD}\b)", re.IGNORECASE)
#: "nummer 8" right after a postcode is the house number
NUMBER_AFTER_POSTCODE = re.compile(rf"[ ,]*(?:en )?(?:huis)?(?:nummer|nr\.?)(?: is)?:? ({HOUSE_NUMBER})", re.I)
#: streets deduce returns without a house number ("de Kerkstraat"); place names are not kept
STREET_WORD = re.compile(
    r"(?:straat|laan|weg|plein|gracht|kade|singel|steeg|dreef|plantsoen|boulevard|pad|hof|markt|dijk)\b",
    re.IGNORECASE,
)

TUSSEN = r"(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Hh]et|'t|[Ii]n|[Oo]p|[Ee]l|[Aa]l|[Ll]a|[Ll]e|[Dd]u|[Dd]a|[Dd]i|[Bb]en|[Bb]in)"
UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
LOWER = "a-zß-öø-ÿĀ-ž'’"
#: one capitalised name word; a tussenvoegsel followed by a space is never a name word, which
#: keeps the name pattern unambiguous (no catastrophic backtracking on "Van Van Van ...")
NAME_TOKEN = rf"(?!{TUSSEN} )[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)*"
NAME = rf"(?:{TUSSEN} )*{NAME_TOKEN}(?: (?:{TUSSEN} )*{NAME_TOKEN}){{0,3}}"
NAME_CUES = (
    r"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]ijnheer|[Dd]e heer|[Dd]hr\.?|[Mm]w\.?|[Mm]evr\.?|[Cc]ollega|[Zz]oon|[Dd]ochter"
    r"|[Mm]an|[Vv]rouw|[Pp]artner|[Bb]roer|[Zz]us|[Bb]uurman|[Bb]uurvrouw"
    r"|(?:[Ss]choon|[Gg]root|[Ss]tief)?(?:[Mm]oeder|[Vv]ader|[Zz]oon|[Dd]ochter|[Zz]us|[Bb]roer))\b,?"
    r"|\b(?:spreekt|spreek|spreken) (?:u |je |jij )?met"
    r"|(?:^|[.!?,] )[Mm]et"
    r"|\b(?i:mijn|uw|zijn|haar|de) (?:voor|achter)?naam(?: is)?:?\??"
    r"|\b(?:[Ii]k heet|[Ii]k ben|[Hh]ier is|op naam van|account van)"
)
CUED_NAME = re.compile(rf"(?:{NAME_CUES}) ({NAME})")
#: "Lotte hier," – a name introducing oneself at the start of a turn or clause
NAME_HERE = re.compile(rf"(?:^|[.!?,] )({NAME}) hier\b")
#: capitalised words that follow a cue but are no name
NOT_NAMES = {
    "Ja",
    "Nee",
    "Dat",
    "Het",
    "Een",
    "Ik",
    "U",
    "Uw",
    "Wij",
    "We",
    "Dank",
    "Goedemorgen",
    "Goedemiddag",
    "Goedenavond",
    "Hallo",
    "Even",
    "Oké",
    "Ok",
    "Prima",
    "Sorry",
    "Excuses",
    "Nou",
    "Maar",
    "En",
    "Dus",
    "Want",
    "Als",
    "Wat",
    "Hoe",
    "Waar",
    "Wanneer",
    "Welkom",
    "Vriendelijke",
    "Klantenservice",
    "Bel",
    "Register",
}
#: phrases that look like names but are domain terms; candidates overlapping them are dropped
NEVER_PII = re.compile(
    r"Bel[- ]?[Mm]e[- ]?[Nn]iet(?:[- ][Rr]egister)?|Klantenservice Federatie|\bKSF\b|\bAVG\b",
)
#: honorifics and relations deduce keeps in a name span; dropping them keeps "mevrouw [NAAM]"
NAME_PREFIXES = {
    "meneer",
    "mevrouw",
    "mijnheer",
    "mevr",
    "mevr.",
    "mw",
    "mw.",
    "dhr",
    "dhr.",
    "de heer",
    "heer",
    "collega",
    "dr",
    "dr.",
    "drs",
    "drs.",
    "mr",
    "mr.",
    "ir",
    "ir.",
    "ing",
    "ing.",
    "prof",
    "prof.",
    "mej",
    "mej.",
    "juffrouw",
    "zoon",
    "dochter",
    "man",
    "vrouw",
}


#: speech recognition often writes names in lower case; after these cues a lower-case word
#: is taken as a name when deduce's name lists know it
LOWER_NAME_CUE = re.compile(
    r"(?:\b(?:meneer|mevrouw|mijnheer|de heer|mevr\.?|dhr\.?|mw\.?)"
    r"|\b(?:spreekt|spreek|spreken) (?:u |je |jij )?met"
    r"|(?:^|[.!?,] |\b(?:ja|nee|goedemiddag|goedemorgen|goedenavond|hallo|hoi|dag),? )met"
    r"|\bmijn naam is|\bik heet"
    r"|\bcollega|\bhier is)(?: (?:eh|uh|ehm|euh),?)? ",
    re.IGNORECASE,
)
LOWER_TUSSEN = {"van", "de", "der", "den", "ter", "ten", "het", "'t", "in", "op", "el", "al", "la", "le"}
#: frequent words that also occur in the name lists or follow the cues
NOT_LOWER_NAMES = {
    "de",
    "het",
    "een",
    "en",
    "u",
    "ik",
    "je",
    "jij",
    "we",
    "wij",
    "ze",
    "zij",
    "hij",
    "die",
    "dat",
    "dit",
    "is",
    "ben",
    "was",
    "met",
    "van",
    "voor",
    "naar",
    "op",
    "in",
    "aan",
    "om",
    "bij",
    "uit",
    "over",
    "ja",
    "nee",
    "nou",
    "eh",
    "uh",
    "ehm",
    "oké",
    "ok",
    "goed",
    "prima",
    "dank",
    "wel",
    "niet",
    "geen",
    "nog",
    "even",
    "heel",
    "maar",
    "dus",
    "want",
    "als",
    "hoe",
    "wat",
    "waar",
    "wie",
    "welke",
    "mijn",
    "uw",
    "jullie",
    "onze",
    "ons",
    "zijn",
    "haar",
    "hun",
    "klant",
    "klantenservice",
    "afdeling",
    "collega",
    "meneer",
    "mevrouw",
    "morgen",
    "middag",
    "avond",
    "goedemiddag",
    "goedemorgen",
    "hallo",
    "hoi",
    "vriendelijke",
    "groet",
    "graag",
    "zo",
    "nu",
    "hier",
    "daar",
    "er",
    "te",
    "ook",
    "al",
    "toch",
    "fijne",
    "prettige",
    "alstublieft",
    "bedankt",
    "sorry",
    "excuus",
    "klopt",
    "zeker",
    "natuurlijk",
    "precies",
    "inderdaad",
    "hoor",
    "hè",
    "kan",
    "kunt",
    "mag",
    "wil",
    "moet",
    "heeft",
    "had",
}
