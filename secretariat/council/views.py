"""Staff screens for a platform's members (構成員)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from secretariat.access import can_edit, get_membership_for_staff, get_platform_for_staff
from secretariat.council.actions import save_membership
from secretariat.council.forms import MembershipForm, PersonForm
from secretariat.council.models import Membership, Platform


@require_safe
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug)
    memberships = platform.memberships.select_related(
        "category", "person", "organisation"
    ).prefetch_related("themes")
    context = {
        "platform": platform,
        "memberships": memberships,
        "today": timezone.localdate(),
        "can_edit": can_edit(request, platform),
    }
    return render(request, "council/member_list.html", context)


def _membership_form_page(
    request: HttpRequest, platform: Platform, membership: Membership
) -> HttpResponse:
    data = request.POST or None
    original_person = membership.person_id
    form = MembershipForm(data, instance=membership, platform=platform, prefix="m")
    person_form = PersonForm(data, instance=membership.person, prefix="p")
    if request.method == "POST" and form.is_valid() and person_form.is_valid():
        if person_form.is_empty() and not form.cleaned_data.get("organisation"):
            form.add_error(None, _("氏名か代表する組織のどちらかを入力してください。"))
        else:
            person = None if person_form.is_empty() else person_form.instance
            saved = save_membership(
                membership=form.instance,
                person=person,
                themes=form.cleaned_data["themes"],
                by=request.user,
            )
            messages.success(request, _("構成員を保存しました。"))
            if original_person and saved.person_id not in (None, original_person):
                # Which other council is not said: it may not be one this user may see.
                messages.info(
                    request,
                    _(
                        "この人物は、あなたが編集できない他の会議体にも登録されています。"
                        "変更は、あなたが担当する会議体の登録にだけ反映しました"
                        "（他の会議体の登録は変わりません）。"
                    ),
                )
            return redirect("council:members", slug=platform.slug)
    context = {
        "platform": platform,
        "form": form,
        "person_form": person_form,
        "membership": membership,
    }
    return render(request, "council/membership_form.html", context)


@require_http_methods(["GET", "POST"])
def membership_create(request: HttpRequest, slug: str) -> HttpResponse:
    platform = get_platform_for_staff(request, slug, write=True)
    return _membership_form_page(request, platform, Membership(platform=platform))


@require_http_methods(["GET", "POST"])
def membership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_staff(request, pk, write=True)
    return _membership_form_page(request, membership.platform, membership)
