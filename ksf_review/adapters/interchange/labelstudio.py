"""Label Studio JSON: tags as audio-region annotations, for re-annotation or model training.

One task per conversation: `data.audio` points at the recording, each examiner's tags form
one annotation. A tag becomes a region (result type "labels", value start/end in seconds
plus `labels: [item code]`); its polarity and note travel as per-region "choices" and
"textarea" results sharing the region id, which is how Label Studio attaches attributes
to a region. `label_config()` gives the matching labeling interface.
"""

from __future__ import annotations

import hashlib
import json
from xml.sax.saxutils import quoteattr

from ksf_review.adapters.rubric_files import default_rubric
from ksf_review.domain.rubric import Rubric
from ksf_review.domain.tags import Polarity, TagData
from ksf_review.domain.transcript import Transcript

from ._common import decode_text, invalid, round_s

KIND = "Label Studio-bestand"

AUDIO = "audio"
LABELS = "labels"
POLARITY = "polariteit"
NOTE = "notitie"


def label_config(rubric: Rubric | None = None) -> str:
    """The <View> labeling config whose names match the exported results."""
    rubric = rubric or default_rubric()
    labels = "\n".join(f"    <Label value={quoteattr(it.code)} hint={quoteattr(it.text)}/>" for it in rubric.items)
    return (
        "<View>\n"
        f'  <Labels name="{LABELS}" toName="{AUDIO}">\n{labels}\n  </Labels>\n'
        f'  <Audio name="{AUDIO}" value="$audio"/>\n'
        f'  <Choices name="{POLARITY}" toName="{AUDIO}" perRegion="true" choice="single">\n'
        '    <Choice value="+" hint="positief"/>\n    <Choice value="-" hint="negatief"/>\n  </Choices>\n'
        f'  <TextArea name="{NOTE}" toName="{AUDIO}" perRegion="true" editable="true" rows="2"/>\n'
        "</View>\n"
    )


def _region_id(tag: TagData, n: int) -> str:
    # stable across exports, short like Label Studio's own ids
    key = f"{n}|{tag.item}|{tag.start:.3f}|{tag.end:.3f}|{tag.examiner}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def tag_results(tag: TagData, region_id: str, channel: int = 0) -> list[dict]:
    span = {"start": round_s(tag.start), "end": round_s(tag.end), "channel": channel}
    common = {"id": region_id, "to_name": AUDIO, "origin": "manual"}
    results = [
        {**common, "from_name": LABELS, "type": "labels", "value": {**span, "labels": [tag.item]}},
        {**common, "from_name": POLARITY, "type": "choices", "value": {**span, "choices": [Polarity(tag.polarity).value]}},
    ]
    if tag.note:
        results.append({**common, "from_name": NOTE, "type": "textarea", "value": {**span, "text": [tag.note]}})
    if tag.examiner or tag.speaker:
        meta = [f"examinator: {tag.examiner}"] if tag.examiner else []
        meta += [f"spreker: {tag.speaker}"] if tag.speaker else []
        results[0]["meta"] = {"text": meta}
    return results


def tags_to_labelstudio(
    tags: list[TagData],
    audio: str,
    transcript: Transcript | None = None,
    extra_data: dict | None = None,
) -> list[dict]:
    """A one-task Label Studio import list: data (audio [+ transcript]) and annotations."""
    data: dict = {"audio": audio, **(extra_data or {})}
    if transcript is not None:
        data["transcript"] = "\n".join(f"{s.speaker}: {s.text}" for s in transcript.segments)
    by_examiner: dict[str, list[TagData]] = {}
    for tag in sorted(tags, key=lambda t: (t.start, t.end, t.item)):
        by_examiner.setdefault(tag.examiner, []).append(tag)
    annotations = []
    for examiner, group in by_examiner.items():
        result = [r for n, t in enumerate(group) for r in tag_results(t, _region_id(t, n))]
        annotations.append({"result": result, "ground_truth": False, "was_cancelled": False})
    return [{"data": data, "annotations": annotations}]


def labelstudio_json(tags: list[TagData], audio: str, transcript: Transcript | None = None, extra_data: dict | None = None) -> str:
    return json.dumps(tags_to_labelstudio(tags, audio, transcript, extra_data), ensure_ascii=False, indent=2) + "\n"


def labelstudio_to_tags(tasks: list | dict | str | bytes) -> list[TagData]:
    """Tags back from a Label Studio export (JSON text or parsed): regions with one item label.

    Polarity and note come from the per-region results with the same id; regions without a
    polarity are skipped, since a tag without + or - means nothing in the checklist. The
    examiner is read from the region meta this module writes ("examinator: …").
    """
    if isinstance(tasks, (str, bytes)):
        try:
            tasks = json.loads(decode_text(tasks))
        except json.JSONDecodeError as exc:
            raise invalid(KIND, f"geen geldige JSON (regel {exc.lineno}, kolom {exc.colno})") from exc
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise invalid(KIND, "verwacht een lijst taken")
    out: list[TagData] = []
    for task in tasks:
        if not isinstance(task, dict):
            raise invalid(KIND, "een taak is geen object")
        for ann in list(task.get("annotations") or []) + list(task.get("completions") or []):
            regions: dict[str, dict] = {}
            for r in ann.get("result") or []:
                regions.setdefault(str(r.get("id")), {})[r.get("type")] = r
            for parts in regions.values():
                lab, pol = parts.get("labels"), parts.get("choices")
                if not lab or not pol:
                    continue
                try:
                    value = lab["value"]
                    item = value["labels"][0]
                    polarity = Polarity.parse(pol["value"]["choices"][0])
                    start, end = float(value["start"]), float(value["end"])
                except (KeyError, IndexError, TypeError, ValueError) as exc:
                    raise invalid(KIND, f"regio {lab.get('id')!r} is onvolledig ({exc})") from exc
                note_r = parts.get("textarea")
                note = " ".join(note_r["value"].get("text") or []) if note_r else ""
                meta = (lab.get("meta") or {}).get("text") or []
                examiner = next((m.split(":", 1)[1].strip() for m in meta if m.startswith("examinator:")), "")
                speaker = next((m.split(":", 1)[1].strip() for m in meta if m.startswith("spreker:")), "")
                out.append(TagData(round_s(start), round_s(end), str(item), polarity, note, examiner, speaker))
    return sorted(out, key=lambda t: (t.start, t.item, t.examiner))
