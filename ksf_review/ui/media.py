"""Serve a recording to the browser through Streamlit's media file manager.

The player needs a plain URL for its ``<audio src>``: Streamlit's ``/media/...`` endpoint
serves files held by the media file manager (with HTTP range requests, so seeking works),
only to the app, never from a public static folder. The manager is not public API
(``streamlit.runtime``), so every touch of it lives in this one module.

Lifecycle (Streamlit 1.67): at the start of every full script run Streamlit drops the
session's media references and, at the end, deletes files nobody referenced during the
run. So a file must be *re-referenced* on every run to stay served. Re-adding it through
the public path would re-read and re-hash the whole recording on every rerun; instead the
first call registers it and caches the file id in ``st.session_state`` (keyed by path,
mtime and size), and later calls only renew the reference. The URL therefore stays the
same, and the browser neither re-downloads nor reloads the audio.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

_CACHE_KEY = "_ksf_media_urls"


def _manager():
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return None
    return Runtime.instance().media_file_mgr


def _session_id() -> str | None:
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    return ctx.session_id if ctx is not None else None


def _renew_reference(mgr, file_id: str, coordinates: str) -> bool:
    """Mark a known file as used by this session in this run; False if it is gone.

    Relies on MediaFileManager internals (``_lock``, ``_file_metadata``,
    ``_files_by_session_and_coord``); if those change, we return False and the caller
    falls back to the public ``add`` (correct, only slower).
    """
    session_id = _session_id()
    if session_id is None:
        return False
    try:
        with mgr._lock:
            if file_id not in mgr._file_metadata:
                return False
            mgr._files_by_session_and_coord[session_id][coordinates] = file_id
            return True
    except (AttributeError, TypeError, KeyError):
        return False


def media_url(path: Path | str, mimetype: str) -> str:
    """URL (``/media/<id>.<ext>``) under which Streamlit serves `path` to this session.

    Call it on every script run that shows the file (like ``st.audio`` would). Returns ""
    when no Streamlit runtime is active (bare ``python script.py``).
    """
    path = Path(path)
    mgr = _manager()
    if mgr is None:
        return ""
    stat = path.stat()
    cache_key = f"{path.resolve()}|{stat.st_mtime_ns}|{stat.st_size}|{mimetype}"
    coordinates = "ksf-media:" + hashlib.sha1(cache_key.encode()).hexdigest()[:20]
    cache: dict = st.session_state.setdefault(_CACHE_KEY, {})

    hit = cache.get(cache_key)
    if hit is not None and _renew_reference(mgr, hit["file_id"], coordinates):
        return hit["url"]

    raw_url = mgr.add(str(path), mimetype, coordinates)
    file_id = raw_url.rsplit("/", 1)[-1].split(".", 1)[0]
    url = _with_base_path(raw_url)
    cache[cache_key] = {"file_id": file_id, "url": url}
    return url


def _with_base_path(url: str) -> str:
    """Prefix server.baseUrlPath (app behind a reverse proxy under /ksf, say)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    if base and url.startswith("/"):
        return f"/{base}{url}"
    return url
