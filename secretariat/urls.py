from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

from secretariat.public.sitemaps import SITEMAPS

urlpatterns = [
    path("", include("secretariat.public.urls")),
    path("staff/", include("secretariat.meetings.urls")),
    path("staff/", include("secretariat.council.urls")),
    path("staff/", include("secretariat.publishing.urls")),
    path("", include("documents.urls")),
    path("", include("secretariat.minutes.urls")),
    path("m/", include("secretariat.meetings.member_urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path(
        "sitemap.xml",
        login_not_required(sitemap),
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        login_not_required(
            TemplateView.as_view(
                template_name="robots.txt", content_type="text/plain; charset=utf-8"
            )
        ),
        name="robots_txt",
    ),
    path("admin/", admin.site.urls),
]
