"""One bootstrap builds what the web process, the CLI and the worker need, from the settings."""

from __future__ import annotations

import dataclasses

from ksf_review import cli
from ksf_review.bootstrap import bootstrap
from ksf_review.services import accounts


def test_web_bootstrap_creates_the_beheerder_from_the_settings(settings):
    s = dataclasses.replace(settings, admin_password="uit-de-instellingen-1")
    ctx = bootstrap(s, web=True)  # KSF_DEMO=0, KSF_WORKER=0: no demo, no worker thread
    try:
        assert accounts.authenticate(ctx, "beheerder", "uit-de-instellingen-1").role == "beheerder"
        assert ctx.rubrics.default().key == "ksf-default@1"
    finally:
        ctx.db.dispose()


def test_cli_commands_use_the_process_settings(settings, capsys):
    assert cli.main(["migrate"]) == 0  # the fixture set KSF_DATA_DIR: the CLI reads the same settings
    assert (settings.data_dir / "ksf_review.sqlite3").is_file()
