"""Bibliotheek: a chat or e-mail example is exactly its tagged turns, so the curator is not offered
"Context vooraf/achteraf (s)" sliders there (they changed nothing); a recording keeps them."""

from tests.app.test_library_page import coord, open_page, pick, rules_only, two_exams  # noqa: F401 (fixtures)


def test_a_chat_example_offers_no_context_in_seconds(two_exams, coord):  # noqa: F811
    at = pick(open_page(coord), *two_exams["Anna Eerste"])
    assert not [s for s in at.slider if "Context" in s.label]
    assert any("precies de gemarkeerde beurten" in c.value for c in at.caption)
    assert any("Ik ben verhuisd" in m.value for m in at.markdown)  # the preview is still there
