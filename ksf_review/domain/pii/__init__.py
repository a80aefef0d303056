"""Personal data in Dutch customer-service text: labels, spans, the regex rules, resolution.

Pure Python: the rules see text (and, when given, lists of names) and return spans. The
de-identifier ``deduce`` that adds names and streets from its lookup lists is wrapped in
``adapters/anonymisation/text.py``, which combines its findings with these rules.
"""

from .names import NameLists
from .numbers import bsn_is_valid, iban_is_valid, spoken_digits
from .resolve import resolve
from .rules import Candidate, rule_candidates
from .spans import (
    ADRES,
    BSN,
    DATUM,
    EMAIL,
    GEBOORTEDATUM,
    IBAN,
    KLANTNUMMER,
    LABEL_DESCRIPTIONS,
    LABELS,
    NAAM,
    POSTCODE,
    TELEFOON,
    PiiSpan,
    apply_redaction,
    edit_spans,
    merge_spans,
)

__all__ = [
    "ADRES",
    "BSN",
    "DATUM",
    "EMAIL",
    "GEBOORTEDATUM",
    "IBAN",
    "KLANTNUMMER",
    "LABELS",
    "LABEL_DESCRIPTIONS",
    "NAAM",
    "POSTCODE",
    "TELEFOON",
    "Candidate",
    "NameLists",
    "PiiSpan",
    "apply_redaction",
    "bsn_is_valid",
    "edit_spans",
    "iban_is_valid",
    "merge_spans",
    "resolve",
    "rule_candidates",
    "spoken_digits",
]
