import copy
import json
from importlib import resources

import pytest

from ksf_review.adapters.rubric_files import RubricFiles, default_rubric, load_rubric_file
from ksf_review.config import load_settings
from ksf_review.domain.rubric import RubricError, parse_rubric


def _raw():
    return json.loads((resources.files("ksf_review") / "data/rubrics/ksf-default-v1.json").read_text())


def test_default_rubric_matches_domain_checklist():
    r = default_rubric()
    assert r.key == "ksf-default@1"
    assert r.is_default and "standaard" in r.label
    assert len(r.items) == 18
    assert [sum(i.points for i in r.items_of(e)) for e in ("1", "2", "3")] == [20, 1, 2]
    assert r.max_points == 23
    assert [(e.code, e.minimum, e.critical) for e in r.eindtermen] == [("1", 17, False), ("2", 1, True), ("3", 2, True)]
    assert r.item("1.1b").points == 2 and r.item("3.2").situational


def test_points_not_adding_up_is_refused():
    raw = _raw()
    raw["items"][0]["points"] = 3
    with pytest.raises(RubricError, match="Eindterm 1: de toetstermen tellen op tot 21"):
        parse_rubric(raw)


@pytest.mark.parametrize(
    "mutate,message",
    [
        (lambda r: r["items"].append(copy.deepcopy(r["items"][0])), "dubbele itemcodes"),
        (lambda r: r["items"][0].update(eindterm="9"), "onbekende eindterm"),
        (lambda r: r["items"][0].update(points=0), "positief"),
        (lambda r: r["eindtermen"][0].update(minimum=21), "minimum"),
        (lambda r: r.pop("items"), "onvolledig"),
    ],
)
def test_invalid_rubrics(mutate, message):
    raw = _raw()
    mutate(raw)
    with pytest.raises(RubricError, match=message):
        parse_rubric(raw)


def test_load_replacement_rubric_from_file(tmp_path):
    raw = _raw()
    raw["id"], raw["version"] = "org-officieel", "2026"
    p = tmp_path / "r.json"
    p.write_text(json.dumps(raw))
    r = load_rubric_file(p)
    assert r.key == "org-officieel@2026"
    with pytest.raises(RubricError, match="kan niet gelezen"):
        load_rubric_file(tmp_path / "missing.json")


def test_unknown_rubric():
    with pytest.raises(RubricError):
        RubricFiles().get("bestaat-niet")
    with pytest.raises(RubricError):
        RubricFiles().get("ksf-default", "99")


def test_new_rubric_version_in_site_dir_is_picked_up(tmp_path, monkeypatch):
    raw = _raw()
    raw["version"] = "2"
    raw["label"] = "versie 2"
    (tmp_path / "v2.json").write_text(json.dumps(raw))
    monkeypatch.setenv("KSF_RUBRIC_DIR", str(tmp_path))
    rubrics = RubricFiles(load_settings().rubric_dir)
    assert rubrics.get("ksf-default").version == "2"
    assert rubrics.get("ksf-default", "1").version == "1"  # the old version stays available
