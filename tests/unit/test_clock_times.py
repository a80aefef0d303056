"""Tag times as m:ss.s (#19.5): format and parse are each other's inverse; bad input says why in Dutch."""

import pytest

from ksf_review.domain.tags import format_clock, parse_clock


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0:00.0"),
        (5.55, "0:05.6"),
        (62.5, "1:02.5"),
        (599.94, "9:59.9"),
        (599.96, "10:00.0"),
        (3723.4, "1:02:03.4"),
        (-1, "0:00.0"),
    ],
)
def test_format(seconds, text):
    assert format_clock(seconds) == text


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("1:02.5", 62.5),
        ("1:02,5", 62.5),
        (" 0:05 ", 5.0),
        ("12.3", 12.3),
        ("75", 75.0),
        ("1:02:03.4", 3723.4),
        ("10:00.0", 600.0),
    ],
)
def test_parse(text, seconds):
    assert parse_clock(text) == pytest.approx(seconds)


@pytest.mark.parametrize("seconds", [0.0, 0.1, 59.9, 60.0, 61.3, 754.2, 3599.9, 3600.0, 7384.7])
def test_round_trip(seconds):
    assert parse_clock(format_clock(seconds)) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "geen tijd"),
        ("abc", "geen tijd"),
        ("1:xx", "geen tijd"),
        ("-3", "geen tijd"),
        ("1:-2", "geen tijd"),
        ("1:2:3:4", "geen tijd"),
        ("1:75", "seconden"),
        ("1:61:00", "minuten"),
        ("nan", "geen tijd"),
        ("inf", "geen tijd"),
    ],
)
def test_bad_input_says_why(text, says):
    with pytest.raises(ValueError, match=says):
        parse_clock(text)
