from django.urls import path

from secretariat.public import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("councils/<slug:slug>/", views.platform_detail, name="platform"),
    path("councils/<slug:slug>/meetings/", views.session_list, name="sessions"),
    path("councils/<slug:slug>/meetings/<id:pk>/", views.session_detail, name="session"),
    path(
        "councils/<slug:slug>/meetings/<id:pk>/gallery/",
        views.gallery_register,
        name="gallery",
    ),
    path(
        "councils/<slug:slug>/meetings/<id:pk>/gallery/confirm/<str:token>/",
        views.gallery_confirm,
        name="gallery_confirm",
    ),
    path("councils/<slug:slug>/calendar.ics", views.platform_calendar, name="calendar"),
    path(
        "councils/<slug:slug>/meetings/<id:pk>/materials/<id:material_pk>/",
        views.material_download,
        name="material",
    ),
    path(
        "councils/<slug:slug>/meetings/<id:pk>/materials/<id:material_pk>/parts/<id:part>/",
        views.material_part_download,
        name="material_part",
    ),
    path("councils/<slug:slug>/meetings/<id:pk>/minutes/", views.minutes_download, name="minutes"),
    path("councils/<slug:slug>/meetings/<id:pk>/bundle/", views.bundle_download, name="bundle"),
    path("councils/<slug:slug>/feed.atom", views.platform_feed, name="feed"),
    path(
        "councils/<slug:slug>/reports/<id:file_pk>/",
        views.deliverable_download,
        name="deliverable_file",
    ),
]
