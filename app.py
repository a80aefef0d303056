"""ksf-review: Streamlit entry — page config, shared context, navigation over pages/.

`streamlit run app.py` finds `app` below and serves this file as an `st.App`: Streamlit plus
two routes that set and clear the HTTP-only login cookie (ksf_review.ui.session_cookie).
Streamlit itself runs the file as `__main__`, which draws the pages.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from ksf_review.domain.roles import Role, role_label
from ksf_review.ui.context import app_context, current_user, logout
from ksf_review.ui.dutch import dutch_widget_texts
from ksf_review.ui.escape import md
from ksf_review.ui.feedback import show_confirmations
from ksf_review.ui.selection import restore_from_url
from ksf_review.ui.session_cookie import routes


def _pages(role: Role) -> list:
    pages = [
        st.Page("pages/examens.py", title="Examens", icon=":material/assignment:", default=True),
        st.Page("pages/beoordelen.py", title="Beoordelen", icon=":material/headphones:"),
        st.Page("pages/checklist.py", title="Checklist", icon=":material/checklist:"),
        st.Page("pages/kalibratie.py", title="Kalibratie", icon=":material/balance:"),
        st.Page("pages/bibliotheek.py", title="Bibliotheek", icon=":material/local_library:"),
    ]
    if role == Role.BEHEERDER:
        pages.append(st.Page("pages/beheer.py", title="Beheer", icon=":material/settings:"))
    return pages


def main() -> None:
    st.set_page_config(page_title="ksf-review", page_icon=":material/headphones:", layout="wide")
    dutch_widget_texts()

    ctx = app_context()
    # While the login form shows, the hidden navigation keeps the page the link pointed at: the
    # rerun after logging in runs that page (its ?examen=…&gesprek=…&t=… is checked as always).
    user = current_user(keep_page=lambda: st.navigation(_pages(Role.BEHEERDER), position="hidden"))

    nav = st.navigation(_pages(user.role))
    with st.sidebar:
        st.caption(f"Ingelogd als **{md(user.display_name)}** ({role_label(user.role)})")
        if st.button("Uitloggen"):
            logout()
            st.rerun()
    show_confirmations()  # a save confirmed in a run that ended in st.rerun()
    restore_from_url(ctx, user)  # ?examen=…&gesprek=…&t=…: a link, a reload or a new tab
    nav.run()
    show_confirmations()  # a save confirmed in this run


# Streamlit (1.67) treats the folder pages/ beside this file as its old multipage mode, in
# which a URL such as /beoordelen runs that page file alone, without this file, until some run
# in the process has called st.navigation. After a restart the first links, reloads and new
# tabs then lost their ?examen=…&gesprek=… and the sidebar: the navigation below is the only one.
PagesManager.uses_pages_directory = False

if __name__ == "__main__":
    main()
else:  # imported by `streamlit run` (or uvicorn) to serve the app
    app = st.App(__file__, routes=routes())
