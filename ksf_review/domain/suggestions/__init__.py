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

The package follows the engine's steps: ``tokens`` (tokenising), ``cues`` (compiling and
finding cues), ``rules`` (reading and checking the rule file), ``engine`` (running the rules).
"""

from .cues import NO_QUESTION_MARK, CueSet, match_sentence
from .engine import Suggestion, deduplicate, suggest
from .errors import SuggestionRuleError
from .rules import (
    RULE_KINDS,
    SUPPORTED_VERSION,
    Rule,
    RuleSet,
    bundled_rules,
    load_rules,
    parse_rules,
    validate_rules,
)
from .tokens import fold

__all__ = [
    "NO_QUESTION_MARK",
    "RULE_KINDS",
    "SUPPORTED_VERSION",
    "CueSet",
    "Rule",
    "RuleSet",
    "Suggestion",
    "SuggestionRuleError",
    "bundled_rules",
    "deduplicate",
    "fold",
    "load_rules",
    "match_sentence",
    "parse_rules",
    "suggest",
    "validate_rules",
]
