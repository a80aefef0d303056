"""A page for tests/e2e/test_settle.py: a selectbox inside a closed expander."""

import streamlit as st

st.title("Settle")
with st.expander("Open mij"):
    pick = st.selectbox("Keuze", ["Een", "Twee", "Drie"], index=None, placeholder="Kies …")
st.markdown(f"gekozen: {pick}")
