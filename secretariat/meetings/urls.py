from django.urls import path

from secretariat.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("councils/<slug:slug>/sessions/", views.platform_sessions, name="platform_sessions"),
    path("councils/<slug:slug>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/agenda/", views.agenda_edit, name="agenda_edit"),
]
