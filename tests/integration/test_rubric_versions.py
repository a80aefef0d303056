"""An exam keeps the rubric version it started with; a new version does not change it."""

import json
from importlib import resources

from ksf_review.adapters.rubric_files import RubricFiles
from ksf_review.services import conversations as convs
from ksf_review.services import exams, reports, scoring
from tests.conftest import ALL_ITEMS


def test_finalised_exam_keeps_its_rubric(ctx, user, tmp_path):
    ctx.rubrics = RubricFiles(tmp_path)  # KSF_RUBRIC_DIR: read at start, its files whenever they change
    old = exams.create_exam(ctx, user, "Oud")
    for i in range(3):
        convs.add_text_conversation(ctx, user, old.id, f"K: {i}\nM: ok", channel="chat")
    for code in ALL_ITEMS:
        scoring.set_item_score(ctx, user, old.id, code, "behaald")
    scoring.finalise_exam(ctx, user, old.id)
    before = reports.build_exam_report(ctx, user, old.id)

    # the organisation loads version 2: item 1.1a now weighs 1 point, 1.1c weighs 2
    raw = json.loads((resources.files("ksf_review") / "data/rubrics/ksf-default-v1.json").read_text())
    raw["version"], raw["label"] = "2", "KSF checklist versie 2"
    for it in raw["items"]:
        if it["code"] == "1.1a":
            it["points"] = 1
        if it["code"] == "1.1c":
            it["points"] = 2
    (tmp_path / "v2.json").write_text(json.dumps(raw))  # while the app runs

    new = exams.create_exam(ctx, user, "Nieuw")
    assert (new.rubric_id, new.rubric_version) == ("ksf-default", "2")
    assert scoring.exam_rubric(ctx, new.id).item("1.1a").points == 1
    kept = exams.get_exam(ctx, user, old.id)
    assert kept.rubric_version == "1" and kept.verdict_total == 23
    after = reports.build_exam_report(ctx, user, old.id)
    assert after.rubric_key == "ksf-default@1"
    assert [(i.code, i.points) for i in after.items] == [(i.code, i.points) for i in before.items]
