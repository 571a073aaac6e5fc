import io

import pytest
from django.core.management import call_command

from secretariat.demo import SLUG
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_reads_the_meeting_list_and_opens_a_session(live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    page.goto(f"{live_server.url}/councils/{SLUG}/meetings/")
    assert page.title().startswith("開催実績")
    rows = page.locator("table.sessions tbody tr")
    assert rows.count() == 5
    assert rows.nth(0).locator("th").inner_text().split() == ["第4回", "平成28年6月30日"]
    assert "平成27年10月8日、9日、14日" in rows.nth(3).inner_text()
    assert rows.nth(4).locator("th").inner_text().split() == ["第1回", "平成27年9月14日"]
    breadcrumbs = page.get_by_role("navigation", name="パンくずリスト")
    assert "公共サービスイノベーション・プラットフォーム" in breadcrumbs.inner_text()
    shot = screenshot(page, "public-meeting-list")
    assert shot.stat().st_size > 10_000

    page.get_by_role("link", name="第1回PF 会議資料").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("第1回")
    links = page.locator("ul.files a").all_inner_texts()
    assert any(text.startswith("資料1") and "(PDF形式:" in text for text in links)
    assert not any("委員限り" in text for text in links)
    screenshot(page, "public-session")


def test_skip_link_is_first_and_moves_focus_to_main(live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    page.goto(f"{live_server.url}/councils/{SLUG}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "本文へ移動"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    screenshot(page, "public-platform")
