"""The app's shared context in Streamlit (built once per process) and the login gate."""

from __future__ import annotations

import os
from datetime import datetime, timezone

import streamlit as st

from ..adapters.storage.models import User
from ..config import load_settings
from ..services import accounts
from ..services.context import AppContext, build_context
from ..services.demo import seed_demo
from ..services.users import ensure_default_user
from ..services.worker import ensure_worker
from .escape import md

USER = "user"
ACTIVITY = "last_activity"
SESSION_MINUTES = int(os.environ.get("KSF_SESSION_MINUTES", "60"))


@st.cache_resource(show_spinner="ksf-review wordt gestart …")
def _context(data_dir: str, database_url: str) -> AppContext:
    settings = load_settings()
    ctx = build_context(settings)
    accounts.ensure_admin(ctx)
    if settings.demo:
        seed_demo(ctx, ensure_default_user(ctx))
    if settings.worker:
        ensure_worker(ctx)
    return ctx


def app_context() -> AppContext:
    s = load_settings()
    return _context(str(s.data_dir), s.database_url)


def _login_form(ctx: AppContext) -> None:
    st.title("ksf-review")
    st.caption("Beoordeling van de praktijktoets branchecertificaat medewerkers klantcontact")
    with st.form("login"):
        username = st.text_input("Gebruikersnaam")
        password = st.text_input("Wachtwoord", type="password")
        if st.form_submit_button("Inloggen", type="primary"):
            try:
                st.session_state[USER] = accounts.authenticate(ctx, username, password)
                st.session_state[ACTIVITY] = datetime.now(timezone.utc)
                st.rerun()
            except accounts.LoginError as exc:
                st.error(str(exc))
    st.caption("Eerste start? Het wachtwoord van het account 'beheerder' staat in de terminal waarin "
               "de app gestart is (of zet KSF_ADMIN_PASSWORD).")


def current_user() -> User:
    """The logged-in user; shows the login form and stops the page when there is none."""
    user = st.session_state.get(USER)
    last = st.session_state.get(ACTIVITY)
    now = datetime.now(timezone.utc)
    if user is not None and last is not None and accounts.session_expired(last, SESSION_MINUTES, now):
        st.session_state.pop(USER, None)
        st.warning(f"Je sessie is verlopen na {SESSION_MINUTES} minuten zonder activiteit. Log opnieuw in.")
        user = None
    if user is None:
        _login_form(app_context())
        st.stop()
    st.session_state[ACTIVITY] = now
    return user


def logout() -> None:
    st.session_state.pop(USER, None)
    st.session_state.pop(ACTIVITY, None)


def show_error(exc: Exception) -> None:
    st.error(md(str(exc)), icon=":material/warning:")
