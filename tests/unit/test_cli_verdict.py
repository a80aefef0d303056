import io
import json
import subprocess
import sys

import pytest

from ksf_review.cli import main
from tests.conftest import ALL_ITEMS

FULL = {c: "behaald" for c in ALL_ITEMS}


def run(monkeypatch, capsys, payload, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(payload if isinstance(payload, str) else json.dumps(payload)))
    code = main(["verdict", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_passing_candidate(monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, {"conversations": 3, "scores": FULL}, "-")
    assert code == 0
    d = json.loads(out)
    assert d["status"] == "geslaagd" and d["total"] == 23 and d["max"] == 23
    assert d["eindtermen"]["3"] == {"points": 2, "max": 2, "minimum": 2, "met": True}


def test_example_from_issue_is_onvolledig(monkeypatch, capsys):
    payload = {
        "policy": "nvt-behaald",
        "conversations": 3,
        "scores": {"1.1a": "behaald", "1.1b": "niet_behaald", "3.2": {"status": "nvt", "reason": "geen"}},
    }
    code, out, _ = run(monkeypatch, capsys, payload)
    assert code == 0 and json.loads(out)["status"] == "onvolledig"


def test_critical_fail_policy_from_file(tmp_path, monkeypatch, capsys):
    scores = dict(FULL, **{"3.2": {"status": "nvt", "reason": "niet voorgekomen"}})
    f = tmp_path / "in.json"
    f.write_text(json.dumps({"policy": "nvt-niet-behaald", "conversations": 4, "scores": scores}))
    code, out, _ = run(monkeypatch, capsys, "", str(f))
    d = json.loads(out)
    assert code == 0 and d["status"] == "gezakt" and d["total"] == 22
    assert any("Eindterm 3" in p for p in d["problems"])


@pytest.mark.parametrize(
    "payload,needle",
    [
        ("{not json", "ongeldige JSON"),
        ("[]", "JSON-object"),
        ({"conversations": 3}, "'scores'"),
        ({"scores": {}}, "'conversations'"),
        ({"conversations": "3", "scores": {}}, "'conversations'"),
        ({"conversations": 3, "scores": {"4.1": "behaald"}}, "onbekende itemcode"),
        ({"conversations": 3, "scores": {"1.1a": "ja"}}, "onbekende score"),
        ({"conversations": 3, "scores": {}, "policy": "soms"}, "n.v.t.-beleid"),
        ({"conversations": 3, "scores": {}, "rubric": "onbekend"}, "Onbekende checklist"),
    ],
)
def test_bad_input_exits_2_with_message(monkeypatch, capsys, payload, needle):
    code, out, err = run(monkeypatch, capsys, payload)
    assert code == 2 and out == ""
    assert needle in err


def test_missing_file(monkeypatch, capsys, tmp_path):
    code, _, err = run(monkeypatch, capsys, "", str(tmp_path / "nope.json"))
    assert code == 2 and "kan" in err


def test_module_entry_point_subprocess():
    p = subprocess.run(
        [sys.executable, "-m", "ksf_review", "verdict", "-"],
        input=json.dumps({"conversations": 3, "scores": FULL}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["status"] == "geslaagd"
