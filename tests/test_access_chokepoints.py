"""Every staff view reaches its objects through secretariat/access.py, and the access
table answers 404 to other platforms and 403 to a read-only viewer who writes.

The first half reads the source of every staff view the URL resolver knows (and of the
helpers in the same module it calls) and fails, naming the view and the line, when a
view:

- looks anything up with get_object_or_404()/get_list_or_404();
- queries a model's manager by id (`Model.objects.get(...)`, `.filter(pk=...)`,
  `.in_bulk(...)`), which would skip the platform check;
- takes an identifying URL argument (`pk`, `slug`, `*_pk`) and never hands it to an
  access.get_*() chokepoint;
- asks access nothing at all;
- or accepts a POST but never asks for the editor role (`write=`, check_site_editor).

Lookups through an object that came from access (`session.invitations.get(pk=...)`)
are scoped by it and allowed. Personal-link and public views are marked
login_not_required and are not staff views.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.shortcuts import get_list_or_404, get_object_or_404
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from documents.models import GeneratedFile, Material, MaterialVersion
from secretariat import access
from secretariat.council.models import Membership, Platform
from secretariat.meetings.models import (
    AgendaItem,
    Attendance,
    CandidateSlot,
    Delivery,
    Invitation,
    Presenter,
    Session,
    SiteVisit,
    SiteVisitPhoto,
    SiteVisitStop,
)
from secretariat.minutes.models import CorrectionProposal, FollowUp, Minutes
from secretariat.publishing.models import PublishedFile, SiteExport
from tests import factories as f
from tests.base import Cast

FORBIDDEN_SHORTCUTS = (get_object_or_404, get_list_or_404)
ID_KEYWORDS = {"pk", "id", "pk__in", "id__in", "pk__exact", "id__exact"}
MANAGERS = ("objects", "_default_manager", "_base_manager")


def _identifying(kwarg: str) -> bool:
    return kwarg in ("pk", "slug") or kwarg.endswith(("_pk", "_slug"))


# Walking the resolver


@dataclass(frozen=True)
class StaffView:
    route: str
    name: str
    view: FunctionType
    kwargs: tuple[str, ...]
    callback: Callable[..., Any] | None = None  # as routed, its decorators included

    def __str__(self) -> str:
        return f"{self.view.__module__}.{self.view.__qualname__} ({self.name}: /{self.route})"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Any]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}", entry


def _is_project_code(func: Any) -> bool:
    try:
        source = Path(inspect.getsourcefile(func) or "").resolve()
    except TypeError:
        return False
    base = Path(settings.BASE_DIR).resolve()
    return source.is_relative_to(base) and "site-packages" not in source.parts


def staff_views() -> list[StaffView]:
    views = []
    for route, name, pattern in _walk(get_resolver().url_patterns):
        callback = pattern.callback
        if getattr(callback, "login_required", True) is False:
            continue  # public or personal-link: opted out of LoginRequiredMiddleware
        view = inspect.unwrap(callback)
        if not _is_project_code(view):
            continue  # Django's admin and auth views
        assert isinstance(view, FunctionType), (
            f"{name} (/{route}) is not a function view; this test reads function views only"
        )
        kwargs = tuple(pattern.pattern.regex.groupindex)
        views.append(StaffView(route, name, view, kwargs, callback))
    return views


# Reading a view's source


@dataclass
class Reading:
    """What one function does, helpers of its own module included."""

    problems: list[str] = field(default_factory=list)
    asks_access: bool = False
    # The function's parameters that reach an access getter (directly or via a helper).
    reaching: set[str] = field(default_factory=set)
    # Asks for the editor role somewhere: a getter with `write=`, or check_site_editor().
    writes: bool = False


def _parse(func: FunctionType) -> tuple[ast.FunctionDef, str, int]:
    lines, start = inspect.getsourcelines(func)
    tree = ast.parse(textwrap.dedent("".join(lines)))
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node, inspect.getsourcefile(func) or "?", start - 1


def _resolve(func: FunctionType, node: ast.expr) -> Any:
    """The object a name or a `module.name` in `func` stands for, if it is a global."""
    if isinstance(node, ast.Name):
        return func.__globals__.get(node.id)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        owner = func.__globals__.get(node.value.id)
        if isinstance(owner, ModuleType):
            return getattr(owner, node.attr, None)
    return None


def _manager_root(node: ast.expr) -> ast.expr | None:
    """For the receiver of a call (`Root.objects.a(...).b`), the `Root` before the
    manager, if the chain starts from one."""
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            return node.value
        node = node.func if isinstance(node, ast.Call) else node.value
    return None


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, models.Model)


def _in_access(obj: Any) -> bool:
    return callable(obj) and getattr(obj, "__module__", None) == access.__name__


def _is_getter(obj: Any) -> bool:
    """A chokepoint that looks an object up (`can_edit` answers about one it is given)."""
    return _in_access(obj) and obj.__name__.startswith("get_")


def _is_check(obj: Any) -> bool:
    return _in_access(obj) and obj.__name__ in ("check_site_editor", "staff_platforms")


def _false(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and not node.value


def _bound_params(callee: FunctionType, call: ast.Call) -> dict[str, ast.expr]:
    params = list(inspect.signature(callee).parameters)
    bound = {params[i]: arg for i, arg in enumerate(call.args) if i < len(params)}
    bound.update({kw.arg: kw.value for kw in call.keywords if kw.arg})
    return bound


def read(func: FunctionType, _seen: dict[Any, Reading] | None = None) -> Reading:
    seen = {} if _seen is None else _seen
    if func in seen:
        return seen[func]
    reading = seen[func] = Reading()
    node, path, offset = _parse(func)
    source = inspect.getsource(func).splitlines()
    params = {a.arg for a in node.args.args + node.args.kwonlyargs}

    def problem(at: ast.AST, what: str) -> None:
        line = at.lineno  # type: ignore[attr-defined]
        text = source[line - 1].strip() if line <= len(source) else ""
        reading.problems.append(f"{path}:{offset + line}: {what}\n        {text}")

    def names_in(expr: ast.expr) -> set[str]:
        return {n.id for n in ast.walk(expr) if isinstance(n, ast.Name)} & params

    for call in (n for n in ast.walk(node) if isinstance(n, ast.Call)):
        callee = _resolve(func, call.func)
        name = ast.unparse(call.func)
        if callee in FORBIDDEN_SHORTCUTS or name.split(".")[-1] in (
            "get_object_or_404",
            "get_list_or_404",
        ):
            problem(call, f"{name}() looks an object up past the access chokepoint")
            continue
        if _is_getter(callee):
            reading.asks_access = True
            reading.writes |= any(
                kw.arg == "write" and not _false(kw.value) for kw in call.keywords
            )
            for arg in [*call.args, *(kw.value for kw in call.keywords)]:
                reading.reaching |= names_in(arg)
            continue
        if _is_check(callee):
            reading.asks_access = True
            reading.writes |= callee is access.check_site_editor
            continue
        method = call.func.attr if isinstance(call.func, ast.Attribute) else ""
        root = _manager_root(call.func.value) if isinstance(call.func, ast.Attribute) else None
        if root is not None and _is_model(_resolve(func, root)):
            by_id = {kw.arg for kw in call.keywords} & ID_KEYWORDS
            if method in ("get", "in_bulk") or (method in ("filter", "exclude") and by_id):
                model = ast.unparse(root)
                problem(
                    call,
                    f"{model}.objects…{method}() looks a {model} up by id without its "
                    "platform; use a secretariat.access getter",
                )
            continue
        if (
            isinstance(callee, FunctionType)
            and callee.__module__ == func.__module__
            and callee is not func
        ):
            helper = read(callee, seen)
            reading.problems += [p for p in helper.problems if p not in reading.problems]
            reading.asks_access |= helper.asks_access
            reading.writes |= helper.writes
            for param, arg in _bound_params(callee, call).items():
                if param in helper.reaching:
                    reading.reaching |= names_in(arg)
    return reading


def check(view: StaffView) -> list[str]:
    reading = read(view.view)
    problems = list(reading.problems)
    where = f"{inspect.getsourcefile(view.view)}:{inspect.getsourcelines(view.view)[1]}"
    for kwarg in view.kwargs:
        if _identifying(kwarg) and kwarg not in reading.reaching:
            problems.append(
                f"{where}: takes the URL argument {kwarg!r} but never passes it to a "
                "secretariat.access get_*_for_staff() chokepoint"
            )
    if not reading.asks_access:
        problems.append(
            f"{where}: asks secretariat.access nothing "
            "(no get_*_for_staff(), check_site_editor() or staff_platforms())"
        )
    return problems


def test_every_staff_view_looks_its_objects_up_through_access():
    views = staff_views()
    failures = [
        f"{view}:\n    " + "\n    ".join(problems) for view in views if (problems := check(view))
    ]
    assert not failures, (
        "Staff views must get their objects from secretariat/access.py "
        "(add a row to access.PROTECTED and a get_*_for_staff alias):\n\n" + "\n\n".join(failures)
    )


def _accepts_post(view: StaffView) -> bool:
    """Whether the view's method decorators let a POST through (the body then fails on
    the anonymous user, or on the made-up ids, past the point that matters here)."""
    request = RequestFactory().post("/staff/")
    request.user = AnonymousUser()
    assert view.callback is not None
    try:
        response = view.callback(request, **dict.fromkeys(view.kwargs, 0))
    except Exception:  # anything but a 405 means the body ran
        return True
    return response.status_code != 405


@pytest.mark.django_db
def test_every_staff_view_that_accepts_a_post_asks_for_the_editor_role():
    posting = [view for view in staff_views() if _accepts_post(view)]
    assert len(posting) > 25  # not vacuous
    failures = [
        f"{inspect.getsourcefile(v.view)}:{inspect.getsourcelines(v.view)[1]}: {v} accepts POST "
        "but never asks access for write= (a read-only viewer could change data)"
        for v in posting
        if not read(v.view).writes
    ]
    assert not failures, "\n".join(failures)


def test_the_walk_finds_the_staff_views_and_skips_the_public_and_personal_ones():
    names = {view.name for view in staff_views()}
    # Not vacuous: the doors this test was written for are all read.
    assert {
        "meetings:session",
        "meetings:presenter_delete",
        "meetings:stop_report",
        "meetings:photo",
        "meetings:photo_delete",
        "minutes:decide",
        "minutes:follow_up_edit",
        "documents:generated_download",
        "documents:material_version_download",
        "publishing:site_export_download",
        "council:membership_edit",
    } <= names
    assert len(names) > 50
    # Personal links and the public site opt out of the login; they are not staff views.
    assert not names & {
        "documents:upload",
        "documents:member_material",
        "minutes:confirm",
        "public:session",
        "public:material",
    }
    assert not any(name.startswith(("member:", "admin:")) for name in names)


# The reader itself: a view that forgets the check must be caught.


def _leaky_shortcut(request, pk):
    return get_object_or_404(Session, pk=pk)


def _leaky_manager(request, pk):
    return Material.objects.select_related("session").get(pk=pk)


def _leaky_filter(request, pk):
    return Presenter.objects.filter(pk=pk).update(requested_at=None)


def _asks_late(request, pk):
    # Asks the session's chokepoint, but about an object it did not look up by `pk`.
    return access.get_session_for_staff(request, 1)


def _asks_only_can_edit(request, pk):
    return access.can_edit(request, Session.objects.filter(platform_id=pk).first().platform)


def _helper(request, item_pk):
    return access.get_session_for_staff(request, item_pk)


def _through_a_helper(request, pk):
    return _helper(request, pk)


def _scoped(request, pk):
    session = access.get_session_for_staff(request, pk)
    return session.invitations.get(pk=1), Session.objects.filter(platform=session.platform)


def _fake(func, kwargs=("pk",)):
    return StaffView("fake/", "fake", func, kwargs)


@pytest.mark.parametrize(
    ("func", "expected"),
    [
        (_leaky_shortcut, "get_object_or_404() looks an object up past the access chokepoint"),
        (_leaky_manager, "Material.objects…get() looks a Material up by id"),
        (_leaky_filter, "Presenter.objects…filter() looks a Presenter up by id"),
        (_asks_late, "takes the URL argument 'pk' but never passes it"),
        (_asks_only_can_edit, "asks secretariat.access nothing"),
    ],
)
def test_the_reader_catches_a_view_that_skips_the_chokepoint(func, expected):
    problems = check(_fake(func))
    assert any(expected in problem for problem in problems), problems
    assert all(problem.startswith(f"{__file__}:") for problem in problems), problems


def test_the_reader_names_the_file_and_line():
    (problem, *_rest) = check(_fake(_leaky_shortcut))
    line = inspect.getsourcelines(_leaky_shortcut)[1] + 1
    assert problem.startswith(f"{__file__}:{line}: ")
    assert "return get_object_or_404(Session, pk=pk)" in problem


def test_the_reader_follows_helpers_and_allows_scoped_lookups():
    assert check(_fake(_through_a_helper)) == []
    assert check(_fake(_scoped)) == []


# The table: for every protected model, 404 for another platform, 403 for a viewer
# who writes.


def _minutes_statement(cast: Cast):
    session = cast.published
    minutes = Minutes.objects.create(session=session)
    speaker = Attendance.objects.create(
        session=session, name="武山", capacity=Attendance.Capacity.MEMBER, arrived_at=timezone.now()
    )
    return minutes.statements.create(speaker=speaker, order=1, text="発言です。")


def _stop(cast: Cast) -> SiteVisitStop:
    visit = SiteVisit.objects.create(
        session=f.make_session(cast.platform, kind=Session.Kind.SITE_VISIT, number=3)
    )
    day = visit.days.create(date=date(2015, 10, 8))
    return SiteVisitStop.objects.create(
        site_visit=visit, day=day, order=1, prefecture="愛知県", municipality="岡崎市"
    )


def _invitation(cast: Cast) -> Invitation:
    return Invitation.objects.create(session=cast.published, membership=cast.member)


MAKERS: dict[type[models.Model], Callable[[Cast], models.Model]] = {
    Platform: lambda cast: cast.platform,
    Session: lambda cast: cast.published,
    AgendaItem: lambda cast: f.make_agenda_item(cast.published),
    Material: lambda cast: cast.public_material,
    MaterialVersion: lambda cast: MaterialVersion.objects.create(
        material=cast.public_material,
        version=1,
        replaced_at=timezone.now(),
        file="materials/old.pdf",
        original_name="旧版.pdf",
        extension="pdf",
        size_bytes=10,
    ),
    GeneratedFile: lambda cast: GeneratedFile.objects.create(
        platform=cast.platform, session=cast.published, kind=GeneratedFile.Kind.AGENDA
    ),
    Membership: lambda cast: cast.member,
    Invitation: _invitation,
    Delivery: lambda cast: Delivery.objects.create(
        invitation=_invitation(cast), kind=Delivery.Kind.INVITE
    ),
    CandidateSlot: lambda cast: CandidateSlot.objects.create(
        session=cast.planned, date=date(2015, 11, 20), start_time=time(10), end_time=time(12)
    ),
    Presenter: lambda cast: Presenter.objects.create(
        agenda_item=f.make_agenda_item(cast.published), name="説明者"
    ),
    SiteVisitStop: _stop,
    SiteVisitPhoto: lambda cast: SiteVisitPhoto.objects.create(
        stop=_stop(cast), image="photos/a.png", extension="png"
    ),
    CorrectionProposal: lambda cast: CorrectionProposal.objects.create(
        statement=_minutes_statement(cast), original_text="発言です。", proposed_text="修正案"
    ),
    FollowUp: lambda cast: FollowUp.objects.create(platform=cast.platform, issue="課題"),
    # The cast's 第1回 is published: its public material is a published file.
    PublishedFile: lambda cast: PublishedFile.objects.filter(
        publication__session=cast.published
    ).first(),
}


def _request(user) -> Any:
    request = RequestFactory().get("/staff/")
    request.user = user
    return request


def test_every_protected_model_has_a_maker_here():
    assert set(MAKERS) == set(access.PROTECTED)


@pytest.mark.parametrize("model", list(access.PROTECTED), ids=lambda model: model.__name__)
def test_the_access_table_row(cast, model):
    obj = MAKERS[model](cast)
    assert access.platform_of(obj) == cast.platform

    def get(user, write=False):
        return access.get_for_staff(_request(user), model, write=write, pk=obj.pk)

    # The platform's own staff: the editor reads and writes, the viewer only reads.
    assert get(cast.clerk, write=True) == obj
    assert get(cast.viewer) == obj
    with pytest.raises(PermissionDenied):
        get(cast.viewer, write=True)
    # Another platform's editor, a staff user with no platform and an anonymous user do
    # not learn that it exists: 404, even for a write.
    nobody = f.make_user("nobody", is_staff=True)
    for outsider in (cast.other_clerk, nobody, AnonymousUser()):
        for write in (False, True):
            with pytest.raises(Http404):
                get(outsider, write)
    # Superusers see every platform.
    assert get(cast.admin, write=True) == obj


def test_one_query_per_lookup_whatever_the_path(cast, django_assert_num_queries):
    """The path to the platform is fetched with the object: reading it costs nothing."""
    photo = MAKERS[SiteVisitPhoto](cast)
    with django_assert_num_queries(1):
        found = access.get_photo_for_staff(_request(cast.admin), photo.pk)
        assert found.stop.site_visit.session.platform == cast.platform


# The named getters are the table's rows: each one finds its own model.

NAMED: dict[str, tuple[type[models.Model], Callable[[models.Model], tuple[Any, ...]]]] = {
    "get_platform_for_staff": (Platform, lambda o: (o.slug,)),
    "get_session_for_staff": (Session, lambda o: (o.pk,)),
    "get_agenda_item_for_staff": (AgendaItem, lambda o: (o.pk,)),
    "get_material_for_staff": (Material, lambda o: (o.pk,)),
    "get_material_version_for_staff": (MaterialVersion, lambda o: (o.material_id, o.version)),
    "get_generated_file_for_staff": (GeneratedFile, lambda o: (o.pk,)),
    "get_membership_for_staff": (Membership, lambda o: (o.pk,)),
    "get_invitation_for_staff": (Invitation, lambda o: (o.pk,)),
    "get_delivery_for_staff": (Delivery, lambda o: (o.pk,)),
    "get_slot_for_staff": (CandidateSlot, lambda o: (o.pk,)),
    "get_presenter_for_staff": (Presenter, lambda o: (o.pk,)),
    "get_stop_for_staff": (SiteVisitStop, lambda o: (o.pk,)),
    "get_photo_for_staff": (SiteVisitPhoto, lambda o: (o.pk,)),
    "get_proposal_for_staff": (CorrectionProposal, lambda o: (o.pk,)),
    "get_follow_up_for_staff": (FollowUp, lambda o: (o.pk,)),
    "get_published_file_for_staff": (PublishedFile, lambda o: (o.pk,)),
}


def test_every_named_getter_is_listed_here():
    getters = {
        name
        for name, obj in vars(access).items()
        if name.startswith("get_") and name.endswith("_for_staff") and callable(obj)
    }
    assert getters - {"get_for_staff", "get_site_export_for_staff"} == set(NAMED)


@pytest.mark.parametrize("name", list(NAMED))
def test_a_named_getter(cast, name):
    model, args = NAMED[name]
    obj = MAKERS[model](cast)
    getter = getattr(access, name)
    assert getter(_request(cast.clerk), *args(obj), write=True) == obj
    with pytest.raises(PermissionDenied):
        getter(_request(cast.viewer), *args(obj), write=True)
    with pytest.raises(Http404):
        getter(_request(cast.other_clerk), *args(obj))


def test_the_site_export_is_for_any_editor_and_no_viewer(cast):
    """The static export holds every platform's public pages and belongs to none: any
    editor may fetch it; a viewer or a staff user with no platform may not."""
    export = SiteExport.objects.create(
        requested_by=cast.clerk,
        requested_at=timezone.now(),
        status=SiteExport.Status.DONE,
        archive="exports/site.zip",
    )
    for editor in (cast.clerk, cast.other_clerk, cast.admin):
        assert access.get_site_export_for_staff(_request(editor), export.pk) == export
    for refused in (cast.viewer, f.make_user("nobody", is_staff=True)):
        with pytest.raises(PermissionDenied):
            access.get_site_export_for_staff(_request(refused), export.pk)
    unfinished = SiteExport.objects.create(requested_by=cast.clerk, requested_at=timezone.now())
    with pytest.raises(Http404):
        access.get_site_export_for_staff(_request(cast.clerk), unfinished.pk)


def _reads_for_a_post(request, pk):
    return access.get_session_for_staff(request, pk, write=False)


def _writes_on_post(request, pk):
    return access.get_session_for_staff(request, pk, write=request.method == "POST")


def test_the_reader_tells_a_write_check_from_a_read():
    assert not read(_reads_for_a_post).writes
    assert read(_writes_on_post).writes
    assert read(_through_a_helper).writes is False
