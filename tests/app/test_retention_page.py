"""Beheer shows when retention last ran by itself."""

from datetime import datetime, timezone
from pathlib import Path

from streamlit.testing.v1 import AppTest

from ksf_review.services import accounts, retention

ROOT = Path(__file__).resolve().parents[2]


def test_beheer_shows_the_last_automatic_run(ctx, monkeypatch):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")

    def beheer():
        at = AppTest.from_file(str(ROOT / "pages" / "beheer.py"), default_timeout=60)
        at.session_state["user"] = admin
        return at.run()

    assert any("nog geen automatische ronde" in c.value for c in beheer().caption)
    retention.run_scheduled_retention(ctx, now=datetime(2026, 3, 1, 4, 0, tzinfo=timezone.utc))
    assert retention.last_scheduled_run(ctx) == datetime(2026, 3, 1, 4, 0, tzinfo=timezone.utc)
    assert any("Laatste automatische ronde: 01-03-2026" in c.value for c in beheer().caption)


def test_the_retention_run_asks_first(ctx, user, monkeypatch, tmp_path):
    """#19.4: 'Nu verwijderen' deletes recordings only after 'Ja, verwijderen'."""
    from datetime import timedelta

    from ksf_review.adapters.storage.models import Exam
    from tests.integration.test_retention_audit import finalised_exam

    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "beheer-wachtwoord-123")
    accounts.ensure_admin(ctx)
    admin = accounts.authenticate(ctx, "beheerder", "beheer-wachtwoord-123")
    exam, _ = finalised_exam(ctx, user, tmp_path)
    with ctx.db.unit_of_work() as s:
        s.get(Exam, exam.id).finalised_at = datetime.now(timezone.utc) - timedelta(days=400)
    at = AppTest.from_file(str(ROOT / "pages" / "beheer.py"), default_timeout=60)
    at.session_state["user"] = admin
    at.run()
    at.button(key="retention_run").click().run()
    assert not at.exception
    assert any("van 3 gesprek(ken) verwijderen?" in w.value.replace("\\", "") for w in at.warning)
    assert len(retention.preview(ctx, admin)) == 3  # nothing deleted yet
    at.button(key="retention_run-yes").click().run()
    assert not at.exception
    assert retention.preview(ctx, admin) == []
