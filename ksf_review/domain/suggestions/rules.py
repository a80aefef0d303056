"""Reading and checking the suggestion rule file.

``parse_rules`` turns the rule file's JSON into a RuleSet with every cue set compiled and
every parameter checked, so a broken file is reported in Dutch when it is loaded, not when a
rule first runs. ``load_rules`` is the only function here that reads a file.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .. import cue_matching
from ..tags import Polarity
from ..transcript import AGENT, CUSTOMER
from .cues import CueLibrary, build_cueset, compile_cue
from .errors import SuggestionRuleError
from .tokens import Aliases, fold, raw_tokens

RULE_KINDS = ("phrase", "question", "short_turn", "absent", "before", "absent_after", "response_after")
SUPPORTED_VERSION = 1
_SPEAKERS = {"m": AGENT, AGENT: AGENT, "k": CUSTOMER, CUSTOMER: CUSTOMER, "*": "*", "any": "*"}


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
    aliases: Aliases = field(default_factory=Aliases, repr=False)
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


def parse_speaker(raw: Any, where: str) -> str:
    key = str(raw if raw is not None else "*").strip().lower()
    if key not in _SPEAKERS:
        raise SuggestionRuleError(f"{where}: onbekende spreker {raw!r} (gebruik M, K, medewerker, klant of *)")
    return _SPEAKERS[key]


_REQUIRED_PARAMS = {
    "phrase": ("match",),
    "question": ("starters",),
    "short_turn": ("signals",),
    "absent": ("match",),
    "before": ("event", "prerequisite"),
    "absent_after": ("trigger", "response"),
    "response_after": ("trigger", "response"),
}


_EVIDENCE_CUESETS = ("match", "event", "response")  # the cue sets a suggestion rests on
_CUESET_PARAMS = ("match", "event", "prerequisite", "trigger", "response", "exclude")
_COUNT_PARAMS = ("window", "max_words", "first_turns", "last_turns", "min_words", "max_hits", "min_turns", "turns")


def _compile_rule(raw: Mapping[str, Any], named: Mapping[str, Any], aliases: Aliases, max_gap: int) -> Rule:
    """One rule of the file, checked and with its cue sets compiled (checks in the file's order)."""
    rid, where, kind, polarity, speaker, params, reason = _check_header(raw)
    c = _compile_cuesets(params, named, aliases, int(params.get("max_gap", max_gap)), where)
    c.update(_compile_kind(kind, params, aliases, where))
    similarity = _similarity(params, where)
    if "min_similarity" in params:  # e.g. looser in a closing, where the position already says much
        for key in _EVIDENCE_CUESETS:  # not the trigger, prerequisite or exclusions
            if key in c:
                c[key] = dataclasses.replace(c[key], min_similarity=similarity)
    _check_params(kind, params, where)
    return Rule(rid, str(raw["item"]).strip(), polarity, speaker, kind, reason, params, c)


def _check_header(raw: Mapping[str, Any]) -> tuple[str, str, str, str, str, dict, str]:
    """Id, required fields, kind, polarity, speaker, required parameters and reason template."""
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
    speaker = parse_speaker(raw.get("speaker", "*"), where)
    params = dict(raw.get("params") or {})
    missing = [p for p in _REQUIRED_PARAMS[kind] if p not in params]
    if missing:
        raise SuggestionRuleError(f"{where}: parameter(s) ontbreken voor soort {kind}: {', '.join(missing)}")
    reason = str(raw["reason"])
    try:
        reason.format_map(SafeDict())
    except (ValueError, IndexError) as exc:
        raise SuggestionRuleError(f"{where}: ongeldige reden-sjabloon {reason!r}: {exc}") from exc
    return rid, where, kind, polarity, speaker, params, reason


def _compile_cuesets(params: Mapping[str, Any], named: Mapping[str, Any], aliases: Aliases, gap: int, where: str) -> dict[str, Any]:
    """The rule's cue-set parameters compiled; only ``exclude`` may be empty."""
    c: dict[str, Any] = {}
    for key in _CUESET_PARAMS:
        spec = params.get(key)
        if spec is None:
            continue
        if key == "exclude" and isinstance(spec, list) and all(isinstance(e, str) for e in spec):
            spec = {"cues": [e for e in spec if not e.startswith("@")], "include": [e[1:] for e in spec if e.startswith("@")]}
        c[key] = build_cueset(spec, named, aliases, gap, f"{where}, parameter {key}")
        if c[key].is_empty() and key != "exclude":
            raise SuggestionRuleError(f"{where}: parameter {key} bevat geen enkele cue")
    return c


def _compile_kind(kind: str, params: Mapping[str, Any], aliases: Aliases, where: str) -> dict[str, Any]:
    """What only a question rule (starters) or a short-turn rule (listening signals) needs."""
    c: dict[str, Any] = {}
    if kind == "question":
        # a starter may be several words ("sinds wanneer", "met wie")
        c["starters"] = tuple(sorted({tuple(t[0] for t in raw_tokens(s)) for s in params["starters"]} - {()}, key=len, reverse=True))
        c["skip_leading"] = frozenset(fold(s) for s in params.get("skip_leading", ()))
        # on recognised speech a starter is also found by sound ("milt u" for "wilt u")
        c["starter_sounds"] = {tuple(cue_matching.sound(w) for w in st): st for st in reversed(c["starters"])}
        c["heard_not_before"] = frozenset(fold(s) for s in params.get("heard_not_before", ()))
        c["statement_after"] = frozenset(fold(s) for s in params.get("statement_after", ()))
        if not c["starters"]:
            raise SuggestionRuleError(f"{where}: 'starters' is leeg")
    if kind == "short_turn":
        c["signals"] = tuple(compile_cue(s, aliases) for s in params["signals"])
        if any(k == "gap" for cue in c["signals"] for k, _ in cue.parts):
            raise SuggestionRuleError(f"{where}: luistersignalen mogen geen '*' bevatten")
    return c


def _similarity(params: Mapping[str, Any], where: str) -> float:
    try:
        similarity = float(params.get("min_similarity", 0.5))
    except (TypeError, ValueError):
        similarity = -1.0
    if not 0.5 <= similarity <= 1:
        raise SuggestionRuleError(f"{where}: min_similarity moet een getal tussen 0,5 en 1 zijn")
    return similarity


def _positive_int(value: Any) -> bool:
    try:
        return int(value) >= 1
    except (TypeError, ValueError):
        return False


def _check_params(kind: str, params: Mapping[str, Any], where: str) -> None:
    """Counts, speakers and the choice parameters (anchor, scope, extent)."""
    for key in _COUNT_PARAMS:
        if key in params and not _positive_int(params[key]):
            raise SuggestionRuleError(f"{where}: parameter {key} moet een positief geheel getal zijn")
    if kind in ("absent_after", "response_after", "before"):
        for key in ("trigger_speaker", "prerequisite_speaker"):
            if key in params:
                parse_speaker(params[key], where)
    anchors = ("first", "last") if kind == "absent" else ("next_turn", "trigger", "window")
    if params.get("anchor", anchors[0]) not in anchors:
        raise SuggestionRuleError(f"{where}: anchor moet {' of '.join(anchors)} zijn")
    if params.get("scope", "all") not in ("all", "first", "last"):
        raise SuggestionRuleError(f"{where}: scope moet all, first of last zijn")
    if params.get("extent", "match") not in ("match", "sentence", "segment"):
        raise SuggestionRuleError(f"{where}: extent moet match, sentence of segment zijn")


def parse_rules(data: Mapping[str, Any]) -> RuleSet:
    """Build a RuleSet from the rule file's JSON structure (structure checks only)."""
    if not isinstance(data, Mapping):
        raise SuggestionRuleError("Regelbestand moet een JSON-object zijn")
    version = data.get("version")
    if version != SUPPORTED_VERSION:
        raise SuggestionRuleError(f"Regelbestand heeft versie {version!r}; deze versie van het programma leest versie {SUPPORTED_VERSION}")
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise SuggestionRuleError("Regelbestand bevat geen regels ('rules' ontbreekt of is leeg)")
    aliases = Aliases.build(data.get("aliases") or {})
    named = CueLibrary(data.get("cue_sets") or {})
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
        build_cueset(name, named, aliases, max_gap, f"cue-set {name}")
    return RuleSet(int(version), tuple(rules), aliases, str(data.get("description", "")), float(data.get("min_confidence", 0.0)))


def validate_rules(rules: RuleSet, rubric) -> None:
    """Check that every rule targets an item of the given rubric (raises SuggestionRuleError)."""
    unknown = sorted({r.item for r in rules.rules if not rubric.has_item(r.item)})
    if unknown:
        ids = ", ".join(r.id for r in rules.rules if r.item in unknown)
        raise SuggestionRuleError(
            f"Suggestieregels verwijzen naar onbekende itemcode(s) {', '.join(unknown)} (niet in checklist {rubric.key}); regels: {ids}"
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


class SafeDict(dict):
    def __missing__(self, key):
        return ""
