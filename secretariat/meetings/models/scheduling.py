"""The date poll (日程調整): candidate slots and each member's ○ / △ / × answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exports.closed_days import closed_reason
from exports.eras import format_datetime
from secretariat.meetings.models.session import TOKYO, Session
from secretariat.validators import validate_era_date


class CandidateSlot(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="slots")
    date = models.DateField(_("候補日"), validators=[validate_era_date])
    start_time = models.TimeField(_("開始時刻"))
    end_time = models.TimeField(_("終了時刻"))

    class Meta:
        verbose_name = _("候補日時")
        verbose_name_plural = _("候補日時")
        ordering = ["session", "date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=models.F("start_time")),
                name="slot_ends_after_start",
                violation_error_message=_("終了時刻は開始時刻より後にしてください。"),
            ),
            models.UniqueConstraint(
                fields=["session", "date", "start_time"],
                name="unique_slot_per_session",
                violation_error_message=_("同じ日時の候補がすでにあります。"),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return format_datetime(self.date, self.start_time, self.end_time)

    @property
    def closed_reason(self) -> str:
        """Why government offices are closed that day (土曜日, 年末年始 …), or ""."""
        return closed_reason(self.date)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.date, self.start_time, tzinfo=TOKYO)

    @property
    def ends_at(self) -> datetime:
        return datetime.combine(self.date, self.end_time, tzinfo=TOKYO)


class SlotAnswer(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", "○"
        MAYBE = "maybe", "△"
        NO = "no", "×"

    invitation = models.ForeignKey(
        "meetings.Invitation", on_delete=models.CASCADE, related_name="slot_answers"
    )
    slot = models.ForeignKey(CandidateSlot, on_delete=models.CASCADE, related_name="answers")
    answer = models.CharField(_("回答"), max_length=5, choices=Answer.choices)
    comment = models.CharField(_("コメント"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("候補日への回答")
        verbose_name_plural = _("候補日への回答")
        constraints = [
            models.UniqueConstraint(fields=["invitation", "slot"], name="one_answer_per_slot")
        ]

    def __str__(self) -> str:
        return f"{self.slot} {self.get_answer_display()}"


@dataclass(frozen=True)
class SlotScore:
    """How well a slot suits the members."""

    slot: CandidateSlot
    must_yes: int  # must-attend members answering ○
    must_maybe: int
    yes: int
    maybe: int
    no: int
    unanswered: int

    @property
    def key(self) -> tuple[int, ...]:
        # Compared field by field: a slot where more must-attend members can come (○ or △)
        # always beats one where fewer can, whatever the head count; earlier slots win ties.
        seconds = self.slot.start_time.hour * 3600 + self.slot.start_time.minute * 60
        return (
            self.must_yes + self.must_maybe,
            self.must_yes,
            self.yes,
            self.maybe,
            -self.no,
            -self.slot.date.toordinal(),
            -seconds,
        )


def score_slots(
    slots: list[CandidateSlot],
    answers: dict[tuple[int, int], str],
    must_attend: set[int],
    invitation_ids: list[int],
) -> list[SlotScore]:
    """Score every slot from the answers keyed by (invitation id, slot id)."""
    scores = []
    for slot in slots:
        counts = {"yes": 0, "maybe": 0, "no": 0, "": 0}
        must = {"yes": 0, "maybe": 0}
        for invitation_id in invitation_ids:
            answer = answers.get((invitation_id, slot.pk), "")
            counts[answer] += 1
            if invitation_id in must_attend and answer in must:
                must[answer] += 1
        scores.append(
            SlotScore(
                slot,
                must["yes"],
                must["maybe"],
                counts["yes"],
                counts["maybe"],
                counts["no"],
                counts[""],
            )
        )
    return scores


def suggested_slot(scores: list[SlotScore]) -> SlotScore | None:
    return max(scores, key=lambda score: score.key, default=None)
