"""Site visits (現地視察): the days and the places visited."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from documents.validators import validate_upload
from exports.data import SiteVisitDoc, VisitPhoto, VisitStopLine
from exports.eras import format_date, format_dates, format_time_range
from secretariat.council.models import Membership
from secretariat.meetings.models.session import AgendaItem, Session
from secretariat.validators import MAX_ORDER, validate_era_date

PHOTO_EXTENSIONS = ("jpg", "png")


class SiteVisit(models.Model):
    """A site visit (現地視察): the session of kind site visit, its days and its stops."""

    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="site_visit")
    summary = models.TextField(_("概要"), blank=True)
    reported_at = models.ForeignKey(
        AgendaItem,
        verbose_name=_("報告した議事"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="site_visit_reports",
    )

    class Meta:
        verbose_name = _("現地視察")
        verbose_name_plural = _("現地視察")

    def __str__(self) -> str:
        return f"{self.session.platform} 現地視察"

    def to_report_doc(self) -> SiteVisitDoc:
        """The 現地視察報告: the itinerary, each stop with its findings and photos."""
        days = sorted(day.date for day in self.days.all())
        stops = []
        for stop in self.stops.select_related("day").prefetch_related("members__person", "photos"):
            people = [m.display_name for m in stop.members.all()]
            people += [name.strip() for name in stop.secretariat.split("、") if name.strip()]
            photos = []
            for photo in stop.photos.all():
                with photo.image.open("rb") as image:
                    photos.append(VisitPhoto(image.read(), photo.caption))
            stops.append(
                VisitStopLine(
                    day=format_date(stop.day.date, weekday=True) if stop.day else "",
                    time=format_time_range(stop.start_time, stop.end_time),
                    place=f"{stop.prefecture}{stop.municipality}",
                    host=stop.host,
                    theme=stop.theme,
                    participants=tuple(people),
                    findings=stop.findings,
                    photos=tuple(photos),
                )
            )
        reported = self.reported_at.session if self.reported_at else None
        reported_at = (
            f"{reported.title}（{format_date(reported.date)}）"
            if reported and reported.date
            else ""
        )
        return SiteVisitDoc(
            platform_name=self.session.platform.name,
            days=format_dates(days),
            summary=self.summary or self.session.topics,
            stops=tuple(stops),
            reported_at=reported_at,
        )

    def clean(self) -> None:
        if self.session_id and not self.session.is_site_visit:
            raise ValidationError({"session": _("種類が「現地視察」の会議を選んでください。")})


class SiteVisitDay(models.Model):
    site_visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("日付"), validators=[validate_era_date])

    class Meta:
        verbose_name = _("視察日")
        verbose_name_plural = _("視察日")
        ordering = ["site_visit", "date"]
        constraints = [
            models.UniqueConstraint(fields=["site_visit", "date"], name="unique_site_visit_day")
        ]

    def __str__(self) -> str:
        return format_date(self.date, weekday=True)


class SiteVisitStop(models.Model):
    site_visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="stops")
    day = models.ForeignKey(
        SiteVisitDay,
        verbose_name=_("視察日"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stops",
    )
    order = models.PositiveSmallIntegerField(
        _("順番"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )
    prefecture = models.CharField(_("都道府県"), max_length=10)
    municipality = models.CharField(_("市区町村"), max_length=50)
    host = models.CharField(_("訪問先"), max_length=200, blank=True)
    theme = models.CharField(_("テーマ"), max_length=200, blank=True)
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    members = models.ManyToManyField(
        Membership, verbose_name=_("参加した構成員"), blank=True, related_name="site_visit_stops"
    )
    secretariat = models.CharField(
        _("参加した事務局"), max_length=300, blank=True, help_text=_("氏名を「、」で区切って入力")
    )
    findings = models.TextField(_("視察で得られた知見"), blank=True)

    class Meta:
        verbose_name = _("視察先")
        verbose_name_plural = _("視察先")
        ordering = ["site_visit", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.municipality}"


def photo_name(instance: SiteVisitPhoto, filename: str) -> str:
    # Never the uploaded name on disk.
    return f"site-visits/{uuid.uuid4().hex}.{instance.extension}"


class SiteVisitPhoto(models.Model):
    stop = models.ForeignKey(SiteVisitStop, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("写真"), upload_to=photo_name, max_length=200)
    extension = models.CharField(max_length=10)
    caption = models.CharField(_("説明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(
        _("順番"), default=0, validators=[MaxValueValidator(MAX_ORDER)]
    )

    class Meta:
        verbose_name = _("視察の写真")
        verbose_name_plural = _("視察の写真")
        ordering = ["stop", "order", "pk"]

    def __str__(self) -> str:
        return self.caption or str(self.stop)

    def attach(self, upload: UploadedFile) -> None:
        """Take an uploaded photo: JPEG or PNG by its content, whatever its name says."""
        extension = validate_upload(upload)
        if extension not in PHOTO_EXTENSIONS:
            raise ValidationError(_("写真はJPEGまたはPNGの画像にしてください。"), code="not_image")
        self.extension = extension
        self.image = upload
