from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("staff/sessions/<id:pk>/materials/new/", views.material_create, name="material_create"),
    path("staff/sessions/<id:pk>/materials/renumber/", views.renumber, name="renumber"),
    path("staff/sessions/<id:pk>/documents/<str:kind>/", views.generate, name="generate"),
    path("staff/documents/<id:pk>/download/", views.generated_download, name="generated_download"),
    path(
        "staff/councils/<slug:slug>/documents/platform_workbook/",
        views.generate_platform_workbook,
        name="generate_platform_workbook",
    ),
    path("staff/materials/<id:pk>/edit/", views.material_edit, name="material_edit"),
    path("staff/materials/<id:pk>/delete/", views.material_delete, name="material_delete"),
    path("staff/materials/<id:pk>/download/", views.material_download, name="material_download"),
    path(
        "staff/materials/<id:pk>/versions/<id:version>/download/",
        views.material_version_download,
        name="material_version_download",
    ),
    # The presenter's personal upload link (no login)
    path("u/<str:token>/", views.presenter_upload, name="upload"),
    # A member's materials, members-only ones included, through their invitation link
    path(
        "m/<str:token>/materials/<id:material_pk>/",
        views.member_material_download,
        name="member_material",
    ),
]
