from secretariat.meetings.models.attendance import Attendance, GalleryRegistration
from secretariat.meetings.models.hearing import Presenter
from secretariat.meetings.models.invitation import CalendarFeed, Delivery, Invitation
from secretariat.meetings.models.scheduling import (
    CandidateSlot,
    SlotAnswer,
    SlotScore,
    score_slots,
    suggested_slot,
)
from secretariat.meetings.models.session import TOKYO, AgendaItem, Session, TimetableRow
from secretariat.meetings.models.site_visit import (
    SiteVisit,
    SiteVisitDay,
    SiteVisitPhoto,
    SiteVisitStop,
)

__all__ = [
    "TOKYO",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "CandidateSlot",
    "Delivery",
    "GalleryRegistration",
    "Invitation",
    "Presenter",
    "Session",
    "SiteVisit",
    "SiteVisitDay",
    "SiteVisitPhoto",
    "SiteVisitStop",
    "SlotAnswer",
    "SlotScore",
    "TimetableRow",
    "score_slots",
    "suggested_slot",
]
