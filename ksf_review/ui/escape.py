"""User text is data: show it as text in every Markdown-rendered place of Streamlit.

In Streamlit 1.67 these render Markdown (and so links, images, :colour[…] and $LaTeX$):
``st.markdown``, ``st.caption``, ``st.title``/``header``/``subheader``, ``st.write`` of a
string, ``st.success``/``info``/``warning``/``error``, widget labels, button labels, tab,
expander and popover titles, ``st.radio`` options and ``help`` tooltips. Selectbox and
multiselect options, dataframe cells, ``st.text``, ``st.code`` and input values are plain
text (no escaping there, or the backslashes would show).

``md()`` backslash-escapes every ASCII punctuation character (CommonMark lets any of them
be escaped), so ``<form>``, ``![x](…)``, ``[a](…)``, ``**``, ``:red[…]`` and ``$…$`` stay
literal. GitHub's *autolink literals* (``http://…``, ``www.…``, ``naam@host``) are found
after escaping, in the plain text, so a word joiner (U+2060, invisible) goes between the
scheme, ``www`` or the ``@`` and what follows: the text reads the same, but is no link.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_AUTOLINK = re.compile(r"(?i)(\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)|@(?=\w))")
_WORD_JOINER = "\u2060"


def md(text: object, *, multiline: bool = False) -> str:
    """`text` for a Markdown-rendered place: shown exactly as typed, never as markup.

    One line by default (labels, titles, table-like rows); ``multiline=True`` keeps the
    typed line breaks (notes, descriptions) as hard breaks.
    """
    if text is None:
        return ""
    lines = str(text).splitlines() or [""]
    out = []
    for line in lines:
        line = _AUTOLINK.sub(lambda m: m.group(1) + _WORD_JOINER, line)
        out.append(_PUNCTUATION.sub(r"\\\1", line.strip()))
    return ("  \n" if multiline else " ").join(out)
