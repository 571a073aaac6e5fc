from django.urls import path

from secretariat.publishing import views

app_name = "publishing"
urlpatterns = [
    path("sessions/<id:pk>/publishing/", views.session_publishing, name="session"),
    path("sessions/<id:pk>/publishing/publish/", views.publish_session, name="publish"),
    path("published-files/<id:pk>/take-down/", views.take_down_file, name="take_down"),
    path("site-export/", views.site_export, name="site_export"),
    path("site-export/start/", views.start_site_export, name="start_site_export"),
    path("site-export/<id:pk>/download/", views.site_export_download, name="site_export_download"),
]
