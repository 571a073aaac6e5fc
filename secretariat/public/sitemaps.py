from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from secretariat.council.models import Platform
from secretariat.meetings.models import Session


class PlatformSitemap(Sitemap):
    def items(self) -> list[Platform]:
        return list(Platform.objects.public())

    def location(self, item: Platform) -> str:
        return reverse("public:platform", args=[item.slug])


class SessionSitemap(Sitemap):
    def items(self) -> list[Session]:
        return list(Session.objects.public().select_related("platform"))

    def location(self, item: Session) -> str:
        return reverse("public:session", args=[item.platform.slug, item.pk])

    def lastmod(self, item: Session) -> object:
        return item.updated_at


SITEMAPS = {"platforms": PlatformSitemap, "sessions": SessionSitemap}
