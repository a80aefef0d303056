"""Library zip import: bad input is refused before it costs memory or disk, and leaves nothing behind."""

import json
import zipfile

import pytest

from ksf_review.services import library
from ksf_review.services.context import ServiceError
from ksf_review.services.users import get_or_create_user
from tests.conftest import ffmpeg_convert, have, make_wav
from tests.conftest import library_doc as doc
from tests.conftest import library_zip as make_zip

GOOD = {"item": "1.1b", "label": "goed", "channel": "telefoon", "description": "x", "excerpt": "y", "duration": 1.0, "audio": None}


@pytest.fixture
def coord(ctx):
    return get_or_create_user(ctx, "coord", "coordinator", "Coördinator")


@pytest.fixture(scope="module")
def ogg(tmp_path_factory):
    if not have("ffmpeg"):
        pytest.skip("ffmpeg ontbreekt")
    d = tmp_path_factory.mktemp("ogg")
    return ffmpeg_convert(make_wav(d / "a.wav", seconds=1), d / "a.ogg", "-c:a", "libopus").read_bytes()


def library_files(ctx):
    d = ctx.settings.data_dir / "library"
    return sorted(p.name for p in d.rglob("*")) if d.exists() else []


def refused(ctx, coord, data, match):
    with pytest.raises(ServiceError, match=match) as exc:
        library.import_zip(ctx, coord, data)
    assert "niets geïmporteerd" in str(exc.value)
    assert "Traceback" not in str(exc.value) and str(ctx.settings.data_dir.parent) not in str(exc.value)
    assert library.list_clips(ctx, coord) == []
    assert library_files(ctx) == []
    return str(exc.value)


def test_unpacked_size_is_capped_before_any_entry_is_read(ctx, coord, monkeypatch):
    # a 1 MB entry of zeros packs to ~1 kB; with a cap of 256 kB the zip is refused from its directory alone
    data = make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": bytes(1 << 20)})
    assert len(data) < 10_000
    monkeypatch.setattr(library, "MAX_IMPORT_UNPACKED", 256 * 1024)
    opened = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: opened.append(a) or real_open(self, *a, **k))
    refused(ctx, coord, data, "uitgepakt 1 MB")
    assert opened == []


def test_one_clip_is_capped(ctx, coord, monkeypatch):
    data = make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": bytes(1 << 20)})
    monkeypatch.setattr(library, "MAX_IMPORT_CLIP", 256 * 1024)
    refused(ctx, coord, data, "groter dan 0 MB")


def test_number_of_entries_is_capped(ctx, coord, monkeypatch):
    monkeypatch.setattr(library, "MAX_IMPORT_ENTRIES", 5)
    data = make_zip(doc(GOOD), {f"audio/x{i}.ogg": b"x" for i in range(6)})
    refused(ctx, coord, data, "7 bestanden; er mogen er hoogstens 5")


def test_entries_are_read_as_streams(ctx, coord, ogg, monkeypatch):
    """No whole-entry reads: ZipFile.read (and testzip, which unpacks everything) are not used."""

    def boom(*a, **k):
        raise AssertionError("hele entry in het geheugen gelezen")

    monkeypatch.setattr(zipfile.ZipFile, "read", boom)
    monkeypatch.setattr(zipfile.ZipFile, "testzip", boom)
    data = make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": ogg})
    assert library.import_zip(ctx, coord, data).examples == 1
    [clip] = library.list_clips(ctx, coord)
    assert clip.audio_path.read_bytes() == ogg
    assert library_files(ctx) == [clip.audio_path.name]


@pytest.mark.parametrize(
    "manifest, match",
    [
        ("[1, 2, 3]", "geen ksf-review-bibliotheek"),
        ('"tekst"', "geen ksf-review-bibliotheek"),
        ('{"format": "ksf-review-library", "examples": {"a": 1}}', "geen ksf-review-bibliotheek"),
        ("{niet: json", "geen geldige JSON"),
        (b"\xff\xfe\x00", "geen geldige JSON"),
        ("[" * 100_000 + "]" * 100_000, "geen geldige JSON|geen ksf-review"),
        (json.dumps(doc([1, 2])), "geen object"),
        (json.dumps(doc(dict(GOOD, item=["1.1b"]))), "onbekende toetsterm"),
        (json.dumps(doc(dict(GOOD, label="prima"))), "onbekende toetsterm of label"),
        (json.dumps(doc(dict(GOOD, channel="fax"))), "onbekend kanaal"),
        (json.dumps(doc(dict(GOOD, description={"a": 1}))), "'description' moet tekst zijn"),
        (json.dumps(doc(dict(GOOD, excerpt="x" * 30_000))), "'excerpt' moet tekst zijn"),
        (json.dumps(doc(dict(GOOD, duration="lang"))), "ongeldige duur"),
        (json.dumps(doc(dict(GOOD, duration=-1))), "ongeldige duur"),
        (json.dumps(doc(dict(GOOD, duration=True))), "ongeldige duur"),
        ('{"format": "ksf-review-library", "examples": [{"item": "1.1b", "label": "goed", "duration": NaN}]}', "ongeldige duur"),
        (json.dumps(doc(dict(GOOD, duration=1e9))), "ongeldige duur"),
        (json.dumps(doc(dict(GOOD, audio=["audio/x.ogg"]))), "ontbreekt in de zip"),
        (json.dumps(doc(dict(GOOD, audio="../manifest.json"))), "ontbreekt in de zip"),
    ],
)
def test_manifest_of_the_wrong_shape_is_refused_in_dutch(ctx, coord, manifest, match):
    refused(ctx, coord, make_zip(manifest), match)


def test_bad_second_example_leaves_no_clip_of_the_first_on_disk(ctx, coord, ogg):
    data = make_zip(
        doc(dict(GOOD, audio="audio/clip-1.ogg"), dict(GOOD, audio="audio/clip-2.ogg", duration="lang")),
        {"audio/clip-1.ogg": ogg, "audio/clip-2.ogg": ogg},
    )
    refused(ctx, coord, data, "Voorbeeld 2 .*ongeldige duur")


def test_failure_while_storing_removes_the_moved_clips(ctx, coord, ogg, monkeypatch):
    from ksf_review.services import audit

    def fail(*a, **k):
        raise RuntimeError("database weg")

    monkeypatch.setattr(audit, "record", fail)
    data = make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": ogg})
    with pytest.raises(Exception):
        library.import_zip(ctx, coord, data)
    monkeypatch.undo()
    assert library.list_clips(ctx, coord) == [] and library_files(ctx) == []


def test_damaged_entry_is_refused(ctx, coord, ogg):
    data = bytearray(make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": ogg}, compression=zipfile.ZIP_STORED))
    pos = data.find(ogg[200:240])
    data[pos : pos + 40] = bytes(40)  # same size, wrong CRC
    refused(ctx, coord, bytes(data), "beschadigd")


def test_audio_that_is_no_audio_is_refused(ctx, coord):
    data = make_zip(doc(dict(GOOD, audio="audio/clip-1.ogg")), {"audio/clip-1.ogg": b"geen audio" * 100})
    refused(ctx, coord, data, "Voorbeeld 1")


def test_an_imported_excerpt_is_anonymised_again_before_it_is_stored(ctx, coord, ogg):
    """A zip made by hand (or by an older version) with personal data in its texts: none of it lands
    in the library; the example's audio is left out (it cannot be bleeped without word times)."""
    leaky = dict(
        GOOD,
        excerpt="klant: Mijn naam is Jan de Vries, postcode 1234 AB, bel 06-12345678.\nmedewerker: Dank u, meneer De Vries.",
        description="Goede samenvatting bij Jan de Vries",
        audio="audio/clip-1.ogg",
    )
    clean = dict(GOOD, excerpt="klant: Mijn naam is [NAAM], postcode [POSTCODE].", audio="audio/clip-2.ogg")
    report = library.import_zip(ctx, coord, make_zip(doc(leaky, clean), {"audio/clip-1.ogg": ogg, "audio/clip-2.ogg": ogg}))
    assert report.examples == 2 and report.spans_removed >= 4 and report.audio_dropped == 1
    assert "persoonsgegeven" in report.message() and "audio niet overgenomen" in report.message()
    first, second = sorted(library.list_clips(ctx, coord), key=lambda c: c.id)
    for stored in (first.excerpt, first.description):
        assert not any(pii in stored for pii in ("Jan", "Vries", "1234", "06-1234"))
    assert "[NAAM]" in first.excerpt and "[POSTCODE]" in first.excerpt and "[TELEFOON]" in first.excerpt
    assert first.excerpt.startswith("klant: Mijn naam is [NAAM]") and "\nmedewerker: Dank u" in first.excerpt
    assert first.audio_path is None  # its text held personal data, so its recording most likely does too
    assert second.excerpt == clean["excerpt"]  # already anonymised: unchanged, placeholders not detected again
    assert second.audio_path is not None and second.audio_path.read_bytes() == ogg
    assert library_files(ctx) == [second.audio_path.name]
