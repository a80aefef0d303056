"""The app's shared context in Streamlit: built once per process, worker and demo included."""

from __future__ import annotations

import streamlit as st

from ..adapters.storage.models import User
from ..config import load_settings
from ..services.context import AppContext, build_context
from ..services.demo import seed_demo
from ..services.users import ensure_default_user
from ..services.worker import ensure_worker


@st.cache_resource(show_spinner="ksf-review wordt gestart …")
def _context(data_dir: str, database_url: str) -> AppContext:
    settings = load_settings()
    ctx = build_context(settings)
    user = ensure_default_user(ctx)
    if settings.demo:
        seed_demo(ctx, user)
    if settings.worker:
        ensure_worker(ctx)
    return ctx


def app_context() -> AppContext:
    s = load_settings()
    return _context(str(s.data_dir), s.database_url)


def current_user() -> User:
    """The acting user. Accounts with login arrive later; until then the default examiner."""
    if "user" not in st.session_state:
        st.session_state["user"] = ensure_default_user(app_context())
    return st.session_state["user"]


def show_error(exc: Exception) -> None:
    st.error(str(exc), icon="⚠️")
