"""Settings are read once, in config.py only, and every one of them is documented."""

from __future__ import annotations

import re
from pathlib import Path

from ksf_review import config

ROOT = Path(__file__).resolve().parents[2]


def _read_in_config() -> set[str]:
    src = (ROOT / "ksf_review" / "config.py").read_text(encoding="utf-8")
    return {f"KSF_{name}" for name in re.findall(r'_(?:env|flag)\("([A-Z_]+)"', src)}


def _readme_table() -> set[str]:
    rows = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines() if line.startswith("| `KSF_")]
    return {name for row in rows for name in re.findall(r"`(KSF_[A-Z_]+)`", row.split("|")[1])}


def test_every_setting_is_in_the_readme_table():
    read = _read_in_config()
    assert read == set(config.VARIABLES)
    assert read - _readme_table() == set(), "setting(s) missing from the README's settings table"


def test_no_module_but_config_reads_the_environment():
    sources = [*(ROOT / "ksf_review").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    readers = [
        str(p.relative_to(ROOT))
        for p in sources
        if p.name != "config.py" and re.search(r"os\.environ|getenv\(", p.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_settings_are_read_once_and_tests_can_read_them_again(monkeypatch):
    monkeypatch.setenv("KSF_SESSION_MINUTES", "30")
    first = config.reload_settings()
    monkeypatch.setenv("KSF_SESSION_MINUTES", "45")
    assert config.settings() is first and first.session_minutes == 30
    assert config.reload_settings().session_minutes == 45
    config.settings.cache_clear()


def test_admin_password_and_rubric_dir_are_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("KSF_ADMIN_PASSWORD", "geheim-wachtwoord-1")
    monkeypatch.setenv("KSF_RUBRIC_DIR", str(tmp_path))
    s = config.load_settings()
    assert s.admin_password == "geheim-wachtwoord-1" and "geheim" not in repr(s)
    assert s.rubric_dir == tmp_path
    monkeypatch.delenv("KSF_ADMIN_PASSWORD")
    monkeypatch.delenv("KSF_RUBRIC_DIR")
    s = config.load_settings()
    assert s.admin_password is None and s.rubric_dir is None


def test_the_engine_is_built_from_the_settings_in_one_place(monkeypatch, tmp_path):
    from ksf_review.services.context import AppContext, whisper_engine

    monkeypatch.setenv("KSF_CPU_THREADS", "3")
    monkeypatch.setenv("KSF_MODEL_CACHE_DIR", str(tmp_path))
    s = config.load_settings()
    ctx = AppContext(db=None, audio=None, settings=s)  # type: ignore[arg-type]
    for engine in (ctx.engine(), whisper_engine(s)):
        assert (engine.cpu_threads, Path(engine.cache_dir), engine.model) == (3, tmp_path, "bundled")
    assert whisper_engine(s, model="small").model == "small"


def test_an_engine_built_without_arguments_has_the_settings_defaults(monkeypatch):
    from ksf_review.adapters.engine import WhisperEngine

    monkeypatch.delenv("KSF_CPU_THREADS", raising=False)
    monkeypatch.delenv("KSF_MODEL_CACHE_DIR", raising=False)
    s, engine = config.load_settings(), WhisperEngine()
    assert (
        (engine.cpu_threads, engine.cache_dir)
        == (s.cpu_threads, s.model_cache_dir)
        == (config.all_cores(), config.default_model_cache_dir())
    )
