from django.conf import settings
from django.urls import reverse


def test_japanese_by_default_even_for_english_browsers(client, cast):
    response = client.get(reverse("public:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ja"
    assert '<html lang="ja">' in response.content.decode()


def test_the_switch_sets_english(client, cast):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("public:index"))
    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_unknown_language_cookie_falls_back_to_japanese(client, cast):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get(reverse("public:index"))["Content-Language"] == "ja"


def test_the_switch_names_each_language_in_itself(client, cast):
    html = client.get(reverse("public:index")).content.decode()
    assert '<button type="submit" name="language" value="en" lang="en">English</button>' in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("public:index")).content.decode()
    assert 'value="ja" lang="ja">日本語</button>' in html
