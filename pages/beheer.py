"""Beheer: accounts, bewaartermijn van opnames en het auditlogboek (alleen beheerder)."""

import pandas as pd
import streamlit as st

from ksf_review.domain.roles import Role, role_label
from ksf_review.services import accounts, audit_log, retention
from ksf_review.services.audit_text import OBJECT_TYPES
from ksf_review.services.context import ServiceError
from ksf_review.ui.ask import confirmed
from ksf_review.ui.context import app_context, current_user, show_error
from ksf_review.ui.dutch import CHOOSE
from ksf_review.ui.feedback import form_key, form_saved
from ksf_review.ui.pickers import pick_by_id

ctx = app_context()
user = current_user()
st.title("Beheer")
try:
    accounts.require_role(user, Role.BEHEERDER)
except ServiceError as exc:
    show_error(exc)
    st.stop()

tab_users, tab_retention, tab_audit = st.tabs(
    [":material/person: Accounts", ":material/auto_delete: Bewaartermijn", ":material/history: Auditlog"]
)

with tab_users:
    users = accounts.list_users(ctx, user)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Gebruikersnaam": u.username,
                    "Naam": u.display_name,
                    "Rol": role_label(u.role),
                    "Actief": "ja" if u.active else "nee",
                    "Kan inloggen": "ja" if u.can_log_in else "nee",
                    "Laatst ingelogd": u.last_login_at.strftime("%d-%m-%Y %H:%M") if u.last_login_at else "—",
                }
                for u in users
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    with st.form(form_key("nieuw_account")):
        st.markdown("**Nieuw account**")
        c1, c2, c3 = st.columns(3)
        username = c1.text_input("Gebruikersnaam")
        name = c2.text_input("Naam")
        role = c3.selectbox("Rol", [r.value for r in Role], format_func=role_label, placeholder=CHOOSE)
        password = st.text_input("Wachtwoord (minimaal 10 tekens)", type="password")
        if st.form_submit_button("Account aanmaken", type="primary"):
            try:
                created = accounts.create_user(ctx, user, username, role, password, name)
            except ServiceError as exc:
                show_error(exc)
            else:
                form_saved("nieuw_account", f"Account '{created.username}' aangemaakt.")
                st.rerun()
    with st.form("account_wijzigen"):
        st.markdown("**Account wijzigen**")
        target = pick_by_id("Account", users, lambda u: u.username)
        new_pw = st.text_input("Nieuw wachtwoord (leeg = niet wijzigen)", type="password")
        active = st.radio("Status", ["actief", "uitgeschakeld"], horizontal=True)
        if st.form_submit_button("Opslaan"):
            try:
                if new_pw:
                    accounts.set_password(ctx, user, target, new_pw)
                accounts.set_active(ctx, user, target, active == "actief")
                st.success("Opgeslagen.")
                st.rerun()
            except ServiceError as exc:
                show_error(exc)

with tab_retention:
    days = retention.get_retention_days(ctx)
    st.write(
        "Na deze termijn (gerekend vanaf het afronden van een examen) worden de opnames, transcripten "
        "en tekstfragmenten verwijderd. Scores, uitslag, rapportgegevens en geanonimiseerde "
        "bibliotheekfragmenten blijven bewaard."
    )
    last = retention.last_scheduled_run(ctx)
    st.caption(
        "De worker ruimt dagelijks vanzelf op; elke ronde staat met aantallen in het auditlog. "
        + (f"Laatste automatische ronde: {last.astimezone():%d-%m-%Y %H:%M}." if last else "Er is nog geen automatische ronde geweest.")
    )
    if done := st.session_state.pop("retention_done", None):
        st.success(done)
    new_days = st.number_input("Bewaartermijn (dagen)", min_value=1, max_value=3650, value=days)
    if new_days != days and st.button("Termijn opslaan"):
        try:
            retention.set_retention_days(ctx, user, int(new_days))
            st.rerun()
        except ServiceError as exc:
            show_error(exc)
    items = retention.preview(ctx, user)
    if items:
        st.warning(f"{len(items)} gesprek(ken) vallen buiten de bewaartermijn:")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Examen": i.exam_id,
                        "Kandidaat": i.candidate,
                        "Afgerond": i.finalised_at.strftime("%d-%m-%Y"),
                        "Gesprek": i.conversation_title,
                        "Opname": "ja" if i.has_audio else "nee",
                        "Segmenten/beurten": i.transcript_segments,
                    }
                    for i in items
                ]
            ),
            hide_index=True,
        )
        if confirmed(
            "Nu verwijderen",
            f"De opnames, transcripten en tekstfragmenten van {len(items)} gesprek(ken) verwijderen? Dit kan niet ongedaan worden gemaakt.",
            key="retention_run",
            type="primary",
        ):
            n = retention.run_retention(ctx, user)
            st.session_state["retention_done"] = f"{n} gesprek(ken) opgeschoond; vastgelegd in het auditlog."
            st.rerun()
    else:
        st.success("Er valt niets buiten de bewaartermijn.")

with tab_audit:
    c1, c2, c3 = st.columns(3)
    text = c1.text_input("Zoeken", placeholder="actie, object of detail")
    who = c2.text_input("Gebruiker")
    kind = c3.selectbox("Soort object", ["", *OBJECT_TYPES], format_func=lambda k: OBJECT_TYPES.get(k, "alle"), placeholder=CHOOSE)
    rows = audit_log.search(ctx, user, text=text, username=who.strip(), object_type=kind)
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Tijdstip": r.when.strftime("%d-%m-%Y %H:%M:%S"),
                    "Gebruiker": r.username,
                    "Actie": r.action_label,
                    "Object": r.object_label,
                    "Details": r.detail,
                }
                for r in rows
            ]
        ),
        hide_index=True,
        width="stretch",
    )
    if rows:  # made on click; the click does not rerun the page (a rerun could strand the download)
        st.download_button(
            "Auditlog exporteren (CSV)",
            lambda: audit_log.export_csv(ctx, user, rows),
            file_name="auditlog.csv",
            mime="text/csv",
            on_click="ignore",
        )
