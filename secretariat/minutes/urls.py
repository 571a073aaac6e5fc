from django.urls import path

from secretariat.minutes import views

app_name = "minutes"
urlpatterns = [
    path("staff/sessions/<id:pk>/minutes/", views.editor, name="editor"),
    path("staff/sessions/<id:pk>/minutes/transcript/", views.import_transcript, name="transcript"),
    path("staff/sessions/<id:pk>/minutes/confirmation/", views.confirmation, name="confirmation"),
    path("staff/sessions/<id:pk>/minutes/approve/", views.approve, name="approve"),
    path("staff/sessions/<id:pk>/minutes/revise/", views.start_revision, name="revise"),
    path("staff/sessions/<id:pk>/minutes/history/", views.revision_list, name="revisions"),
    path("staff/proposals/<id:pk>/decide/<flag:accept>/", views.decide, name="decide"),
    path("staff/councils/<slug:slug>/follow-ups/", views.follow_ups, name="follow_ups"),
    path("staff/follow-ups/<id:pk>/edit/", views.follow_up_edit, name="follow_up_edit"),
    path("staff/follow-ups/<id:pk>/delete/", views.follow_up_delete, name="follow_up_delete"),
    # The speaker's personal link (no login)
    path("c/<str:token>/", views.confirm, name="confirm"),
]
