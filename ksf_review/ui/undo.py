"""Undo the last change for a minute (#19.4): "Ongedaan maken", or Ctrl+Z outside a text field.

Only the examiner's own last action in this session is kept (a new one replaces it), and only
for WINDOW seconds: long enough to notice a slip, short enough not to undo something a
colleague has built on. The button shows only where the change was made (`where`: the
conversation for tags and corrections, the exam's checklist for scores). The undo itself runs
in `services.undo`: version-checked (never over a newer change by someone else) and audited.
"""

from __future__ import annotations

import time

import streamlit as st

from ..services import undo as undo_svc
from ..services import users
from ..services.context import ServiceError
from .context import remember_recent_items
from .escape import md
from .feedback import confirm

_KEY = "_ksf_undo"
WINDOW = 60.0
TOO_LATE = "Te laat: ongedaan maken kan tot een minuut na de wijziging. Er is niets veranderd."

# Ctrl+Z (Cmd+Z) outside a text field (a score's radio button is not one) presses the page's
# "Ongedaan maken" button. The player has the same key; whichever listener was installed first
# handles it, once.
_KEYS_JS = """
function typing() {
  let el = document.activeElement;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (!el) return false;
  const role = el.getAttribute && el.getAttribute("role");
  if (el.tagName === "INPUT") return !["radio", "checkbox", "button", "submit", "range"].includes(el.type);
  return ["TEXTAREA", "SELECT"].includes(el.tagName) || el.isContentEditable
    || ["textbox", "searchbox", "combobox", "listbox", "option"].includes(role);
}
export default function mount() {
  if (window.__ksfUndoKey) return;
  window.__ksfUndoKey = true;
  window.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || (e.key !== "z" && e.key !== "Z") || typing()) return;
    const undo = document.querySelector('[class*="st-key-undo-"] button');
    if (undo && !undo.disabled) {
      e.preventDefault();
      e.stopImmediatePropagation();
      undo.click();
    }
  }, { capture: true });
}
"""
_KEYS = st.components.v2.component("ksf_review_undo_keys", js=_KEYS_JS)


def clock() -> float:
    return time.monotonic()


def conversation(conv_id: int) -> str:
    return f"gesprek-{conv_id}"


def exam(exam_id: int) -> str:
    return f"examen-{exam_id}"


def remember(label: str, kind: str, where: str, **data) -> None:
    """Kinds and their data: see services.undo; `where` from conversation() or exam()."""
    st.session_state[_KEY] = {"label": label, "kind": kind, "where": where, "data": data, "at": clock()}


def render_undo(ctx, user, *, key: str, where: str) -> None:
    """The undo button while the last action made at `where` is less than WINDOW seconds old."""
    last = st.session_state.get(_KEY)
    if not last or last.get("where") != where:
        return
    if clock() - last["at"] > WINDOW:
        st.session_state.pop(_KEY, None)
        if st.session_state.get(f"undo-{key}"):  # clicked just after the minute
            st.warning(TOO_LATE)
        return
    _KEYS(key=f"undokeys-{key}")
    if st.button(
        f"Ongedaan maken: {md(last['label'])}",
        key=f"undo-{key}",
        icon=":material/undo:",
        help="Draait je laatste wijziging terug (tot een minuut erna; ook met Ctrl+Z).",
    ):
        st.session_state.pop(_KEY, None)
        try:
            undo_svc.undo(ctx, user, last["kind"], last["data"], last["label"])
        except ServiceError as exc:
            msg = str(exc) if str(exc).startswith("Niet ongedaan") else f"Niet ongedaan gemaakt: {exc}"
            st.error(md(msg), icon=":material/sync_problem:")
            return
        if last["data"].get("recent"):  # a keyboard tag: keys 1-9 as stored again, for the rest of this login too
            remember_recent_items(users.recent_items(ctx, user))
        confirm(f"Ongedaan gemaakt: {last['label']}.")
        st.rerun()
