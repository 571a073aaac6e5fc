from django.urls import reverse


def test_the_workbook_section_is_in_the_page_not_in_its_title(client, cast):
    client.force_login(cast.clerk)
    html = client.get(reverse("meetings:platform_sessions", args=["pf"])).content.decode()
    title = html[html.index("<title>") : html.index("</title>")]
    assert "<section" not in title
    assert html.count('id="records-heading"') == 1
    assert html.index('id="records-heading"') > html.index("<main")
