"""Names instead of strings (#20.4): roles, exam/assessment/calibration/job states and score
values are enums that equal the strings stored in the database, and the code compares with
the names, never with bare strings."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ksf_review.domain.roles import ASSESSORS, MANAGERS, Role, is_manager, role_label
from ksf_review.domain.states import (
    ACTIVE_JOBS,
    AssessmentStatus,
    CalibrationState,
    ExamStatus,
    JobState,
    label_of,
)
from ksf_review.domain.verdict import ScoreStatus

ROOT = Path(__file__).resolve().parents[2]


def test_enums_equal_and_format_as_the_stored_strings():
    assert Role.COORDINATOR == "coordinator" and f"{Role.COORDINATOR}" == "coordinator"
    assert ScoreStatus.NVT == "nvt" and f"{ScoreStatus.NVT}" == "nvt"
    assert {"finalised": 1}[ExamStatus.FINALISED] == 1  # hashes as the string: dict keys keep working
    assert "running" in ACTIVE_JOBS and "done" not in ACTIVE_JOBS


def test_dutch_labels():
    assert Role("coordinator").label == "coördinator"
    assert role_label("onbekend") == "onbekend"
    assert [s.label for s in ExamStatus] == ["in beoordeling", "in beoordeling", "afgerond"]
    assert AssessmentStatus.SUBMITTED.label == "ingediend"
    assert CalibrationState.OPEN.label == "open (blind)"
    assert label_of(JobState, "failed") == "mislukt"
    assert label_of(JobState, None) == "onbekend" and label_of(JobState, "raar") == "raar"


def test_who_manages_and_who_assesses():
    assert set(MANAGERS) == {"coordinator", "beheerder"} and set(ASSESSORS) == {"examinator", "coordinator"}
    assert is_manager(type("U", (), {"role": "beheerder"})()) and not is_manager(None)


def test_calibration_participants_are_named():
    from ksf_review.services.calibration import NOT_STARTED, Participant, SessionView

    view = SessionView(
        1, "t", "open", None, "c", (Participant(7, "Anna", "submitted"), Participant(8, "Bram", NOT_STARTED)), (1,), "k@1", None
    )
    assert view.submitted == 1 and view.participant(7).submitted and view.participant(9) is None
    assert [p.status_label for p in view.participants] == ["ingediend", "niet gestart"]


_NAMED = (
    {r.value for r in Role}
    | {s.value for e in (ExamStatus, AssessmentStatus, CalibrationState, JobState) for s in e}
    | {s.value for s in ScoreStatus}
)
_ATTRS = {"role", "status", "state", "job_status"}


def _strings(node) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return set().union(*(_strings(e) for e in node.elts)) if node.elts else set()
    return set()


def _literal_uses(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Compare) and isinstance(node.left, ast.Attribute) and node.left.attr in _ATTRS:
            found = set().union(*(_strings(c) for c in node.comparators)) & _NAMED
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "require_role":
            found = set().union(*(_strings(a) for a in node.args)) & _NAMED
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Attribute) and t.attr in _ATTRS for t in node.targets):
            found = _strings(node.value) & _NAMED
        else:
            continue
        if found:
            out.append(f"{path.relative_to(ROOT)}:{node.lineno} {sorted(found)}")
    return out


@pytest.mark.parametrize("where", ["ksf_review", "pages", "app.py"])
def test_roles_and_states_are_compared_by_name(where):
    paths = [ROOT / where] if where.endswith(".py") else sorted((ROOT / where).rglob("*.py"))
    uses = [u for p in paths if "migrations" not in p.parts for u in _literal_uses(p)]
    assert uses == []
