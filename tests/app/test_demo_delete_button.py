"""The 'Demogegevens verwijderen' button: only a coördinator or beheerder sees it (the service refuses others)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import exams
from ksf_review.services.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[2]


def _buttons(user) -> list[str]:
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=30)
    at.session_state["user"] = user
    at.run()
    assert not at.exception
    return [b.label for b in at.button]


def test_examinator_does_not_see_the_demo_delete_button(ctx, user):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exams.create_exam(ctx, coord, "Demokandidaat (fictief)", is_demo=True)
    assert "Demogegevens verwijderen" not in _buttons(user)  # user: an examinator
    assert "Demogegevens verwijderen" in _buttons(coord)


def test_coordinator_deletes_the_demo_exams_from_the_page(ctx):
    coord = get_or_create_user(ctx, "coord", "coordinator", "Coördinator")
    exams.create_exam(ctx, coord, "Demokandidaat (fictief)", is_demo=True)
    at = AppTest.from_file(str(ROOT / "pages/examens.py"), default_timeout=30)
    at.session_state["user"] = coord
    at.run()
    next(b for b in at.button if b.label == "Demogegevens verwijderen").click().run()
    assert not at.exception
    assert any("1 demo-examen(s)" in w.value.replace("\\", "") for w in at.warning)  # it asks first (#19.4)
    assert len(exams.list_exams(ctx, coord)) == 1
    at.button(key="demo_delete-no").click().run()
    assert not [w for w in at.warning if "demo-examen" in w.value]
    assert len(exams.list_exams(ctx, coord)) == 1
    next(b for b in at.button if b.label == "Demogegevens verwijderen").click().run()
    at.button(key="demo_delete-yes").click().run()
    assert not at.exception
    assert exams.list_exams(ctx, coord) == []
