"""The app's shared context in Streamlit (built once per process) and the login gate."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime, timezone

import streamlit as st

from ..bootstrap import bootstrap
from ..config import settings
from ..services import accounts, login_sessions
from ..services.context import AppContext
from ..services.users import CurrentUser
from . import session_cookie
from .escape import md
from .feedback import show_confirmations

USER = "user"
ACTIVITY = "last_activity"
LOGIN_SESSION = "login_session"  # id of the row behind the browser's cookie
HANDOVER = "login_handover"  # one-time code the browser still has to swap for its cookie
CHECKED = "login_checked"  # when the login row was last checked (at most every few seconds)
CHECK_EVERY = 5.0


@st.cache_resource(show_spinner="ksf-review wordt gestart …")
def _context(data_dir: str, database_url: str) -> AppContext:
    return bootstrap(settings(), web=True)


def app_context() -> AppContext:
    s = settings()
    return _context(str(s.data_dir), s.database_url)


def _login_form(ctx: AppContext) -> None:
    st.title("ksf-review")
    st.caption("Beoordeling van de praktijktoets branchecertificaat medewerkers klantcontact")
    with st.form("login"):
        username = st.text_input("Gebruikersnaam")
        password = st.text_input("Wachtwoord", type="password")
        if st.form_submit_button("Inloggen", type="primary"):
            try:
                user = accounts.log_in(ctx, username, password)
                st.session_state[USER] = user
                st.session_state[ACTIVITY] = datetime.now(timezone.utc)
                st.session_state[LOGIN_SESSION], st.session_state[HANDOVER] = login_sessions.start(ctx, user)
                st.rerun()
            except accounts.LoginError as exc:
                st.error(str(exc))
    st.caption(
        "Eerste start? Het wachtwoord van het account 'beheerder' staat in de terminal waarin "
        "de app gestart is (of zet KSF_ADMIN_PASSWORD)."
    )


def _resume_from_cookie(ctx: AppContext) -> CurrentUser | None:
    """A new tab, a reload or a link: the browser's login cookie logs in again (or says why not)."""
    token = session_cookie.cookie_token()
    if not token:
        return None
    try:
        user, session_id = login_sessions.resume(ctx, token, ctx.settings.session_minutes)
    except login_sessions.SessionRefused as exc:
        if str(exc):
            st.warning(str(exc))
        return None
    st.session_state[USER], st.session_state[LOGIN_SESSION] = user, session_id
    st.session_state[CHECKED] = time.monotonic()
    return user


def _still_valid(ctx: AppContext) -> bool:
    """Not logged out in another tab, not idle too long (checked every few seconds)."""
    session_id = st.session_state.get(LOGIN_SESSION)
    if session_id is None:
        return True
    if time.monotonic() - st.session_state.get(CHECKED, 0.0) < CHECK_EVERY:
        return True
    try:
        login_sessions.touch(ctx, session_id, ctx.settings.session_minutes)
    except login_sessions.SessionRefused as exc:
        logout(ctx, end=False)
        if str(exc):
            st.warning(str(exc))
        return False
    st.session_state[CHECKED] = time.monotonic()
    return True


def _page_asked() -> bool:
    """Whether the browser asked for a page other than the start page (a link, a reload, a logout there).

    Streamlit 1.67 has no public API for it; without one the login stays on the start page.
    """
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

        pages = get_script_run_ctx().pages_manager
        if pages.intended_page_name:  # a URL such as /beoordelen, before any navigation in this tab
            return True
        asked = pages.get_pages().get(pages.intended_page_script_hash or "")
        return bool(asked and asked.get("url_pathname"))  # a rerun on such a page (the start page has none)
    except Exception:  # noqa: BLE001 - no script run (bare mode) or another Streamlit
        return False


def current_user(keep_page: Callable[[], object] | None = None) -> CurrentUser:
    """The logged-in user; shows the login form and stops the page when there is none.

    `keep_page` runs before the login form when the URL names a page: app.py resolves that page
    there, so that the rerun after logging in opens the linked page instead of the start page.
    """
    ctx = app_context()
    user = st.session_state.get(USER)
    last = st.session_state.get(ACTIVITY)
    now = datetime.now(timezone.utc)
    minutes = ctx.settings.session_minutes
    if user is not None and last is not None and accounts.session_expired(last, minutes, now):
        logout(ctx)
        st.warning(f"Je sessie is verlopen na {minutes} minuten zonder activiteit. Log opnieuw in.")
        user = None
    elif user is not None and not _still_valid(ctx):
        user = None
    if user is None and not st.session_state.pop("logged_out", False):
        user = _resume_from_cookie(ctx)
    if user is None:
        if st.session_state.pop("clear_cookie", False):
            session_cookie.clear()
        if keep_page is not None and _page_asked():
            keep_page()
        _login_form(ctx)
        st.stop()
    if not isinstance(user, CurrentUser):  # a user handed in from outside (tests) is seen as a view too
        user = st.session_state[USER] = CurrentUser.of(user)
    code = st.session_state.pop(HANDOVER, None)
    if code:
        session_cookie.hand_over(code)
    st.session_state[ACTIVITY] = now
    show_confirmations()  # a save confirmed in the run before (that ended in st.rerun())
    return user


def remember_playback_rate(rate: float) -> None:
    """The player's speed, stored by the service, also for the rest of this login."""
    user = st.session_state.get(USER)
    if user is not None:
        st.session_state[USER] = dataclasses.replace(user, playback_rate=rate)


def remember_recent_items(recent: tuple) -> None:
    """The player's recent items (keys 1-9), stored by the service, also for the rest of this login."""
    user = st.session_state.get(USER)
    if user is not None:
        st.session_state[USER] = dataclasses.replace(user, recent_items=tuple(recent))


def logout(ctx: AppContext | None = None, end: bool = True) -> None:
    """Forget the login in this tab and end it in the database, so no tab or cookie revives it."""
    session_id = st.session_state.pop(LOGIN_SESSION, None)
    user = st.session_state.pop(USER, None)
    if end and session_id is not None:
        login_sessions.end(ctx or app_context(), session_id, actor=user)
    st.session_state.pop(ACTIVITY, None)
    st.session_state.pop(HANDOVER, None)
    st.session_state["logged_out"] = True  # this tab's connect-time cookie must not log in again
    st.session_state["clear_cookie"] = True


def show_error(exc: Exception) -> None:
    st.error(md(str(exc)), icon=":material/warning:")
