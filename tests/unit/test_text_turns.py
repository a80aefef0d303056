"""Text conversations: lines that are not clearly a turn are reported, long chats are paged."""

from ksf_review.domain.turns import inspect_turns, parse_turns, turn_pages


def test_unknown_prefix_is_reported_with_its_line_number_and_kept():
    text = "K: Ik ben verhuisd.\n\nJan: Ik ben de partner van meneer.\nM: Dan heb ik uw klantnummer nodig.\n"
    turns, warnings = inspect_turns(text)
    assert [(w.line, w.text) for w in warnings] == [(3, "Jan: Ik ben de partner van meneer.")]
    assert "Jan:" in warnings[0].message
    assert turns[0].text == "Ik ben verhuisd.\nJan: Ik ben de partner van meneer."  # nothing lost
    assert parse_turns(text) == turns


def test_lines_before_the_first_turn_are_reported():
    turns, warnings = inspect_turns("Onderwerp: inzage\nK: Welke gegevens hebben jullie?")
    assert [w.line for w in warnings] == [1] and len(turns) == 1


def test_continuation_lines_and_known_prefixes_are_not_warnings():
    text = (
        "[10:02] K: Beste,\nik wil inzage in mijn gegevens.\nhttps://example.nl/inzage\n"
        "Medewerker: Beste klant,\nklant: dank u\n10:05 Agent: graag gedaan"
    )
    turns, warnings = inspect_turns(text)
    assert warnings == [] and len(turns) == 4


def test_turn_pages_bound_turns_and_characters():
    assert turn_pages([10] * 250, max_turns=100, max_chars=10_000) == [(0, 100), (100, 200), (200, 250)]
    assert turn_pages([600] * 5, max_turns=100, max_chars=1000) == [(0, 1), (1, 2), (2, 3), (3, 4), (4, 5)]
    assert turn_pages([5000, 1, 1], max_turns=100, max_chars=1000) == [(0, 1), (1, 3)]
    assert turn_pages([]) == []
