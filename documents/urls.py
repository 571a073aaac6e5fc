from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("sessions/<int:pk>/materials/new/", views.material_create, name="material_create"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material_edit"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
    path("materials/<int:pk>/download/", views.material_download, name="material_download"),
]
