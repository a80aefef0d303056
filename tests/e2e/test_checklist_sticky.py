"""The checklist's totals and verdict stay in view while the items scroll (#19.6)."""

from __future__ import annotations

import pytest

from tests.e2e.test_app_review import app_url, login, wait  # noqa: F401  (app_url is a fixture)

pytestmark = pytest.mark.e2e


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]


def test_verdict_stays_in_view_while_scrolling_items(page, app_url):  # noqa: F811
    page.set_viewport_size({"width": 1280, "height": 720})
    login(page, app_url)
    page.get_by_role("link", name="Checklist").click()
    total = page.get_by_test_id("stMetric").filter(has_text="Totaal").first
    total.wait_for(timeout=30000)
    items = page.get_by_test_id("stRadio")
    wait(lambda: items.count() > 10, "the checklist items")
    assert in_view(page, total)
    items.last.scroll_into_view_if_needed()
    wait(lambda: in_view(page, items.last), "scrolled to the last item")
    assert not in_view(page, page.get_by_role("heading", name="Checklist").first), "the page did scroll"
    wait(lambda: in_view(page, total), "the totals stay in view")
