"""The staff's hearing screens: the presenters page (timetable, who presents, their upload
status), adding and deleting presenters, revoking and reissuing a personal upload link,
and sending the upload requests."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from secretariat.meetings.models import AgendaItem, Presenter
from secretariat.tokens import BadLink
from tests import factories as f

DEADLINE = datetime.fromisoformat("2015-09-07T17:00+09:00")


@pytest.fixture
def hearing(cast):
    """第1回 (cast.published) with a hearing item and presenters of the three kinds."""
    session = cast.published
    opening = f.make_agenda_item(session, "開会", order=1, kind=AgendaItem.Kind.OPENING, minutes=5)
    item = f.make_agenda_item(
        session, "関係省庁ヒアリング", order=2, kind=AgendaItem.Kind.HEARING, minutes=60
    )
    soumu = f.make_organisation("総務省")
    presenters = {
        "member": Presenter.objects.create(agenda_item=item, membership=cast.member, order=1),
        "ministry": Presenter.objects.create(
            agenda_item=item,
            organisation=soumu,
            name="山田　太郎",
            title="自治行政局長",
            email="soumu@example.jp",
            upload_deadline=DEADLINE,
            order=2,
        ),
        "expert": Presenter.objects.create(
            agenda_item=item, name="田中　一郎", title="慶應義塾大学教授", order=3
        ),
    }
    return {"session": session, "opening": opening, "item": item, "soumu": soumu, **presenters}


def _url(session):
    return reverse("meetings:presenters", args=[session.pk])


def _page(client, session):
    response = client.get(_url(session))
    assert response.status_code == 200
    return response.content.decode()


def _form(item, **fields):
    data = {
        "agenda_item": str(item.pk),
        "membership": "",
        "organisation": "",
        "name": "",
        "title": "",
        "email": "",
        "upload_deadline": "",
        "order": "0",
    }
    return data | fields


# --- display names ---------------------------------------------------------------------


def test_display_names_of_the_three_kinds(hearing):
    assert hearing["member"].display_name == "武山委員"
    assert hearing["ministry"].display_name == "総務省 自治行政局長 山田　太郎"
    assert hearing["expert"].display_name == "慶應義塾大学教授 田中　一郎"


def test_display_name_of_a_member_that_is_an_organisation(cast, hearing):
    chiji = f.make_membership(
        cast.platform, cast.member.category, organisation=f.make_organisation("全国知事会")
    )
    presenter = Presenter.objects.create(agenda_item=hearing["item"], membership=chiji)
    assert presenter.display_name == "全国知事会"


def test_a_ministry_without_its_official_is_named_by_the_ministry(hearing):
    presenter = Presenter.objects.create(
        agenda_item=hearing["item"], organisation=f.make_organisation("国土交通省")
    )
    assert presenter.display_name == "国土交通省"


def test_recipient_is_the_presenters_address_or_the_members(hearing):
    assert hearing["member"].recipient == "takeyama@example.jp"
    assert hearing["ministry"].recipient == "soumu@example.jp"
    assert hearing["expert"].recipient == ""


# --- the page ---------------------------------------------------------------------------


def test_shows_the_timetable_and_the_presenters(client, cast, hearing, time_machine):
    time_machine.move_to("2015-09-01 10:00 +0900", tick=False)  # before the deadline
    client.force_login(cast.clerk)
    html = _page(client, hearing["session"])
    assert "10:05～11:05" in html
    for name in ("武山委員", "総務省 自治行政局長 山田　太郎", "慶應義塾大学教授 田中　一郎"):
        assert html.count(name) == 2, name  # in the timetable and in the presenters' table
    # The expert has no address: staff see it before sending.
    assert html.count("メールアドレス未登録") == 1
    assert "平成27年9月7日（月） 17:00" in html
    assert html.count("未依頼</td>") == 3
    assert "説明者を追加" in html
    assert reverse("meetings:upload_requests", args=[hearing["session"].pk]) in html


def test_upload_status_of_each_presenter(client, cast, hearing, time_machine):
    time_machine.move_to("2015-09-08 09:00 +0900", tick=False)  # after the ministry's deadline
    member, ministry, expert = hearing["member"], hearing["ministry"], hearing["expert"]
    member.requested_at = DEADLINE
    member.save()
    ministry.requested_at = DEADLINE
    ministry.reminded_at = DEADLINE
    ministry.save()
    late = Presenter.objects.create(
        agenda_item=hearing["item"], name="佐藤　次郎", upload_deadline=DEADLINE
    )
    expert.revoked_at = DEADLINE
    expert.save()
    client.force_login(cast.clerk)
    html = _page(client, hearing["session"])
    assert "依頼済み・未提出" in html  # the member: no deadline
    assert html.count("期限切れ・未提出") == 2  # the ministry and 佐藤
    assert html.count("督促済み") == 1  # only the ministry was reminded
    assert "リンク無効" in html
    assert "リンクを再発行" in html
    assert late.display_name in html


def test_an_uploaded_material_is_shown_instead_of_the_flag(client, cast, hearing, time_machine):
    time_machine.move_to("2015-09-08 09:00 +0900", tick=False)
    f.make_material(
        hearing["session"],
        label="資料5",
        title="総務省提出資料",
        agenda_item=hearing["item"],
        presenter=hearing["ministry"],
    )
    client.force_login(cast.clerk)
    html = _page(client, hearing["session"])
    assert "資料5 総務省提出資料" in html
    assert "期限切れ・未提出" not in html


def test_the_page_reads_in_the_same_queries_for_one_presenter_or_many(client, cast, hearing):
    client.force_login(cast.clerk)
    url = _url(hearing["session"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    item = hearing["item"]
    for n in range(5):
        person = f.make_person("委員", f"{n}", "いいん", "いち", email=f"m{n}@example.jp")
        membership = f.make_membership(cast.platform, cast.member.category, person)
        Presenter.objects.create(agenda_item=item, membership=membership)
        Presenter.objects.create(
            agenda_item=item, organisation=f.make_organisation(f"省{n}"), name=f"職員{n}"
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_viewer_sees_the_page_without_the_controls(client, cast, hearing):
    client.force_login(cast.viewer)
    html = _page(client, hearing["session"])
    assert "総務省 自治行政局長 山田　太郎" in html
    assert "説明者を追加" not in html
    assert "リンクを無効化" not in html
    assert reverse("meetings:upload_requests", args=[hearing["session"].pk]) not in html


# --- adding presenters ------------------------------------------------------------------


def test_adds_a_member(client, cast, hearing):
    client.force_login(cast.clerk)
    data = _form(hearing["opening"], membership=str(cast.member.pk), order="1")
    response = client.post(_url(hearing["session"]), data)
    assert response.status_code == 302
    assert response.url == _url(hearing["session"])
    presenter = hearing["opening"].presenters.get()
    assert presenter.membership == cast.member
    assert presenter.display_name == "武山委員"
    assert presenter.requested_at is None
    assert presenter.revoked_at is None
    assert presenter.nonce
    assert "説明者を登録しました。" in _page(client, hearing["session"])


def test_adds_a_ministry_with_its_official(client, cast, hearing):
    client.force_login(cast.clerk)
    data = _form(
        hearing["opening"],
        organisation=str(hearing["soumu"].pk),
        name="鈴木　花子",
        title="大臣官房審議官",
        email="suzuki@example.jp",
        upload_deadline="2015-09-10T12:00",
    )
    assert client.post(_url(hearing["session"]), data).status_code == 302
    presenter = hearing["opening"].presenters.get()
    assert presenter.organisation == hearing["soumu"]
    assert presenter.display_name == "総務省 大臣官房審議官 鈴木　花子"
    assert presenter.recipient == "suzuki@example.jp"
    # Entered in Tokyo time.
    assert presenter.upload_deadline == datetime.fromisoformat("2015-09-10T12:00+09:00")


def test_adds_an_outside_expert(client, cast, hearing):
    client.force_login(cast.clerk)
    data = _form(hearing["opening"], name="高橋　進", title="日本総合研究所理事長")
    assert client.post(_url(hearing["session"]), data).status_code == 302
    presenter = hearing["opening"].presenters.get()
    assert presenter.membership is None
    assert presenter.organisation is None
    assert presenter.display_name == "日本総合研究所理事長 高橋　進"


def test_a_presenter_must_be_someone(client, cast, hearing):
    client.force_login(cast.clerk)
    response = client.post(_url(hearing["session"]), _form(hearing["opening"], title="局長"))
    assert response.status_code == 200
    assert "構成員、府省庁・団体、氏名のいずれかを入力してください。" in response.content.decode()
    assert not hearing["opening"].presenters.exists()


def test_an_agenda_item_of_another_session_is_refused(client, cast, hearing):
    other_item = f.make_agenda_item(cast.draft, "第2回の議事")
    client.force_login(cast.clerk)
    response = client.post(_url(hearing["session"]), _form(other_item, name="高橋　進"))
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert not Presenter.objects.filter(name="高橋　進").exists()


def test_a_member_of_another_platform_is_refused(client, cast, hearing):
    stranger = f.make_membership(
        cast.other_platform,
        f.make_category(cast.other_platform),
        f.make_person("別所", "一", "べっしょ", "はじめ"),
    )
    client.force_login(cast.clerk)
    data = _form(hearing["opening"], membership=str(stranger.pk))
    response = client.post(_url(hearing["session"]), data)
    assert response.status_code == 200
    assert "正しく選択してください。" in response.content.decode()
    assert not hearing["opening"].presenters.exists()


def test_viewer_cannot_add(client, cast, hearing):
    client.force_login(cast.viewer)
    response = client.post(_url(hearing["session"]), _form(hearing["opening"], name="高橋　進"))
    assert response.status_code == 403
    assert not hearing["opening"].presenters.exists()


def test_other_platforms_staff_get_404(client, cast, hearing):
    client.force_login(cast.other_clerk)
    assert client.get(_url(hearing["session"])).status_code == 404
    response = client.post(_url(hearing["session"]), _form(hearing["opening"], name="高橋　進"))
    assert response.status_code == 404
    assert not hearing["opening"].presenters.exists()


def test_anonymous_is_sent_to_login(client, hearing):
    url = _url(hearing["session"])
    for response in (client.get(url), client.post(url, _form(hearing["opening"], name="高橋"))):
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"
    assert not hearing["opening"].presenters.exists()


def test_wrong_method(client, cast, hearing):
    client.force_login(cast.clerk)
    assert client.put(_url(hearing["session"])).status_code == 405


# --- deleting a presenter ---------------------------------------------------------------


def _delete_url(presenter):
    return reverse("meetings:presenter_delete", args=[presenter.pk])


def test_deletes_a_presenter(client, cast, hearing):
    client.force_login(cast.clerk)
    response = client.post(_delete_url(hearing["expert"]))
    assert response.status_code == 302
    assert response.url == _url(hearing["session"])
    assert not Presenter.objects.filter(pk=hearing["expert"].pk).exists()
    assert hearing["item"].presenters.count() == 2
    assert "説明者を削除しました。" in _page(client, hearing["session"])


def test_a_presenter_with_materials_is_kept(client, cast, hearing):
    material = f.make_material(
        hearing["session"], label="資料5", agenda_item=hearing["item"], presenter=hearing["expert"]
    )
    client.force_login(cast.clerk)
    response = client.post(_delete_url(hearing["expert"]))
    assert response.status_code == 302
    assert Presenter.objects.filter(pk=hearing["expert"].pk).exists()
    material.refresh_from_db()
    assert material.presenter == hearing["expert"]
    html = _page(client, hearing["session"])
    assert "提出された資料がある説明者は削除できません。先に資料を整理してください。" in html


def test_delete_refuses_get_viewer_other_platform_and_anonymous(client, cast, hearing):
    url = _delete_url(hearing["expert"])
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    assert Presenter.objects.filter(pk=hearing["expert"].pk).exists()


# --- revoking and reissuing the upload link ---------------------------------------------


def _link_url(presenter):
    return reverse("meetings:presenter_link", args=[presenter.pk])


def test_revokes_and_reissues_the_link(client, cast, hearing, time_machine):
    time_machine.move_to("2015-09-01 10:00 +0900", tick=False)
    ministry = hearing["ministry"]
    ministry.requested_at = DEADLINE
    ministry.save()
    old_token = ministry.token
    client.force_login(cast.clerk)

    response = client.post(_link_url(ministry))
    assert response.status_code == 302
    assert response.url == _url(hearing["session"])
    ministry.refresh_from_db()
    assert ministry.revoked_at == datetime.fromisoformat("2015-09-01T10:00+09:00")
    with pytest.raises(BadLink, match="このリンクは無効になっています。"):
        Presenter.from_token(old_token)
    html = _page(client, hearing["session"])
    assert "提出用リンクを無効にしました。" in html
    assert "リンク無効" in html

    old_nonce = ministry.nonce
    assert client.post(_link_url(ministry)).status_code == 302
    ministry.refresh_from_db()
    assert ministry.revoked_at is None
    assert ministry.requested_at is None  # goes out again with the next requests
    assert ministry.nonce != old_nonce
    with pytest.raises(BadLink):
        Presenter.from_token(old_token)  # the old link stays dead
    assert Presenter.from_token(ministry.token) == ministry
    html = _page(client, hearing["session"])
    assert "提出用リンクを新しく発行しました。依頼を送ると新しいリンクが届きます。" in html


def test_link_refuses_get_viewer_other_platform_and_anonymous(client, cast, hearing):
    ministry = hearing["ministry"]
    url = _link_url(ministry)
    client.force_login(cast.clerk)
    assert client.get(url).status_code == 405
    client.force_login(cast.viewer)
    assert client.post(url).status_code == 403
    client.force_login(cast.other_clerk)
    assert client.post(url).status_code == 404
    client.logout()
    response = client.post(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"
    ministry.refresh_from_db()
    assert ministry.revoked_at is None
    assert Presenter.from_token(ministry.token) == ministry


# --- sending the requests ---------------------------------------------------------------


def _requests_url(session):
    return reverse("meetings:upload_requests", args=[session.pk])


def test_sends_the_requests_and_names_those_without_an_address(
    client, cast, hearing, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to("2015-09-01 10:00 +0900", tick=False)  # before the deadline
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(_requests_url(hearing["session"]))
    assert response.status_code == 302
    assert response.url == _url(hearing["session"])
    assert len(callbacks) == 1  # one job for the session
    assert sorted(m.to[0] for m in mail.outbox) == ["soumu@example.jp", "takeyama@example.jp"]
    for key in ("member", "ministry"):
        hearing[key].refresh_from_db()
        assert hearing[key].requested_at is not None
    hearing["expert"].refresh_from_db()
    assert hearing["expert"].requested_at is None
    html = _page(client, hearing["session"])
    assert "2件の資料提出依頼を送ります。" in html
    assert "メールアドレスがないため送れませんでした: 慶應義塾大学教授 田中　一郎" in html
    assert html.count("依頼済み・未提出") == 2
    assert html.count("未依頼</td>") == 1


def test_sending_again_reaches_only_the_new_presenters(
    client, cast, hearing, django_capture_on_commit_callbacks
):
    client.force_login(cast.clerk)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_requests_url(hearing["session"]))
    mail.outbox.clear()
    Presenter.objects.create(
        agenda_item=hearing["item"], name="佐藤　次郎", email="sato@example.jp"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_requests_url(hearing["session"]))
    assert [m.to for m in mail.outbox] == [["sato@example.jp"]]
    assert "1件の資料提出依頼を送ります。" in _page(client, hearing["session"])


def test_requests_refuse_get_viewer_other_platform_and_anonymous(
    client, cast, hearing, django_capture_on_commit_callbacks
):
    url = _requests_url(hearing["session"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.force_login(cast.clerk)
        assert client.get(url).status_code == 405
        client.force_login(cast.viewer)
        assert client.post(url).status_code == 403
        client.force_login(cast.other_clerk)
        assert client.post(url).status_code == 404
        client.logout()
        response = client.post(url)
        assert response.status_code == 302
        assert response.url == f"{reverse('login')}?next={url}"
    assert not callbacks
    assert not mail.outbox
    assert not Presenter.objects.filter(requested_at__isnull=False).exists()
