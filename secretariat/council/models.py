"""The council itself: the platform, its members and who on the secretariat runs it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports.closed_days import add_open_days
from exports.data import Roster, RosterCategory, RosterGroup, RosterMember
from exports.kana import person_sort_key
from secretariat.validators import (
    DATE_MAX,
    DATE_MIN,
    MAX_DAYS,
    MAX_ORDER,
    validate_era_date,
    validate_kana,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


class PlatformQuerySet(models.QuerySet["Platform"]):
    def public(self) -> PlatformQuerySet:
        return self.filter(is_public=True)

    def for_staff(self, user: AbstractBaseUser | AnonymousUser) -> PlatformQuerySet:
        """The platforms a user may see on the staff side: all for superusers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(staff_assignments__user=user).distinct()

    def editable_by(self, user: AbstractBaseUser | AnonymousUser) -> PlatformQuerySet:
        """The platforms whose data a user may change: editor role, or a superuser."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(
            staff_assignments__user=user, staff_assignments__role=StaffAssignment.Role.EDITOR
        ).distinct()


class Platform(models.Model):
    class DayBasis(models.TextChoices):
        CALENDAR = "calendar", _("暦日")
        WORKING = "working", _("開庁日")

    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("略称"), max_length=50, blank=True)
    slug = models.SlugField(_("公開URL名"), unique=True, help_text=_("公開ページのURLに使う英数字"))
    established_on = models.DateField(
        _("設置日"), null=True, blank=True, validators=[validate_era_date]
    )
    purpose = models.TextField(_("設置の趣旨"), blank=True)
    introduction = models.TextField(_("概要"), blank=True)
    parent_bodies = models.TextField(
        _("上位の会議体"), blank=True, help_text=_("1行に1つ、上位から順に")
    )
    secretariat_office = models.CharField(_("事務局"), max_length=200, blank=True)
    secretariat_contact = models.TextField(_("問い合わせ先"), blank=True)
    members_note = models.TextField(_("構成員に関する注記"), blank=True)
    is_public = models.BooleanField(_("公開サイトに掲載する"), default=False)
    secretariat_email = models.EmailField(
        _("事務局のメールアドレス"),
        blank=True,
        help_text=_(
            "開催案内の差出人・主催者。出欠の返信が届く、確認されている宛先にしてください。"
        ),
    )
    allows_observers = models.BooleanField(_("傍聴を受け付ける"), default=False)
    reminder_days_before = models.PositiveSmallIntegerField(
        _("出欠の督促（回答期限の何日前）"), default=3, validators=[MaxValueValidator(MAX_DAYS)]
    )

    # Publication policy: the council's own rules, not law (the national rule says 速やかに).
    summary_due_days = models.PositiveSmallIntegerField(
        _("議事要旨の公表期限（日）"), default=7, validators=[MaxValueValidator(MAX_DAYS)]
    )
    minutes_due_days = models.PositiveSmallIntegerField(
        _("議事録の公表期限（日）"), default=30, validators=[MaxValueValidator(MAX_DAYS)]
    )
    due_day_basis = models.CharField(
        _("期限の数え方"), max_length=10, choices=DayBasis.choices, default=DayBasis.CALENDAR
    )
    summary_names_speakers = models.BooleanField(_("議事要旨に発言者名を記載する"), default=False)
    minutes_name_speakers = models.BooleanField(_("議事録に発言者名を記載する"), default=True)
    silence_is_consent = models.BooleanField(
        _("確認依頼に期限までに回答がなければ了承とみなす"), default=False
    )

    objects = PlatformQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議体")
        verbose_name_plural = _("会議体")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def due_date(self, held_on: date, days: int) -> date:
        """A publication deadline counted in the platform's way (暦日 or 開庁日)."""
        if self.due_day_basis == self.DayBasis.WORKING:
            return add_open_days(held_on, days)
        return held_on + timedelta(days=days)

    @property
    def parent_body_list(self) -> list[str]:
        return [line.strip() for line in self.parent_bodies.splitlines() if line.strip()]

    def to_roster(self, on: date) -> Roster:
        """The member list (構成員) in force on a day: categories in order, office-holders
        first, then 五十音順 or the listed order as each category says."""
        memberships = list(
            self.memberships.current(on)
            .select_related("person", "organisation", "category")
            .prefetch_related("themes")
        )
        categories = []
        for number, category in enumerate(self.categories.all(), start=1):
            by_reading = category.member_ordering == MemberCategory.Ordering.GOJUON
            members = sorted(
                (m for m in memberships if m.category_id == category.pk),
                key=lambda m: m.sort_key(by_reading),
            )
            if not members:
                continue
            # A ministry may sit under several themes and is then listed under each.
            themes = sorted(
                {t for m in members for t in m.themes.all()}, key=lambda t: (t.order, t.pk)
            )
            unthemed = tuple(m.to_roster_member() for m in members if not m.themes.all())
            groups = ((RosterGroup("", unthemed),) if unthemed else ()) + tuple(
                RosterGroup(
                    t.name, tuple(m.to_roster_member() for m in members if t in m.themes.all())
                )
                for t in themes
            )
            note = "（五十音順、敬称略）" if by_reading else "（敬称略）"
            categories.append(RosterCategory(number, category.name, note, groups))
        return Roster(self.name, on, tuple(categories), self.members_note)


class StaffAssignment(models.Model):
    """A secretariat user's place on a platform; editors change, viewers only read."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("編集")
        VIEWER = "viewer", _("閲覧のみ")

    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_assignments"
    )
    role = models.CharField(_("権限"), max_length=10, choices=Role.choices, default=Role.EDITOR)

    class Meta:
        verbose_name = _("事務局担当者")
        verbose_name_plural = _("事務局担当者")
        constraints = [
            models.UniqueConstraint(fields=["platform", "user"], name="unique_staff_per_platform")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.platform}"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("府省庁")
        ASSOCIATION = "association", _("地方団体の連合組織")
        PREFECTURE = "prefecture", _("都道府県")
        MUNICIPALITY = "municipality", _("市区町村")
        COMPANY = "company", _("企業")
        UNIVERSITY = "university", _("大学")
        OTHER = "other", _("その他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    prefecture = models.CharField(_("都道府県"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.MUNICIPALITY and not self.prefecture:
            raise ValidationError({"prefecture": _("市区町村には都道府県を入力してください。")})


class Person(models.Model):
    """A person with the reading staff entered: never guessed from kanji (大谷: おおや/おおたに).

    One row may stand for one human on several platforms (their memberships share it), but
    a platform's staff change it only for their own platforms: an edit that would reach
    another platform's memberships is written to a copy instead (see
    council.actions.save_membership).
    """

    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50)
    family_name_kana = models.CharField(_("姓（よみ）"), max_length=100, validators=[validate_kana])
    given_name_kana = models.CharField(_("名（よみ）"), max_length=100, validators=[validate_kana])
    title = models.CharField(_("役職"), max_length=200, blank=True)
    affiliation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("人物")
        verbose_name_plural = _("人物")
        ordering = ["family_name_kana", "given_name_kana"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(family_name="") & ~Q(given_name=""), name="person_has_name"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        # Family and given name separated by a full-width space, as 名簿 write them.
        return f"{self.family_name}\u3000{self.given_name}"

    @property
    def sort_key(self) -> tuple[object, ...]:
        return person_sort_key(self.family_name_kana, self.given_name_kana)


class MemberCategory(models.Model):
    class Ordering(models.TextChoices):
        GOJUON = "gojuon", _("五十音順")
        LISTED = "listed", _("表示順（役職順など）")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("区分名"), max_length=100)
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )
    member_ordering = models.CharField(
        _("区分内の並び"), max_length=10, choices=Ordering.choices, default=Ordering.GOJUON
    )

    class Meta:
        verbose_name = _("構成員区分")
        verbose_name_plural = _("構成員区分")
        ordering = ["platform", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("テーマ"), max_length=100)
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )

    class Meta:
        verbose_name = _("テーマ")
        verbose_name_plural = _("テーマ")
        ordering = ["platform", "order", "pk"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("座長")
        VICE_CHAIR = "vice_chair", _("座長代理")
        MEMBER = "member", _("構成員")
        OBSERVER = "observer", _("オブザーバー")

    # Office-holders come first in every list, then the category's own order.
    ROLE_RANK = {Role.CHAIR: 0, Role.VICE_CHAIR: 1, Role.MEMBER: 2, Role.OBSERVER: 3}
    ROLE_MARK = {Role.CHAIR: "◎", Role.VICE_CHAIR: "○"}

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="memberships")
    category = models.ForeignKey(
        MemberCategory, verbose_name=_("区分"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人物"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("代表する組織"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text=_("全国知事会など、組織として参加する場合"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    must_attend = models.BooleanField(
        _("必ず出席を求める"),
        default=False,
        help_text=_("日程調整で、この人が出られない候補日は推薦しません（座長、大臣など）。"),
    )
    contact_email = models.EmailField(
        _("連絡先メールアドレス"),
        blank=True,
        help_text=_("秘書・事務担当など、本人以外に案内を送る場合。空欄なら本人のアドレス。"),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("テーマ"), blank=True)
    start_date = models.DateField(
        _("開始日"), null=True, blank=True, validators=[validate_era_date]
    )
    end_date = models.DateField(_("終了日"), null=True, blank=True, validators=[validate_era_date])
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("構成員")
        verbose_name_plural = _("構成員")
        ordering = ["platform", "category__order", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organisation__isnull=False),
                name="membership_has_person_or_organisation",
                violation_error_message=_("人物か組織のどちらかを指定してください。"),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("終了日は開始日より後にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if self.category_id and self.platform_id and self.category.platform_id != self.platform_id:
            raise ValidationError({"category": _("この会議体の区分を選んでください。")})

    @property
    def display_name(self) -> str:
        """全国知事会（中村　時広 愛媛県知事）, 髙鳥　修一 内閣府副大臣, or 総務省."""
        if self.person and self.organisation:
            person = f"{self.person.full_name} {self.person.title}".strip()
            return f"{self.organisation.name}（{person}）"
        if self.person:
            return self.person.full_name
        assert self.organisation is not None
        return self.organisation.name

    def has_ended(self, on: date) -> bool:
        """A former member: their personal links and calendar no longer open anything."""
        return self.end_date is not None and self.end_date < on

    def has_started(self, on: date) -> bool:
        return self.start_date is None or self.start_date <= on

    @property
    def email(self) -> str:
        """Where invitations go: the office contact if any, else the person."""
        return self.contact_email or (self.person.email if self.person else "")

    @property
    def role_mark(self) -> str:
        return self.ROLE_MARK.get(self.role, "")

    def to_roster_member(self) -> RosterMember:
        title = self.person.title if self.person and not self.organisation else ""
        office = self.get_role_display() if self.role_mark else ""
        return RosterMember(self.display_name, title, self.role_mark, str(office))

    def sort_key(self, by_reading: bool) -> tuple[object, ...]:
        rank = self.ROLE_RANK[self.Role(self.role)]
        if by_reading and self.person:
            return (rank, self.person.sort_key, self.order)
        return (rank, (), self.order, self.pk or 0)


class Project(models.Model):
    """A municipality paired with a company for a fiscal year (PFのプロジェクト)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="projects")
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度（西暦の開始年）"),
        validators=[MinValueValidator(DATE_MIN.year), MaxValueValidator(DATE_MAX.year)],
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("自治体"),
        on_delete=models.PROTECT,
        related_name="projects_as_municipality",
    )
    company = models.ForeignKey(
        Organisation,
        verbose_name=_("企業等"),
        on_delete=models.PROTECT,
        related_name="projects_as_company",
    )
    description = models.TextField(_("内容"))
    order = models.PositiveSmallIntegerField(
        _("表示順"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )

    class Meta:
        verbose_name = _("プロジェクト")
        verbose_name_plural = _("プロジェクト")
        ordering = ["platform", "-fiscal_year", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.municipality}&{self.company}"
