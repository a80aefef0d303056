"""The anonymiser's millions of long-lived objects stay out of the garbage collector's way.

Streamlit runs a full collection after every script run; objects in the collector's
generations are walked every time, so a loaded model that stays there slows every click of
every user. After loading, the model's objects must be frozen (not in any generation).
The real deduce model (seconds to load) is checked in tests/integration/test_anonymiser_gc_deduce.py.
"""

import gc

import pytest

from ksf_review.adapters.anonymisation import text


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(text, "_deduce_instance", None)
    monkeypatch.setattr(text, "_deduce_failed", False)


def test_a_loaded_model_is_not_walked_by_the_collector(fresh, monkeypatch):
    # lists are always tracked by the collector (dicts of plain values are not)
    monkeypatch.setattr(text, "_build_deduce", lambda: [[i, "woord"] for i in range(300_000)], raising=False)
    before = len(gc.get_objects())
    model = text._get_deduce()
    assert len(model) == 300_000
    assert len(gc.get_objects()) - before < 30_000  # the 300,000 lists are frozen, not tracked per collection
    assert gc.get_freeze_count() >= 300_000
    assert gc.isenabled()


def test_a_failed_load_leaves_the_collector_on(fresh, monkeypatch):
    def broken():
        raise OSError("lookup-cache ontbreekt")

    monkeypatch.setattr(text, "_build_deduce", broken, raising=False)
    assert text._get_deduce() is None
    assert gc.isenabled()
