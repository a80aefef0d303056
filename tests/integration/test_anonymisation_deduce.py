"""The deduce backend on the whole gold set (minutes: deduce loads its lookup lists and runs
on every sentence), so it sits in the slow tier, not among the unit tests."""

from pathlib import Path

import pytest

from ksf_review.adapters.anonymisation.evaluation import evaluate, load_gold
from ksf_review.adapters.anonymisation.text import deduce_available, detect_pii

GOLD = Path(__file__).resolve().parents[1] / "data" / "pii_sentences.json"


@pytest.mark.slow
@pytest.mark.skipif(not deduce_available(), reason="deduce niet geïnstalleerd")
def test_deduce_precision_recall():
    report = evaluate(load_gold(GOLD), lambda t: detect_pii(t, backend="deduce"))
    print("\ndeduce + rules backend, all sentences\n" + report.table())
    # measured: label-matched P 1.00 / R 0.99, characters P 0.99 / R 0.99
    assert report.overall.recall >= 0.97
    assert report.overall.precision >= 0.97
    assert report.char_recall >= 0.97
    assert report.char_precision >= 0.97
