from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from secretariat.council.models import Platform
from secretariat.publishing.pages import PublicSession, public_sessions


class PlatformSitemap(Sitemap):
    def items(self) -> list[Platform]:
        return list(Platform.objects.public())

    def location(self, item: Platform) -> str:
        return reverse("public:platform", args=[item.slug])


class SessionSitemap(Sitemap):
    def items(self) -> list[PublicSession]:
        return public_sessions()

    def location(self, item: PublicSession) -> str:
        return reverse("public:session", args=[item.platform.slug, item.pk])

    def lastmod(self, item: PublicSession) -> object:
        # A published session changes for the public when it is published again.
        return item.lastmod


SITEMAPS = {"platforms": PlatformSitemap, "sessions": SessionSitemap}
