from django.urls import path

from secretariat.meetings.views import hearings, mail, replies, scheduling, sessions, site_visits

app_name = "meetings"
urlpatterns = [
    path("", sessions.dashboard, name="dashboard"),
    path("councils/<slug:slug>/sessions/", sessions.platform_sessions, name="platform_sessions"),
    path("councils/<slug:slug>/sessions/new/", sessions.session_create, name="session_create"),
    path("councils/<slug:slug>/mail/", mail.mail_list, name="mail"),
    path("sessions/<id:pk>/", sessions.session_detail, name="session"),
    path("sessions/<id:pk>/edit/", sessions.session_edit, name="session_edit"),
    path("sessions/<id:pk>/agenda/", sessions.agenda_edit, name="agenda_edit"),
    # Hearings
    path("sessions/<id:pk>/presenters/", hearings.presenters, name="presenters"),
    path(
        "sessions/<id:pk>/presenters/requests/",
        hearings.send_upload_requests,
        name="upload_requests",
    ),
    path("presenters/<id:pk>/delete/", hearings.presenter_delete, name="presenter_delete"),
    path("presenters/<id:pk>/link/", hearings.presenter_link, name="presenter_link"),
    # Site visits
    path("sessions/<id:pk>/site-visit/", site_visits.site_visit_edit, name="site_visit"),
    path("stops/<id:pk>/", site_visits.stop_report, name="stop_report"),
    path("photos/<id:pk>/", site_visits.photo_image, name="photo"),
    path("photos/<id:pk>/delete/", site_visits.photo_delete, name="photo_delete"),
    # The date poll
    path("sessions/<id:pk>/poll/", scheduling.poll, name="poll"),
    path("sessions/<id:pk>/poll/slots/", scheduling.slot_add, name="slot_add"),
    path("sessions/<id:pk>/poll/open/", scheduling.poll_open, name="poll_open"),
    path("sessions/<id:pk>/poll/fix/<id:slot_pk>/", scheduling.fix_date, name="fix_date"),
    path("slots/<id:pk>/delete/", scheduling.slot_delete, name="slot_delete"),
    # Invitations and replies
    path("sessions/<id:pk>/replies/", replies.reply_list, name="replies"),
    path("sessions/<id:pk>/replies.xlsx", replies.reply_sheet, name="reply_sheet"),
    path("sessions/<id:pk>/invite/", replies.invite_new_members, name="invite_new_members"),
    path("invitations/<id:pk>/reply/", replies.staff_reply, name="staff_reply"),
    path("invitations/<id:pk>/link/", replies.revoke_link, name="revoke_link"),
    path("invitations/<id:pk>/calendar/", replies.revoke_feed, name="revoke_feed"),
    # On the day
    path("sessions/<id:pk>/checkin/", replies.check_in, name="checkin"),
    path("sessions/<id:pk>/gallery/", replies.gallery_list, name="gallery"),
    # Sent mail
    path("deliveries/<id:pk>/", mail.mail_detail, name="mail_detail"),
    path("deliveries/<id:pk>/invite.ics", mail.mail_ics, name="mail_ics"),
    path("deliveries/<id:pk>/retry/", mail.mail_retry, name="mail_retry"),
]
