"""Pages of the policy cycle's plans (under /policy/): the cycles and their priorities (public), a
cycle's page, adopting priorities from an assessment run, strategic plans and goals, the horizontal
goals' configuration, operational action plans and their actions (members only).

Reads go through the access policy (`restrict`, `access_object`: what one may not see is "not
found"); writes through `plan_services`, which check the role again. Edits carry the version they
started from: a stale one is refused with a clear message and nothing is overwritten."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceiba.assessment.choices import PriorityListStatus, RunKind
from ceiba.assessment.models import AssessmentRun
from ceiba.common.access import Action, access_object, is_secretariat, principal_for, restrict
from ceiba.common.locking import StaleEdit

from . import evaluation_selectors, progress_services
from . import plan_services as services
from .models import (
    ActionActor,
    ActionResult,
    Decision,
    HorizontalGoal,
    Kpi,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    Priority,
    StrategicGoal,
    StrategicPlan,
)
from .plan_forms import (
    PART_FORMS,
    ActionForm,
    ActionPlanForm,
    AdoptForm,
    CycleEditForm,
    CycleForm,
    GoalForm,
    HorizontalGoalForm,
    PriorityForm,
    StrategicPlanForm,
)
from .policies import is_member
from .progress_selectors import with_visible_actual

M = TypeVar("M", bound=models.Model)
TEMPLATES = "policy/plans/"


def apply_errors(form: Any, error: ValidationError) -> None:
    """Show a service's validation error on the form, on the field it names where there is one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _render(request: HttpRequest, template: str, context: dict[str, Any], form: Any = None) -> HttpResponse:
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, TEMPLATES + template, context, status=status)


def _for_editor(request: HttpRequest, source: type[M] | QuerySet[M], pk: int) -> M | HttpResponse:
    """The record a secretariat page acts on: sign-in first, then "not found" for a record one may
    not see, then "forbidden" for anyone but the secretariat."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    obj = access_object(source, request.user, Action.VIEW, pk=pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return obj


def _save(
    request: HttpRequest, form: Any, write: Callable[[], Any], done: str, record: models.Model | None = None
) -> Any:
    """Call a service for a valid form; its errors land on the form, a stale edit as a message. When
    the service refuses an edit of `record`, the record is read again: the service applied the typed
    values to it before refusing, and the page's heading and links show the record as stored (the
    form keeps what was typed)."""
    try:
        result = write()
    except (StaleEdit, ValidationError) as error:
        if isinstance(error, StaleEdit):
            form.add_error(None, str(error))
        else:
            apply_errors(form, error)
        if record is not None:
            record.refresh_from_db()
        return None
    messages.success(request, done)
    return result


def _version(form: Any) -> int | None:
    value = form.cleaned_data.get("lock_version")
    return int(value) if value is not None else None


# --------------------------------------------------------------------------------------------------
# Cycles


def _cycle_priorities(user: Any) -> Prefetch:
    return Prefetch(
        "priorities",
        queryset=restrict(Priority.objects.all(), user)
        .select_related("driver", "crime_area")
        .prefetch_related("co_drivers"),
    )


def home(request: HttpRequest) -> HttpResponse:
    """The committee's policy cycles, the current one first, with their priorities."""
    today = timezone.localdate()
    cycles = list(
        restrict(PolicyCycle.objects.all(), request.user)
        .select_related("committee")
        .prefetch_related(_cycle_priorities(request.user))
    )
    cycles.sort(
        key=lambda cycle: (not cycle.starts_on <= today <= cycle.ends_on, -cycle.starts_on.toordinal())
    )
    return render(
        request,
        TEMPLATES + "home.html",
        {
            "cycles": cycles,
            "today": today,
            "can_edit": is_secretariat(request.user),
            "can_configure": services.may_configure_goals(request.user),
        },
    )


def cycle_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = CycleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        cycle = _save(
            request,
            form,
            lambda: services.cycle_create(actor=request.user, **form.cleaned_data),
            _("The cycle is open."),
        )
        if cycle is not None:
            return redirect("policy:cycle_detail", pk=cycle.pk)
    return _render(request, "cycle_form.html", {"form": form}, form)


def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a cycle's name, dates, status or links (the secretariat)."""
    cycle = _for_editor(request, PolicyCycle.objects.select_related("committee"), pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    form = CycleEditForm(request.POST or None, instance=cycle, user=request.user)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.cycle_update(
                actor=request.user, cycle=cycle, expected_version=_version(form), **values
            ),
            _("The cycle is saved."),
            record=cycle,
        )
        if saved is not None:
            return redirect("policy:cycle_detail", pk=cycle.pk)
    return _render(request, "cycle_edit.html", {"form": form, "cycle": cycle}, form)


def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle: its priorities with driver and co-drivers, strategic plans and goals, and (for
    members) the operational action plans."""
    cycle = access_object(
        PolicyCycle.objects.select_related("committee", "assessment_run", "previous"), request.user, pk=pk
    )
    action_plans = restrict(OperationalActionPlan.objects.all(), request.user).order_by("starts_on")
    priorities = (
        restrict(Priority.objects.filter(cycle=cycle), request.user)
        .select_related("driver", "crime_area", "decision", "recommended_priority__run", "strategic_plan")
        .prefetch_related(
            "co_drivers",
            Prefetch(
                "strategic_plan__goals", queryset=StrategicGoal.objects.select_related("horizontal_goal")
            ),
            Prefetch("action_plans", queryset=action_plans),
        )
    )
    listed = list(priorities)
    # The decision adopting a priority is named only to those who may read it (it may be restricted).
    decisions = {p.decision_id for p in listed if p.decision_id is not None}
    readable = set(
        restrict(Decision.objects.filter(pk__in=decisions), request.user).values_list("pk", flat=True)
    )
    for priority in listed:
        if priority.decision_id is not None and priority.decision_id not in readable:
            priority.decision = None
    run_visible = (
        cycle.assessment_run_id is not None
        and restrict(AssessmentRun, request.user).filter(pk=cycle.assessment_run_id).exists()
    )
    next_cycle = PolicyCycle.objects.filter(previous=cycle).first()
    return render(
        request,
        TEMPLATES + "cycle_detail.html",
        {
            "cycle": cycle,
            "priorities": listed,
            "run_visible": run_visible,
            "next_cycle": next_cycle,
            "can_edit": is_secretariat(request.user),
            "is_member": is_member(principal_for(request.user)),
            "can_read_evaluation": evaluation_selectors.may_read(cycle, request.user),
        },
    )


# --------------------------------------------------------------------------------------------------
# Priorities


def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _for_editor(request, PolicyCycle.objects.select_related("committee"), pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    form = PriorityForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        priority = _save(
            request,
            form,
            lambda: services.priority_create(actor=request.user, cycle=cycle, **values),
            _("The priority is adopted."),
        )
        if priority is not None:
            return redirect("policy:cycle_detail", pk=cycle.pk)
    return _render(request, "priority_form.html", {"form": form, "cycle": cycle}, form)


def priority_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt recommended priorities of a handed-over run: first choose the run, then which of its
    recommended priorities the committee adopted, with their drivers and rationales."""
    cycle = _for_editor(request, PolicyCycle.objects.select_related("committee"), pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    runs = restrict(AssessmentRun, request.user).filter(
        kind=RunKind.CYCLE, priorities_status=PriorityListStatus.HANDED_OVER
    )
    run_pk = request.POST.get("run") or request.GET.get("run") or cycle.assessment_run_id
    context: dict[str, Any] = {"cycle": cycle, "runs": runs, "run": None, "form": None}
    if not run_pk:
        return _render(request, "priority_adopt.html", context)
    try:
        run = services.adoptable_run(request.user, int(run_pk))
    except (ValueError, TypeError):
        messages.error(request, _("Choose an assessment run."))
        return _render(request, "priority_adopt.html", context)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _render(request, "priority_adopt.html", context)
    adopted = set(cycle.priorities.values_list("recommended_priority_id", flat=True))
    recommended = [
        item
        for item in run.priorities.select_related("crime_area").order_by("rank")
        if item.pk not in adopted
    ]
    form = AdoptForm(request.POST or None, cycle=cycle, recommended=recommended)
    context.update(run=run, form=form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        adoptions = [
            services.Adoption(
                recommended=item["priority"],
                driver=data[f"{item['prefix']}_driver"],
                co_drivers=list(data[f"{item['prefix']}_co_drivers"]),
                rationale=data[f"{item['prefix']}_rationale"],
            )
            for item in form.items
            if data.get(f"{item['prefix']}_adopt")
        ]
        created = _save(
            request,
            form,
            lambda: services.priorities_adopt(
                actor=request.user, cycle=cycle, run=run, adoptions=adoptions, decision=data["decision"]
            ),
            _("The priorities are adopted."),
        )
        if created is not None:
            return redirect("policy:cycle_detail", pk=cycle.pk)
    return _render(request, "priority_adopt.html", context, form)


def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _for_editor(request, Priority.objects.select_related("cycle__committee"), pk)
    if isinstance(priority, HttpResponse):
        return priority
    form = PriorityForm(request.POST or None, instance=priority, cycle=priority.cycle)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        co_drivers = list(values.pop("co_drivers"))
        saved = _save(
            request,
            form,
            lambda: services.priority_update(
                actor=request.user,
                priority=priority,
                expected_version=_version(form),
                co_drivers=co_drivers,
                **values,
            ),
            _("The priority is saved."),
            record=priority,
        )
        if saved is not None:
            return redirect("policy:cycle_detail", pk=priority.cycle_id)
    return _render(
        request, "priority_form.html", {"form": form, "cycle": priority.cycle, "priority": priority}, form
    )


# --------------------------------------------------------------------------------------------------
# Strategic plans and goals


def strategic_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _for_editor(request, Priority.objects.select_related("cycle__committee"), pk)
    if isinstance(priority, HttpResponse):
        return priority
    form = StrategicPlanForm(request.POST or None, priority=priority)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        goals = list(form.cleaned_data["horizontal_goals"])
        plan = _save(
            request,
            form,
            lambda: services.strategic_plan_create(
                actor=request.user, priority=priority, horizontal_goals=goals, **values
            ),
            _("The strategic plan is saved."),
        )
        if plan is not None:
            return redirect(f"{plan_url(priority)}#priority-{priority.pk}")
    return _render(request, "strategic_plan_form.html", {"form": form, "priority": priority}, form)


def plan_url(priority: Priority) -> str:
    return reverse("policy:cycle_detail", args=[priority.cycle_id])


def strategic_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _for_editor(request, StrategicPlan.objects.select_related("priority__cycle__committee"), pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = StrategicPlanForm(request.POST or None, instance=plan, priority=plan.priority)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.strategic_plan_update(
                actor=request.user, plan=plan, expected_version=_version(form), **values
            ),
            _("The strategic plan is saved."),
            record=plan,
        )
        if saved is not None:
            return redirect(f"{plan_url(plan.priority)}#priority-{plan.priority_id}")
    return _render(
        request, "strategic_plan_form.html", {"form": form, "priority": plan.priority, "plan": plan}, form
    )


def goal_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _for_editor(request, StrategicPlan.objects.select_related("priority__cycle"), pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        goal = _save(
            request,
            form,
            lambda: services.goal_create(actor=request.user, plan=plan, **values),
            _("The goal is added."),
        )
        if goal is not None:
            return redirect(f"{plan_url(plan.priority)}#priority-{plan.priority_id}")
    return _render(request, "goal_form.html", {"form": form, "plan": plan}, form)


def goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a strategic goal's code, title, description or horizontal goal (the secretariat)."""
    goal = _for_editor(request, StrategicGoal.objects.select_related("plan__priority__cycle"), pk)
    if isinstance(goal, HttpResponse):
        return goal
    form = GoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.goal_update(
                actor=request.user, goal=goal, expected_version=_version(form), **values
            ),
            _("The goal is saved."),
            record=goal,
        )
        if saved is not None:
            return redirect(f"{plan_url(goal.plan.priority)}#priority-{goal.plan.priority_id}")
    return _render(request, "goal_edit.html", {"form": form, "goal": goal, "plan": goal.plan}, form)


# --------------------------------------------------------------------------------------------------
# Horizontal goals


def _configurator(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.may_configure_goals(request.user):
        raise PermissionDenied
    return None


def horizontal_goals(request: HttpRequest) -> HttpResponse:
    """The secretariat administrator's configuration of the common horizontal goals: rename them in
    the four languages, reorder, deactivate, add."""
    refused = _configurator(request)
    if refused is not None:
        return refused
    form = HorizontalGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        goal = _save(
            request,
            form,
            lambda: services.horizontal_goal_create(actor=request.user, **values),
            _("The horizontal goal is added."),
        )
        if goal is not None:
            return redirect("policy:horizontal_goals")
    goals = HorizontalGoal.objects.annotate(uses=models.Count("goals")).order_by("order", "code")
    return _render(request, "horizontal_goals.html", {"form": form, "goals": goals}, form)


def horizontal_goal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _configurator(request)
    if refused is not None:
        return refused
    goal = access_object(HorizontalGoal, request.user, pk=pk)
    form = HorizontalGoalForm(request.POST or None, instance=goal)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.horizontal_goal_update(
                actor=request.user, goal=goal, expected_version=_version(form), **values
            ),
            _("The horizontal goal is saved."),
            record=goal,
        )
        if saved is not None:
            return redirect("policy:horizontal_goals")
    return _render(request, "horizontal_goal_form.html", {"form": form, "goal": goal}, form)


@require_POST
def horizontal_goal_move(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _configurator(request)
    if refused is not None:
        return refused
    goal = access_object(HorizontalGoal, request.user, pk=pk)
    services.horizontal_goal_move(actor=request.user, goal=goal, up=request.POST.get("direction") != "down")
    return redirect("policy:horizontal_goals")


# --------------------------------------------------------------------------------------------------
# Operational action plans and actions


def action_plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _for_editor(request, Priority.objects.select_related("cycle__committee"), pk)
    if isinstance(priority, HttpResponse):
        return priority
    form = ActionPlanForm(request.POST or None, priority=priority)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        plan = _save(
            request,
            form,
            lambda: services.action_plan_create(actor=request.user, priority=priority, **values),
            _("The operational action plan is saved."),
        )
        if plan is not None:
            return redirect("policy:action_plan_detail", pk=plan.pk)
    return _render(request, "action_plan_form.html", {"form": form, "priority": priority}, form)


def action_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An operational action plan and its actions: status, leader, dates, budget, KPI target vs
    actual."""
    plan = access_object(
        OperationalActionPlan.objects.select_related("priority__cycle", "priority__driver", "decision"),
        request.user,
        pk=pk,
    )
    actions = (
        restrict(OperationalAction.objects.filter(plan=plan), request.user)
        .select_related("leader_state", "leader_organisation", "goal")
        .prefetch_related(
            Prefetch("kpis", queryset=with_visible_actual(Kpi.objects.order_by("code"), request.user))
        )
        .order_by("code")
    )
    return render(
        request,
        TEMPLATES + "action_plan_detail.html",
        {
            "plan": plan,
            "actions": actions,
            "can_edit": is_secretariat(request.user),
            "is_member": is_member(principal_for(request.user)),
        },
    )


def action_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _for_editor(
        request, OperationalActionPlan.objects.select_related("priority__cycle__committee"), pk
    )
    if isinstance(plan, HttpResponse):
        return plan
    form = ActionPlanForm(request.POST or None, instance=plan, priority=plan.priority)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.action_plan_update(
                actor=request.user, plan=plan, expected_version=_version(form), **values
            ),
            _("The operational action plan is saved."),
            record=plan,
        )
        if saved is not None:
            return redirect("policy:action_plan_detail", pk=plan.pk)
    return _render(
        request, "action_plan_form.html", {"form": form, "priority": plan.priority, "plan": plan}, form
    )


def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _for_editor(request, OperationalActionPlan.objects.select_related("priority"), pk)
    if isinstance(plan, HttpResponse):
        return plan
    form = ActionForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        action = _save(
            request,
            form,
            lambda: services.action_create(actor=request.user, plan=plan, **values),
            _("The action is saved."),
        )
        if action is not None:
            return redirect("policy:action_detail", pk=action.pk)
    return _render(request, "action_form.html", {"form": form, "plan": plan}, form)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = access_object(
        OperationalAction.objects.select_related(
            "plan__priority__cycle", "goal__horizontal_goal", "leader_state", "leader_organisation"
        ),
        request.user,
        pk=pk,
    )
    can_edit = is_secretariat(request.user)
    return render(
        request,
        TEMPLATES + "action_detail.html",
        {
            "action": action,
            "kpis": with_visible_actual(restrict(action.kpis.all(), request.user), request.user),
            "actors": restrict(ActionActor.objects.filter(action=action), request.user).select_related(
                "state", "organisation"
            ),
            "results": restrict(action.results.all(), request.user).select_related("reported_by"),
            "can_edit": can_edit,
            "can_report": progress_services.may_report(request.user, action),
            "part_forms": {name: form_class(prefix=name) for name, form_class in PART_FORMS.items()}
            if can_edit
            else {},
        },
    )


def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _for_editor(request, OperationalAction.objects.select_related("plan__priority"), pk)
    if isinstance(action, HttpResponse):
        return action
    form = ActionForm(request.POST or None, instance=action, plan=action.plan)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = _save(
            request,
            form,
            lambda: services.action_update(
                actor=request.user, action=action, expected_version=_version(form), **values
            ),
            _("The action is saved."),
            record=action,
        )
        if saved is not None:
            return redirect("policy:action_detail", pk=action.pk)
    return _render(request, "action_form.html", {"form": form, "plan": action.plan, "action": action}, form)


PART_SERVICES: dict[str, Callable[..., Any]] = {
    "kpi": services.kpi_add,
    "actor": services.actor_add,
    "result": services.result_add,
}
PART_DONE = {
    "kpi": gettext_lazy("The KPI is added."),
    "actor": gettext_lazy("The participant is added."),
    "result": gettext_lazy("The result is recorded."),
}


@require_POST
def action_part_add(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """Add a KPI, a co-leader/participant/partner or a result to an action (from its page)."""
    action = _for_editor(request, OperationalAction, pk)
    if isinstance(action, HttpResponse):
        return action
    if part not in PART_FORMS:
        raise PermissionDenied
    form = PART_FORMS[part](request.POST, prefix=part)
    if form.is_valid():
        values = form.values()
        _save(
            request,
            form,
            lambda: PART_SERVICES[part](actor=request.user, action=action, **values),
            str(PART_DONE[part]),
        )
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else str(message))
    return redirect("policy:action_detail", pk=action.pk)


PART_MODELS: dict[str, type[Kpi] | type[ActionActor] | type[ActionResult]] = {
    "kpi": Kpi,
    "actor": ActionActor,
    "result": ActionResult,
}
PART_REMOVED = {
    "kpi": gettext_lazy("The KPI is removed."),
    "actor": gettext_lazy("The participant is removed."),
    "result": gettext_lazy("The result is removed."),
}


@require_POST
def action_part_remove(request: HttpRequest, pk: int, part: str, item_pk: int) -> HttpResponse:
    """Remove a KPI (one without reported values), a participant or a result of an action."""
    action = _for_editor(request, OperationalAction, pk)
    if isinstance(action, HttpResponse):
        return action
    if part not in PART_MODELS:
        raise PermissionDenied
    item = cast(
        Kpi | ActionActor | ActionResult,
        access_object(PART_MODELS[part].objects.filter(action=action), request.user, pk=item_pk),
    )
    try:
        services.child_remove(actor=request.user, obj=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(PART_REMOVED[part]))
    return redirect("policy:action_detail", pk=action.pk)
