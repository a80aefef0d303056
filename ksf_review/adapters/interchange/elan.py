"""ELAN (.eaf): transcript and tags together, for researchers who annotate further in ELAN.

Layout (written with pympi-ling):
- one tier per speaker (linguistic type "transcriptie", PARTICIPANT = the speaker),
  annotation = segment text;
- one tier per checklist item that has tags (linguistic type "toetsterm"), tier id = the
  item code, annotation = polarity plus note ("+ samenvatting");
- the controlled vocabulary "toetstermen" holds the rubric's item codes (description = the
  item text) and is linked to the tag tiers through the "toetsterm" linguistic type.

ELAN forbids overlapping annotations on one tier, so overlapping tags of one item (or
overlapping turns of one speaker) go to extra tiers "1.1b #2", …; tags of several
examiners get one tier per examiner ("1.1b [anna]", examiner also in ANNOTATOR).
"""

from __future__ import annotations

import mimetypes
import os
import tempfile
import warnings
from pathlib import Path

from pympi.Elan import Eaf, to_string

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.rubric import Rubric
from ksf_review.domain.tags import Polarity, TagData
from ksf_review.domain.transcript import MONO, Segment, Transcript

from ._common import InterchangeError, invalid, one_line, round_s, to_ms

KIND = "ELAN-bestand"
TRANSCRIPT_TYPE = "transcriptie"
TAG_TYPE = "toetsterm"
CV_ID = "toetstermen"
LANG_ID = "nld"
LANG_DEF = "http://cdb.iso.org/lg/CDB-00138580-001"  # ISO 639-3 'nld' as ELAN writes it
RUBRIC_PROPERTY = "ksf-rubric"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def tag_value(tag: TagData) -> str:
    """'+ samenvatting' — polarity first so it reads (and sorts) at a glance in ELAN."""
    return f"{Polarity(tag.polarity).value} {one_line(tag.note)}".strip()


def parse_tag_value(value: str) -> tuple[Polarity, str]:
    """'+ samenvatting', '+samenvatting', '-' or 'positief samenvatting' → (polarity, note)."""
    raw = (value or "").strip()
    if raw[:1] in ("+", "-", "−"):
        head, note = raw[:1], raw[1:]
    else:
        head, _, note = raw.partition(" ")
    return Polarity.parse(head), note.strip()


def _media_descriptor(media_path: str | os.PathLike) -> tuple[str, str, str]:
    text = str(media_path)
    if "://" in text:
        url, name = text, text.rsplit("/", 1)[-1]
    else:
        path = Path(text)
        url, name = path.absolute().as_uri(), path.name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    mime = Eaf.MIMES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return url, f"./{name}", mime


def _lanes(spans: list) -> list[list]:
    """Greedy interval partitioning: each lane holds tags (or segments) that do not overlap."""
    lanes: list[list] = []
    for tag in sorted(spans, key=lambda t: (t.start, t.end)):
        for lane in lanes:
            if to_ms(lane[-1].end) <= to_ms(tag.start):
                lane.append(tag)
                break
        else:
            lanes.append([tag])
    return lanes


def _add(eaf: Eaf, tier: str, start: float, end: float, value: str) -> None:
    s = max(0, to_ms(start))
    eaf.add_annotation(tier, s, max(s + 1, to_ms(end)), value)


def build_eaf(
    transcript: Transcript | list[Segment],
    tags: list[TagData] = (),
    rubric: Rubric | None = None,
    media_path: str | os.PathLike | None = None,
    author: str = "ksf-review",
) -> Eaf:
    """The pympi Eaf object (see the module docstring for the layout)."""
    rubric = rubric or default_rubric()
    segments = transcript.segments if isinstance(transcript, Transcript) else list(transcript)
    eaf = Eaf(author=author)
    eaf.remove_tier("default")
    eaf.remove_linguistic_type("default-lt")
    eaf.add_language(LANG_ID, LANG_DEF, "Dutch (nld)")
    eaf.add_property(RUBRIC_PROPERTY, rubric.key)
    if media_path:
        url, rel, mime = _media_descriptor(media_path)
        eaf.add_linked_file(url, relpath=rel, mimetype=mime)

    eaf.add_controlled_vocabulary(CV_ID)
    eaf.add_cv_description(CV_ID, LANG_ID, rubric.label)
    for item in rubric.items:
        eaf.add_cv_entry(CV_ID, f"cveid_{item.code}", [(item.code, LANG_ID, item.text)])
    eaf.add_linguistic_type(TRANSCRIPT_TYPE)
    eaf.add_linguistic_type(
        TAG_TYPE,
        param_dict={
            "LINGUISTIC_TYPE_ID": TAG_TYPE,
            "TIME_ALIGNABLE": "true",
            "GRAPHIC_REFERENCES": "false",
            "CONTROLLED_VOCABULARY_REF": CV_ID,
        },
    )

    by_speaker: dict[str, list[Segment]] = {}
    for seg in segments:
        if one_line(seg.text):
            by_speaker.setdefault(one_line(seg.speaker) or MONO, []).append(seg)
    for speaker, segs in by_speaker.items():
        for i, lane in enumerate(_lanes(segs)):  # overlapping turns of one speaker are rare
            tier = speaker if i == 0 else f"{speaker} #{i + 1}"
            eaf.add_tier(tier, ling=TRANSCRIPT_TYPE, part=speaker, language=LANG_ID)
            for seg in lane:
                _add(eaf, tier, seg.start, seg.end, one_line(seg.text))

    order = {it.code: i for i, it in enumerate(rubric.items)}
    examiners = {t.examiner for t in tags}
    groups: dict[tuple[str, str], list[TagData]] = {}
    for tag in tags:
        groups.setdefault((tag.item, tag.examiner), []).append(tag)
    for item, examiner in sorted(groups, key=lambda k: (order.get(k[0], len(order)), k[0], k[1])):
        base = f"{item} [{examiner or '?'}]" if len(examiners) > 1 else item
        for i, lane in enumerate(_lanes(groups[(item, examiner)])):
            tier = base if i == 0 else f"{base} #{i + 1}"
            if tier in eaf.tiers:
                raise InterchangeError(f"ELAN-export: laag {tier!r} bestaat al (sprekernaam gelijk aan een itemcode?)")
            eaf.add_tier(tier, ling=TAG_TYPE, ann=examiner or None, language=LANG_ID)
            for tag in lane:
                _add(eaf, tier, tag.start, tag.end, tag_value(tag))
    # ELAN numbers new annotations from this property; keep it past the ids we used
    eaf.properties = [(k, v) for k, v in eaf.properties if k != "lastUsedAnnotation"]
    eaf.properties.insert(0, ("lastUsedAnnotation", eaf.maxaid))
    return eaf


def eaf_to_string(eaf: Eaf) -> str:
    return _XML_DECLARATION + to_string(eaf)


def transcript_to_eaf(
    transcript: Transcript | list[Segment],
    tags: list[TagData] = (),
    rubric: Rubric | None = None,
    media_path: str | os.PathLike | None = None,
) -> str:
    """The .eaf document as a string (for downloads)."""
    return eaf_to_string(build_eaf(transcript, tags, rubric, media_path))


def write_eaf(
    path: str | os.PathLike,
    transcript: Transcript | list[Segment],
    tags: list[TagData] = (),
    rubric: Rubric | None = None,
    media_path: str | os.PathLike | None = None,
) -> Path:
    """Write the .eaf file (UTF-8); unlike pympi's to_file it leaves no .bak behind."""
    path = Path(path)
    path.write_text(transcript_to_eaf(transcript, tags, rubric, media_path), encoding="utf-8")
    return path


def _load(source: str | os.PathLike | bytes) -> Eaf:
    tmp = None
    if isinstance(source, bytes) or (isinstance(source, str) and source.lstrip().startswith("<")):
        data = source if isinstance(source, bytes) else source.encode("utf-8")
        fd, tmp = tempfile.mkstemp(suffix=".eaf")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        source = tmp
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Eaf(str(source), suppress_version_warning=True)
    except FileNotFoundError as exc:
        raise InterchangeError(f"ELAN-bestand {source} niet gevonden") from exc
    except Exception as exc:  # pympi raises bare Exception/KeyError for malformed XML
        reason = "de XML kan niet gelezen worden" if "Unable to parse" in str(exc) else f"{type(exc).__name__} {exc}"
        raise invalid(KIND, reason) from exc
    finally:
        if tmp:
            os.unlink(tmp)


def read_eaf(source: str | os.PathLike | bytes) -> tuple[list[Segment], list[TagData]]:
    """Read an .eaf (path, XML text or bytes) back into (segments, tags).

    Tiers whose linguistic type is "toetsterm" or carries a controlled vocabulary are tag
    tiers (item = the tier id up to the first space, examiner = ANNOTATOR); other
    top-level tiers are speaker tiers (speaker = PARTICIPANT, else the tier id).
    """
    eaf = _load(source)
    tag_types = {lt for lt, attrs in eaf.linguistic_types.items() if lt == TAG_TYPE or attrs.get("CONTROLLED_VOCABULARY_REF")}
    segments: list[Segment] = []
    tags: list[TagData] = []
    for tier_id, (aligned, _ref, attrs, _order) in sorted(eaf.tiers.items(), key=lambda kv: kv[1][3]):
        if attrs.get("PARENT_REF") or not aligned:
            continue
        rows = []
        for start_ts, end_ts, value, _svg in aligned.values():
            start, end = eaf.timeslots.get(start_ts), eaf.timeslots.get(end_ts)
            if start is None or end is None:
                continue  # unaligned annotation: no time to anchor it to
            rows.append((round_s(start / 1000), round_s(end / 1000), value or ""))
        rows.sort()
        if attrs.get("LINGUISTIC_TYPE_REF") in tag_types:
            item = tier_id.split(" ", 1)[0]
            examiner = attrs.get("ANNOTATOR") or ""
            for start, end, value in rows:
                try:
                    polarity, note = parse_tag_value(value)
                except ValueError as exc:
                    raise invalid(
                        KIND, f"laag {tier_id!r} heeft bij {start:.3f} s de waarde {value!r}; verwacht '+' of '-' met een notitie"
                    ) from exc
                tags.append(TagData(start=start, end=end, item=item, polarity=polarity, note=note, examiner=examiner))
        else:
            speaker = attrs.get("PARTICIPANT") or tier_id
            segments.extend(
                Segment(start=start, end=end, speaker=speaker, text=one_line(value)) for start, end, value in rows if one_line(value)
            )
    segments.sort(key=lambda s: (s.start, s.speaker))
    tags.sort(key=lambda t: (t.start, t.item))
    return segments, tags
