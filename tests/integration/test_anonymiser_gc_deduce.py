"""The real deduce model is frozen after loading (see tests/unit/test_anonymiser_gc.py); loading it
takes seconds, so this is in the slow tier."""

import gc

import pytest

from ksf_review.adapters.anonymisation import text


@pytest.mark.slow
@pytest.mark.skipif(not text.deduce_available(), reason="deduce niet geïnstalleerd")
def test_real_deduce_is_frozen_after_loading():
    assert text.warm_up()
    # deduce alone keeps ~4.5 million objects; none of them may be left in the generations
    assert len(gc.get_objects()) < 1_000_000
    assert gc.get_freeze_count() > 1_000_000
