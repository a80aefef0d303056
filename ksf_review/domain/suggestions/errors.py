"""The one error of the suggestion engine: a rule file that cannot be used."""


class SuggestionRuleError(ValueError):
    """A suggestion rule file that cannot be used (message in Dutch)."""
