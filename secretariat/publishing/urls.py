from django.urls import path

from secretariat.publishing import views

app_name = "publishing"
urlpatterns = [
    path("sessions/<int:pk>/publishing/", views.session_publishing, name="session"),
    path("sessions/<int:pk>/publishing/publish/", views.publish_session, name="publish"),
]
