from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from secretariat.meetings.actions import save_session
from secretariat.meetings.models import Session, SiteVisit
from tests import factories as f
from tests.base import DATE_RANGE_ERROR


def test_number_taken_twice_is_refused_in_japanese(cast):
    duplicate = Session(platform=cast.platform, number=1, topics="重複")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "この回数の会議はすでにあります。" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # The same number on another platform is fine.
    Session(platform=cast.other_platform, number=1, topics="別の会議体").full_clean()


def test_end_before_start_is_refused(cast):
    session = Session(
        platform=cast.platform,
        topics="x",
        date=date(2025, 1, 6),
        start_time=time(11),
        end_time=time(10),
    )
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "終了時刻は開始時刻より後にしてください。" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_a_date_outside_every_era_is_refused(cast):
    session = Session(platform=cast.platform, topics="x", date=date(1800, 1, 1))
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert DATE_RANGE_ERROR in str(error.value)


def test_times_are_tokyo_wall_clock(cast):
    session = f.make_session(cast.platform, date=date(2025, 4, 1), start_time=time(8, 30))
    assert session.starts_at.isoformat() == "2025-04-01T08:30:00+09:00"
    assert session.when == "令和7年4月1日（火）08:30～11:30"


def test_save_session_numbers_scheduled_sessions_only(cast):
    planned = save_session(session=Session(platform=cast.platform, topics="調整中"))
    assert planned.number is None
    assert planned.title == "次回会合（日程調整中）"
    planned.status = Session.Status.SCHEDULED
    planned.date = date(2026, 12, 1)
    save_session(session=planned)
    assert planned.number == 3  # after 第1回 and 第2回 of the cast
    visit = save_session(
        session=Session(
            platform=cast.platform,
            kind=Session.Kind.SITE_VISIT,
            topics="視察",
            status=Session.Status.SCHEDULED,
            date=date(2026, 12, 2),
        )
    )
    assert visit.number is None
    assert SiteVisit.objects.filter(session=visit).exists()


def test_queryset_public_is_announced_sessions_of_public_platforms(cast):
    scheduled = f.make_session(cast.platform, status=Session.Status.SCHEDULED)
    f.make_session(cast.platform, status=Session.Status.CANCELLED, number=None)
    # Published, held (the draft) and scheduled are announced; planned and cancelled not.
    assert set(Session.objects.public()) == {cast.published, cast.draft, scheduled}
    cast.platform.is_public = False
    cast.platform.save()
    assert list(Session.objects.public()) == []


def test_cancelling_before_scheduling_gives_no_number(cast):
    session = save_session(session=Session(platform=cast.platform, topics="取りやめ"))
    session.status = Session.Status.CANCELLED
    save_session(session=session)
    assert session.number is None


def test_number_zero_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        Session(platform=cast.platform, number=0, topics="x").full_clean()
    assert "number" in error.value.message_dict


@pytest.mark.parametrize(
    ("model", "field"),
    [("membership", "start_date"), ("membership", "end_date"), ("material", "public_from")],
)
def test_dates_outside_every_era_are_refused_on_the_models(cast, model, field):
    obj = cast.member if model == "membership" else cast.public_later
    setattr(obj, field, date(1800, 1, 1))
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert DATE_RANGE_ERROR in error.value.message_dict[field][0]
