"""The login cookie: HTTP-only, set and cleared by two small routes next to Streamlit.

A Streamlit script can read cookies (`st.context.cookies`) but not set them, and an
HTTP-only cookie cannot be set from JavaScript at all. So `app.py` serves the app as an
`st.App` with two routes: POST /ksf/sessie swaps a one-time hand-over code for the session
token and sets the cookie; POST /ksf/uitloggen ends the session and clears it. The page posts
the code with a one-line fetch right after the login (see services.login_sessions).
"""

from __future__ import annotations

import json

import streamlit as st

COOKIE = "ksf_sessie"
LOGIN_ROUTE = "/ksf/sessie"
LOGOUT_ROUTE = "/ksf/uitloggen"
_MAX_BODY = 1024


def _base() -> str:
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _secure(request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "") == "https"


async def _body(request) -> str:
    data = await request.body()
    return data[:_MAX_BODY].decode("utf-8", "replace").strip()


async def _login(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from ..services import login_sessions
    from .context import app_context

    code = await _body(request)
    token = await run_in_threadpool(lambda: login_sessions.redeem(app_context(), code))
    if token is None:
        return Response("Ongeldige of verlopen code.", status_code=403, media_type="text/plain")
    response = Response(status_code=204)
    response.set_cookie(COOKIE, token, httponly=True, samesite="lax", secure=_secure(request), path=_base() or "/")
    response.headers["Cache-Control"] = "no-store"
    return response


async def _logout(request):
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from ..services import login_sessions
    from .context import app_context

    token = request.cookies.get(COOKIE)
    if token:
        await run_in_threadpool(lambda: login_sessions.end(app_context(), token=token))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path=_base() or "/", httponly=True, samesite="lax")
    return response


def routes() -> list:
    """The two cookie routes, for `st.App(..., routes=routes())` in app.py."""
    from starlette.routing import Route

    base = _base()
    return [Route(base + LOGIN_ROUTE, _login, methods=["POST"]), Route(base + LOGOUT_ROUTE, _logout, methods=["POST"])]


def cookie_token() -> str | None:
    """The token the browser sent when this tab connected (None without one)."""
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request context (AppTest, bare mode)
        return None
    return token if isinstance(token, str) and token else None


def _post(route: str, body: str = "") -> None:
    url = json.dumps(_base() + route)
    st.html(
        f"<script>fetch({url}, {{method: 'POST', credentials: 'same-origin', "
        f"headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(body)}}});</script>",
        unsafe_allow_javascript=True,
    )


def hand_over(code: str) -> None:
    """Have the browser swap the hand-over code for the HTTP-only cookie (once, after login)."""
    _post(LOGIN_ROUTE, code)


def clear() -> None:
    """Have the browser drop the cookie (after logging out)."""
    _post(LOGOUT_ROUTE)
