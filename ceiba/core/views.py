"""Pages of the directory, sign-in with second factor, role dashboards and account administration.
Views stay thin: reads go through selectors and the access policy, writes through services."""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceiba.common import audit
from ceiba.common.access import Action, access_object, principal_for, restrict
from ceiba.common.models import AuditAction, AuditEvent, Job

from . import selectors, services
from .choices import RESTRICTED_DATA_ROLES, SECRETARIAT_ROLES, OrganisationType, Role
from .filtersets import AuditEventFilterSet, OrganisationFilterSet, PersonFilterSet, StateFilterSet
from .forms import (
    AccountCreateForm,
    AccountUpdateForm,
    APITokenForm,
    MembershipForm,
    OrganisationForm,
    SignInForm,
    StateCommitteeForm,
    TokenForm,
)
from .models import APIToken, Membership, Organisation, State, User

PAGE_SIZE = 50


def role_required(*roles: str) -> Any:
    """Signed-in users holding one of `roles` (or the superuser); others get 403, anonymous users the
    sign-in page."""

    def decorator(view: Any) -> Any:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not principal_for(request.user).has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- public pages ------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    members = selectors.committee_members()
    return render(
        request,
        "core/home.html",
        {
            "members": members,
            "state_count": State.objects.count(),
            "organisation_count": Organisation.objects.filter(is_active=True).count(),
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    State.objects.exists()
    return HttpResponse("ok", content_type="text/plain")


def state_list(request: HttpRequest) -> HttpResponse:
    filterset = StateFilterSet(request.GET or None, queryset=State.objects.all())
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    states = selectors.state_list(queryset)
    return render(request, "core/state_list.html", {"filter": filterset, "states": states})


def state_detail(request: HttpRequest, iso3: str) -> HttpResponse:
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())
    organisations = state.organisations.filter(is_active=True).order_by("kind", "name")
    focal_points = selectors.focal_points(state, request.user) if request.user.is_authenticated else []
    principal = principal_for(request.user)
    return render(
        request,
        "core/state_detail.html",
        {
            "state": state,
            "organisations": organisations,
            "focal_points": focal_points,
            "can_edit": principal.has_role(Role.SECRETARIAT_ADMIN),
            "can_see_history": principal.secretariat or principal.superuser,
        },
    )


def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(
        request.GET or None, queryset=Organisation.objects.select_related("state")
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return render(
        request,
        "core/organisation_list.html",
        {
            "filter": filterset,
            "page": _page(request, queryset.order_by("name")),
            "can_edit": principal_for(request.user).has_role(Role.SECRETARIAT_ADMIN),
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access_object(
        Organisation.objects.select_related("state"), request.user, Action.VIEW, pk=pk
    )
    people = (
        selectors.organisation_people(organisation, request.user) if request.user.is_authenticated else []
    )
    principal = principal_for(request.user)
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "can_edit": principal.has_role(Role.SECRETARIAT_ADMIN),
            "can_see_history": principal.secretariat or principal.superuser,
        },
    )


# --- sign-in, second factor, sign-out -------------------------------------------------------------


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "account/sign_in.html"
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        if user.language:
            from django.conf import settings

            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    if not devices.exists():
        return redirect(f"{reverse('core:otp_enrol')}?next={_safe_next(request, reverse('core:dashboard'))}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = devices.first()
        assert device is not None
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            form.add_error("otp_token", _("Too many wrong codes. Wait a minute, then try again."))
        elif device.verify_token(form.cleaned_data["otp_token"]):
            otp_login(request, device)
            return HttpResponseRedirect(_safe_next(request, reverse("core:dashboard")))
        else:
            audit.record(AuditAction.OTP_FAILED, obj=user, actor=user)
            form.add_error(
                "otp_token",
                _("This code is wrong or has expired. Codes change every 30 seconds: enter the current one."),
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request, "account/otp_verify.html", {"form": form, "next": _safe_next(request, "")}, status=status
    )


@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not user.is_verified():
        return redirect("core:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = services.totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["otp_token"]):
            services.totp_device_confirm(device=device)
            otp_login(request, device)
            messages.success(
                request, _("Your authenticator is set up. You will be asked for a code at each sign-in.")
            )
            return HttpResponseRedirect(_safe_next(request, reverse("core:dashboard")))
        if form.is_valid():
            form.add_error(
                "otp_token", _("This code does not match. Check the clock of your phone and try again.")
            )
        status = 400
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )
    return render(
        request,
        "account/otp_enrol.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr_svg": qr_svg,
            "next": _safe_next(request, ""),
        },
        status=status,
    )


# --- dashboards ------------------------------------------------------------------------------------

DASHBOARD_ORDER = [
    Role.SECRETARIAT_ADMIN,
    Role.SECRETARIAT_ANALYST,
    Role.NATIONAL_FOCAL_POINT,
    Role.NATIONAL_ANALYST,
    Role.COMMITTEE_DELEGATE,
    Role.ACTION_PARTICIPANT,
    Role.FORUM_PARTICIPANT,
]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role lands on the dashboard made for it (the highest of the user's roles)."""
    user: User = request.user  # type: ignore[assignment]
    roles = user.roles
    role = next((r for r in DASHBOARD_ORDER if r in roles), None)
    if role is None and user.is_superuser:
        role = Role.SECRETARIAT_ADMIN
    context: dict[str, Any] = {"role": role, "memberships": user.active_memberships}
    membership = next((m for m in user.active_memberships if m.role == role), None)
    state = membership.organisation.state if membership else None
    context["state"] = state
    visible = selectors.visible_memberships(user)
    if role in SECRETARIAT_ROLES:
        context["member_states"] = selectors.committee_members()
        focal_counts = dict(
            visible.filter(role=Role.NATIONAL_FOCAL_POINT)
            .values_list("organisation__state__iso3")
            .annotate(n=Count("id"))
            .values_list("organisation__state__iso3", "n")
        )
        context["states_without_focal_point"] = [
            s for s in context["member_states"] if not focal_counts.get(s.iso3)
        ]
        context["recent_events"] = restrict(AuditEvent, user).select_related("actor")[:10]
    if role == Role.SECRETARIAT_ADMIN:
        since = timezone.now() - timedelta(hours=24)
        enrolled = TOTPDevice.objects.filter(confirmed=True).values("user_id")
        restricted_roles = (
            Membership.objects.active().filter(role__in=list(RESTRICTED_DATA_ROLES)).values("user_id")
        )
        needs_second_factor = (
            User.objects.filter(is_active=True)
            .filter(Q(pk__in=restricted_roles) | Q(is_staff=True) | Q(is_superuser=True))
            .exclude(pk__in=enrolled)
            .order_by("full_name")
        )
        context.update(
            account_count=User.objects.filter(is_active=True).count(),
            organisation_count=Organisation.objects.filter(is_active=True).count(),
            failed_sign_ins=AuditEvent.objects.filter(
                action=AuditAction.LOGIN_FAILED, created_at__gte=since
            ).count(),
            needs_second_factor=needs_second_factor[:20],
            needs_second_factor_count=needs_second_factor.count(),
        )
    if role == Role.SECRETARIAT_ANALYST:
        context["recent_changes"] = Organisation.history.select_related("history_user").order_by(
            "-history_date"
        )[:10]
    if (
        role in (Role.NATIONAL_FOCAL_POINT, Role.NATIONAL_ANALYST, Role.COMMITTEE_DELEGATE)
        and state is not None
    ):
        context["state_people"] = visible.filter(organisation__state=state).order_by(
            "organisation__name", "user__full_name"
        )
        context["state_organisations"] = state.organisations.filter(is_active=True).order_by("name")
        context["own_focal_points"] = visible.filter(
            organisation__state=state, role=Role.NATIONAL_FOCAL_POINT
        )
    if role in (Role.NATIONAL_FOCAL_POINT, Role.COMMITTEE_DELEGATE, Role.ACTION_PARTICIPANT):
        other = visible.filter(role=Role.NATIONAL_FOCAL_POINT)
        if state is not None:
            other = other.exclude(organisation__state=state)
        context["other_focal_points"] = other.order_by("organisation__state__english_name")
    if role == Role.COMMITTEE_DELEGATE:
        context["member_states"] = selectors.committee_members()
    context["secretariat_contacts"] = visible.filter(role__in=list(SECRETARIAT_ROLES)).order_by(
        "user__full_name"
    )
    if role == Role.FORUM_PARTICIPANT:
        context["member_states"] = selectors.committee_members()
        context["organisation_kinds"] = (
            Organisation.objects.filter(is_active=True).values("kind").annotate(n=Count("id")).order_by("-n")
        )
        kinds = dict(OrganisationType.choices)
        for row in context["organisation_kinds"]:
            row["label"] = kinds.get(row["kind"], row["kind"])
    context["has_second_factor"] = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    return render(request, f"dashboards/{role or 'none'}.html", context)


# --- people --------------------------------------------------------------------------------------------


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    base = selectors.people_with_memberships(request.user)
    filterset = PersonFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return render(
        request,
        "core/person_list.html",
        {
            "filter": filterset,
            "page": _page(request, queryset.order_by("full_name")),
            "can_edit": principal_for(request.user).has_role(Role.SECRETARIAT_ADMIN),
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_object(User, request.user, Action.VIEW, pk=pk)
    principal = principal_for(request.user)
    is_admin = principal.has_role(Role.SECRETARIAT_ADMIN)
    memberships = person.memberships.select_related("organisation", "organisation__state").order_by(
        "-start_date"
    )
    if not is_admin:
        memberships = memberships.filter(pk__in=Membership.objects.active().values("pk"))
    return render(
        request,
        "core/person_detail.html",
        {
            "person": person,
            "memberships": memberships,
            "can_edit": is_admin,
            "can_see_history": principal.secretariat or principal.superuser,
            "end_form_today": timezone.localdate(),
        },
    )


# --- administration by the secretariat ----------------------------------------------------------------

admin_only = role_required(Role.SECRETARIAT_ADMIN)


def form_page(request: HttpRequest, form: Any, *, title: str, cancel: str) -> HttpResponse:
    """The shared form page; a form with errors answers 400 so clients and tests see the refusal."""
    return render(
        request,
        "core/form.html",
        {"form": form, "title": title, "cancel": cancel},
        status=400 if form.errors else 200,
    )


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@admin_only
def account_create(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                email=data["email"],
                full_name=data["full_name"],
                password=data["password"],
                language=data["language"],
                is_synthetic=data["is_synthetic"],
                organisation=data["organisation"],
                role=data["role"],
                title=data["title"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The account of %(name)s was created.") % {"name": user.full_name})
            return redirect("core:person_detail", pk=user.pk)
    return form_page(request, form, title=_("New account"), cancel=reverse("core:person_list"))


@admin_only
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_object(User, request.user, Action.CHANGE, pk=pk)
    form = AccountUpdateForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        services.user_update(user=person, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        messages.success(request, _("Changes saved."))
        return redirect("core:person_detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=_("Edit account: %(name)s") % {"name": person.full_name},
        cancel=reverse("core:person_detail", args=[person.pk]),
    )


@admin_only
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = access_object(User, request.user, Action.CHANGE, pk=pk)
    form = MembershipForm(request.POST or None, user=person, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.membership_create(
            user=person,
            organisation=data["organisation"],
            role=data["role"],
            title=data["title"],
            start_date=data["start_date"],
        )
        messages.success(request, _("Membership added."))
        return redirect("core:person_detail", pk=person.pk)
    return form_page(
        request,
        form,
        title=_("Add a membership: %(name)s") % {"name": person.full_name},
        cancel=reverse("core:person_detail", args=[person.pk]),
    )


@admin_only
@require_POST
def membership_end(request: HttpRequest, pk: int) -> HttpResponse:
    membership = access_object(Membership, request.user, Action.CHANGE, pk=pk)
    services.membership_end(membership=membership)
    messages.success(request, _("Membership ended today. It stays in the record."))
    return redirect("core:person_detail", pk=membership.user_id)


@admin_only
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data)
        messages.success(request, _("Organisation created."))
        return redirect("core:organisation_detail", pk=organisation.pk)
    return form_page(request, form, title=_("New organisation"), cancel=reverse("core:organisation_list"))


@admin_only
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access_object(Organisation, request.user, Action.CHANGE, pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(organisation=organisation, **form.cleaned_data)
        messages.success(request, _("Changes saved."))
        return redirect("core:organisation_detail", pk=organisation.pk)
    return form_page(
        request,
        form,
        title=_("Edit organisation: %(name)s") % {"name": organisation.name},
        cancel=reverse("core:organisation_detail", args=[organisation.pk]),
    )


@admin_only
def state_edit(request: HttpRequest, iso3: str) -> HttpResponse:
    state = access_object(State, request.user, Action.CHANGE, iso3=iso3.upper())
    form = StateCommitteeForm(request.POST or None, instance=state)
    if request.method == "POST" and form.is_valid():
        services.state_set_committee_membership(
            state=state, member_since=form.cleaned_data["committee_member_since"]
        )
        messages.success(request, _("Changes saved."))
        return redirect("core:state_detail", iso3=state.iso3)
    return form_page(
        request,
        form,
        title=_("Committee membership: %(name)s") % {"name": state.name},
        cancel=reverse("core:state_detail", args=[state.iso3]),
    )


# --- history and audit (secretariat) ----------------------------------------------------------------

HISTORY_MODELS: dict[str, tuple[type[Any], str]] = {
    "state": (State, "iso3"),
    "organisation": (Organisation, "pk"),
    "person": (User, "pk"),
}


@role_required(*SECRETARIAT_ROLES)
def record_history(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """Who changed what, when, for one directory record."""
    if kind not in HISTORY_MODELS:
        raise PermissionDenied
    model, field = HISTORY_MODELS[kind]
    obj = access_object(model, request.user, Action.VIEW, **{field: key.upper() if field == "iso3" else key})
    rows = []
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:200])
    for record in records:
        previous = record.prev_record
        changes = record.diff_against(previous).changes if previous is not None else []
        rows.append({"record": record, "changes": changes})
    return render(request, "core/history.html", {"object": obj, "rows": rows})


@role_required(*SECRETARIAT_ROLES)
def audit_list(request: HttpRequest) -> HttpResponse:
    base = restrict(AuditEvent, request.user)
    filterset = AuditEventFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return render(
        request,
        "core/audit_list.html",
        {"filter": filterset, "page": _page(request, queryset.order_by("-seq"))},
    )


# --- account: language, API tokens, jobs -----------------------------------------------------------


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    new_key = None
    form = APITokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(
            user=user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"] or None,
        )
        form = APITokenForm()
    tokens = APIToken.objects.filter(user=user).order_by("-created")
    return render(
        request,
        "account/account.html",
        {"form": form, "tokens": tokens, "new_key": new_key, "memberships": user.active_memberships},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_key: str) -> HttpResponse:
    if not services.api_token_revoke(user=request.user, token_key=token_key):  # type: ignore[arg-type]
        return page_not_found_for(request)
    messages.success(request, _("The token was revoked. Programs using it can no longer connect."))
    return redirect("core:account")


def page_not_found_for(request: HttpRequest) -> HttpResponse:
    from ceiba.common.views import page_not_found

    return page_not_found(request)


@login_required
def job_detail(request: HttpRequest, pk: str) -> HttpResponse:
    job = access_object(Job, request.user, Action.VIEW, pk=pk)
    template = "common/job_status.html" if request.headers.get("HX-Request") else "common/job_detail.html"
    return render(request, template, {"job": job})
