"""A worker child for the test of #14.10: the real `worker --loop` path with a fake engine that
writes the id of the process it transcribes in to the file given as argument."""

import os
import sys

from ksf_review.adapters.transcription import FakeEngine
from ksf_review.config import load_settings
from ksf_review.services.context import build_context
from ksf_review.services.worker import run_foreground
from tests.conftest import fake_segments


class PidEngine(FakeEngine):
    def transcribe(self, path, agent_channel="left", progress=None):
        with open(sys.argv[1], "a") as f:
            f.write(f"{os.getpid()}\n")
        return super().transcribe(path, agent_channel=agent_channel, progress=progress)


if __name__ == "__main__":
    engine = PidEngine(segments=fake_segments())
    run_foreground(build_context(load_settings(), engine_factory=lambda: engine), loop=True)
