"""A worker process for the queue tests: `python -m ksf_review worker --loop` with a slow fake engine.

Run as `python -m tests.integration.queue_worker SECONDS`; settings come from the KSF_
environment like the real command's.
"""

import sys

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.config import load_settings
from ksf_review.services.context import build_context
from ksf_review.services.worker import run_foreground
from tests.conftest import fake_segments

if __name__ == "__main__":
    engine = FakeEngine(segments=fake_segments(), seconds=float(sys.argv[1]))
    run_foreground(build_context(load_settings(), engine_factory=lambda: engine), loop=True)
