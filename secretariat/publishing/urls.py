from django.urls import path

from secretariat.publishing import views

app_name = "publishing"
urlpatterns = [
    path("sessions/<int:pk>/publishing/", views.session_publishing, name="session"),
    path("sessions/<int:pk>/publishing/publish/", views.publish_session, name="publish"),
    path("published-files/<int:pk>/take-down/", views.take_down_file, name="take_down"),
    path("site-export/", views.site_export, name="site_export"),
    path("site-export/start/", views.start_site_export, name="start_site_export"),
    path("site-export/<int:pk>/download/", views.site_export_download, name="site_export_download"),
]
