from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class LanguageMiddleware:
    """Japanese unless the visitor chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show
    an English frame (and lang="en") around Japanese content to anyone whose browser
    says English; a government page stays Japanese until asked.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# URL names outside the `public` namespace that are public pages too.
PUBLIC_URL_NAMES = frozenset({"django.contrib.sitemaps.views.sitemap", "robots_txt"})


def is_public_page(request: HttpRequest) -> bool:
    """Whether the page answering `request` is the public site's.

    Closed by default, like LoginRequiredMiddleware: staff pages, the login pages, the
    admin and personal links (`/m/`, `/u/`, `/c/`, which are login_not_required but
    personal) are all private; only the public namespace and a short list are public.
    """
    match = request.resolver_match
    if match is None:  # no URL matched: a 404 that shows nothing of anyone's
        return True
    if is_personal_link(request):  # the gallery confirmation sits under public URLs
        return False
    return match.namespace == "public" or match.view_name in PUBLIC_URL_NAMES


def is_personal_link(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "token" in match.kwargs


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every page that is not the public site's,
    and the headers of a personal link's page.

    A staff page or a member's invitation kept by a shared proxy, or in the browser's
    cache of a shared computer, is read by the next person. Public pages keep their own
    caching headers (downloads there are `no-cache`, so a republication is seen).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_public_page(request):
            patch_cache_control(response, private=True, no_store=True)
        if is_personal_link(request):
            # One person's page, whatever it answered (a refusal, a 404 raised inside
            # the view): no search engine lists it, and no request from it, not even for
            # its own stylesheet, carries the token as Referer (a proxy's log keeps it).
            # Not "no-referrer": Chromium then sends "Origin: null" with the page's
            # forms, which CSRF refuses.
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Referrer-Policy"] = "strict-origin"
        return response


class FileSandboxMiddleware:
    """`Content-Security-Policy: sandbox` on every file the app serves, and on anything
    else that is not one of its HTML pages.

    Presenters and members upload files that are served inline (PDFs, images). A file
    that is also HTML (a PDF/HTML or GIF/HTML polyglot), opened by a browser that takes
    it for a page, would run its script in the app's origin, with a staff user's cookies;
    sandboxed, it runs in an opaque origin with no script. Set here, for every
    FileResponse, so that no download view can forget it; django-csp keeps a policy that
    is already set. (SecurityMiddleware adds `X-Content-Type-Options: nosniff`.)
    """

    POLICY = "sandbox"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if isinstance(response, FileResponse) or not content_type.startswith("text/html"):
            response["Content-Security-Policy"] = self.POLICY
        return response


class StaffSessionMiddleware:
    """Log staff out after STAFF_SESSION_IDLE_MINUTES without a request, and in any case
    STAFF_SESSION_MAX_HOURS after they logged in.

    Django's own SESSION_COOKIE_AGE counts from the last save, so with
    SESSION_SAVE_EVERY_REQUEST a session in use never ends; the login time kept in the
    session gives the absolute limit. Must come after AuthenticationMiddleware (and
    MessageMiddleware, for the message); LoginRequiredMiddleware then sends the visitor to
    the login page.
    """

    STARTED = "staff_session_started"
    SEEN = "staff_session_seen"
    # Write the session at most this often just to move the idle clock.
    SEEN_RESOLUTION = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = timezone.now().timestamp()
        # A session from before this check was deployed starts now.
        started = session.setdefault(self.STARTED, now)
        seen = session.get(self.SEEN, started)
        idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
        if now - seen > idle or now - started > settings.STAFF_SESSION_MAX_HOURS * 3600:
            logout(request)
            messages.info(
                request,
                _("一定時間が過ぎたため、ログアウトしました。もう一度ログインしてください。"),
            )
            return
        if now - seen >= self.SEEN_RESOLUTION:
            session[self.SEEN] = now


def start_staff_session(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """The absolute lifetime counts from this login (the session survives a login of
    the same user, so the time is set here rather than only when missing)."""
    if request is not None and hasattr(request, "session"):
        now = timezone.now().timestamp()
        request.session[StaffSessionMiddleware.STARTED] = now
        request.session[StaffSessionMiddleware.SEEN] = now
