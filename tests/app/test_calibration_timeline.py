"""The calibration timeline of a chat or e-mail counts turns as the transcript does: turn 1, 2, …
(whole numbers, from 1), and a markering over turns 1–2 covers exactly the ticks 1 and 2. It
showed 0-based positions in tenths ("beurt 0,3")."""

from ksf_review.domain.tags import Polarity, TagData
from ksf_review.ui.calibration import timeline_chart


def _layers(chart) -> tuple[dict, list[dict]]:
    spec = chart.to_dict()
    data = next(iter(spec["datasets"].values()))
    return spec["layer"][0]["encoding"], data


def test_a_chat_timeline_counts_whole_turns_from_one():
    chart = timeline_chart([TagData(0.0, 2.0, "1.3a", Polarity.POSITIVE, examiner="Anna")], audio=False)
    enc, rows = _layers(chart)
    x = enc["x"]
    assert x["title"] == "beurt"
    assert x["axis"]["tickMinStep"] == 1 and x["axis"]["format"] == "d"
    lo, hi = rows[0][x["field"]], rows[0][enc["x2"]["field"]]
    assert lo < 1 < 2 < hi and hi - lo == 2  # around the ticks 1 and 2, nothing of 0 or 3
    assert lo > 0 and hi < 3


def test_a_call_timeline_stays_in_seconds():
    chart = timeline_chart([TagData(5.5, 8.0, "1.1b", Polarity.POSITIVE, examiner="Anna")], audio=True)
    enc, rows = _layers(chart)
    assert enc["x"]["title"] == "tijd (s)"
    assert (rows[0][enc["x"]["field"]], rows[0][enc["x2"]["field"]]) == (5.5, 8.0)
