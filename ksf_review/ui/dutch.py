"""Streamlit's own widget texts in Dutch, where Streamlit 1.67 has no parameter for them.

Placeholders (``placeholder=``) and the multiselect's "Select all" (``select_all=False``) are
set on each widget. Some texts are fixed in Streamlit's frontend: "No results" in an empty
selectbox/multiselect dropdown, the file uploader's "Upload" button and "200MB per file"
line, and the "Skip to main content" link. This stylesheet hides those and shows the Dutch text instead (``::after``). The class
names are Streamlit 1.67's (pinned in requirements.txt); ``tests/e2e/test_dutch_interface.py``
fails when an upgrade changes them.

What a screen reader or a tooltip says (aria-label, title, placeholder: "Download as CSV",
"Increment", "Help for …", "Show password", "Press Enter to apply", …) cannot be styled: a
small script (``dutch.js``, an invisible components-v2 element) rewrites those texts in the page
whenever Streamlit draws them.
"""

from __future__ import annotations

from importlib.resources import files

import streamlit as st

#: placeholder of a multiselect where nothing is chosen yet (= no filter)
ALL = "alle"
#: placeholder of a selectbox without a preselected option
CHOOSE = "Kies …"

_CSS = """
<style>
/* "No results" in the dropdown of a selectbox (equpb2c9) or multiselect (eo2qvtu11) */
.equpb2c9, .eo2qvtu11 { font-size: 0 !important; }
.equpb2c9::after, .eo2qvtu11::after { content: "Geen resultaten"; font-size: 0.875rem; }
/* file uploader: "Upload" button and "200MB per file • WAV, …" */
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p {
  font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p::after {
  content: "Bestand kiezen"; font-size: 0.875rem; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "of sleep het bestand hierheen (max. %(mb)s MB per bestand)"; font-size: 0.75rem; }
/* the invisible element that runs dutch.js */
.st-key-ksf_dutch_texts { display: none; }
/* the keyboard users' "Skip to main content" link */
[data-testid="stSkipToContent"] { font-size: 0 !important; }
[data-testid="stSkipToContent"]::after { content: "Naar de inhoud"; font-size: 1rem; }
</style>
"""


_SCRIPT = st.components.v2.component(
    "ksf_review_dutch_texts",
    html="<span></span>",
    js=files(__package__).joinpath("dutch.js").read_text(encoding="utf-8"),
)


def dutch_widget_texts() -> None:
    """Call once per run, before the page (app.py)."""
    mb = st.get_option("server.maxUploadSize")
    st.markdown(_CSS % {"mb": mb}, unsafe_allow_html=True)  # a constant stylesheet: no user text
    _SCRIPT(key="ksf_dutch_texts")
