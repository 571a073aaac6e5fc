from django.urls import path

from secretariat.council import views

app_name = "council"
urlpatterns = [
    path("councils/<slug:slug>/members/", views.member_list, name="members"),
    path("councils/<slug:slug>/members/new/", views.membership_create, name="membership_create"),
    path("members/<id:pk>/edit/", views.membership_edit, name="membership_edit"),
]
