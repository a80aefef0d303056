"""A hostile corpus: every file is refused cleanly, nothing is stored, the app keeps going."""

import dataclasses
import os
import struct

import pytest
from sqlalchemy import func, select

from ksf_review.adapters.storage.models import AudioAsset, Conversation, TextTurn
from ksf_review.services import conversations as convs
from ksf_review.services import exams
from ksf_review.services.context import ServiceError
from tests.conftest import make_wav

pytestmark = pytest.mark.slow


def wav_claiming_hours(tmp_path):
    data = make_wav(tmp_path / "x.wav", seconds=1.0).read_bytes()
    # RIFF and data chunk sizes patched to ~4 GB: the header claims more than 18 hours of stereo
    data = data[:4] + struct.pack("<I", 0xFFFFFFF0) + data[8:40] + struct.pack("<I", 0xFFFFFF00) + data[44:]
    return data


CORPUS = {
    "leeg.wav": lambda p: b"",
    "ruis.mp3": lambda p: os.urandom(4096),
    "ruis.wav": lambda p: b"RIFF" + os.urandom(2000),
    "afgekapt.wav": lambda p: make_wav(p / "t.wav", seconds=2).read_bytes()[:60],
    "afgekapt.ogg": lambda p: b"OggS\x00\x02" + os.urandom(100),
    "uren.wav": wav_claiming_hours,
    "script.m4a": lambda p: b"#!/bin/sh\nrm -rf /\n" * 20,
    "../../../etc/passwd.wav": lambda p: b"root:x:0:0:root:/root:/bin/bash\n" * 10,
}


def counts(ctx):
    with ctx.db.unit_of_work() as s:
        return (
            s.scalar(select(func.count(Conversation.id))),
            s.scalar(select(func.count(AudioAsset.id))),
            s.scalar(select(func.count(TextTurn.id))),
        )


@pytest.mark.parametrize("name", list(CORPUS))
def test_hostile_audio_refused_nothing_stored(ctx, user, tmp_path, name):
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError) as err:
        convs.add_audio_conversation(ctx, user, exam.id, name, CORPUS[name](tmp_path))
    msg = str(err.value)
    assert "Traceback" not in msg and len(msg) < 400
    assert counts(ctx) == (0, 0, 0)
    assert not [p for p in ctx.audio.root.rglob("*") if p.is_file()]
    assert not [p for p in (ctx.settings.data_dir / "tmp").glob("*")]  # temp upload removed
    assert not (tmp_path.parent / "etc").exists()


def test_path_traversal_name_never_becomes_a_path(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "../../buiten/opname.wav", make_wav(tmp_path / "a.wav").read_bytes())
    stored = convs.get_conversation(ctx, user, c.id).audio_path
    assert stored.resolve().is_relative_to(ctx.audio.root.resolve())
    assert ".." not in stored.name and "buiten" not in str(stored)
    assert c.title == "opname"


def test_decoding_has_a_time_limit(ctx, user, tmp_path):
    ctx.settings = dataclasses.replace(ctx.settings, decode_timeout=0.001)
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match="niet binnen"):
        convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav").read_bytes())
    assert counts(ctx) == (0, 0, 0)


def test_too_long_recording_refused(ctx, user, tmp_path):
    ctx.settings = dataclasses.replace(ctx.settings, max_duration_hours=1 / 3600)  # one second
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError, match="maximum"):
        convs.add_audio_conversation(ctx, user, exam.id, "a.wav", make_wav(tmp_path / "a.wav", seconds=3).read_bytes())


def test_more_than_two_channels_mixed_down_with_warning(ctx, user, tmp_path):
    exam = exams.create_exam(ctx, user, "K")
    c = convs.add_audio_conversation(ctx, user, exam.id, "vier.wav", make_wav(tmp_path / "4.wav", channels=4).read_bytes())
    assert any("4 kanalen" in w for w in c.warnings)
    from ksf_review.adapters.audio import decode_pcm16

    assert decode_pcm16(c.audio_path).shape[0] == 1


@pytest.mark.parametrize("payload", [b"\xff\xfe\x00K: hallo", "K: a\x00b".encode("utf-16"), b"\x80\x81\x82"])
def test_non_utf8_chat_refused(ctx, user, payload):
    exam = exams.create_exam(ctx, user, "K")
    with pytest.raises(ServiceError):
        convs.add_text_conversation(ctx, user, exam.id, payload, channel="chat")
    assert counts(ctx) == (0, 0, 0)
