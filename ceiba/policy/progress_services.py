"""Progress reporting (issue 5, item 6): an action's leader files a progress report (one at a time,
or many from a CSV/XLSX file, all or nothing); the report updates the action's status, progress and
KPI actuals; reporting deadlines for the notifications (docs/policy/progress.md)."""

from __future__ import annotations

import datetime as dt
import tempfile
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, NotShared, restrict
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import Membership, Organisation, State, User
from ceiba.documentation.interchange.base import ImportAborted
from ceiba.documentation.interchange.tabular import TableReader, is_blank, normalise_header
from ceiba.sharing.choices import TLP, Scope

from . import progress_schedule
from .choices import ActionStatus
from .models import ActionResult, Kpi, KpiValue, OperationalAction, ProgressReport

#: Roles through which a person reports for the agency that leads an action.
LEADER_ROLES = (Role.ACTION_PARTICIPANT, Role.NATIONAL_FOCAL_POINT)
#: The largest progress file accepted.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
#: The columns of a progress file, in the template's order (docs/decisions/0053-progress-reporting.md).
COLUMNS = (
    "action_code",
    "period_start",
    "period_end",
    "status",
    "progress",
    "narrative",
    "kpi_code",
    "kpi_value",
    "kpi_unit",
    "tlp",
    "scope",
    "shared_with",
)
REQUIRED_COLUMNS = ("action_code", "period_start", "period_end", "status", "progress", "narrative")
#: Columns that describe the report (they must agree on every row of the same report).
REPORT_COLUMNS = ("period_start", "status", "progress", "narrative", "tlp", "scope", "shared_with")


class NotLeader(PermissionDenied):
    """The user may see the action but does not lead it."""

    def __init__(self) -> None:
        super().__init__(_("You do not lead this action: only its leading agency reports its progress."))


# --- who leads an action ------------------------------------------------------------------------------


def leader_memberships(user: Any) -> QuerySet[Membership, Any]:
    """The user's active memberships through which they may lead actions."""
    return Membership.objects.active().filter(user_id=getattr(user, "pk", None) or 0, role__in=LEADER_ROLES)


def leading_organisations(user: Any, action: OperationalAction) -> list[Organisation]:
    """The user's organisations that lead `action`: its leading agency, or, when only a state leads
    it, any of that state's organisations (through an action-participant or focal-point role)."""
    if not getattr(user, "is_authenticated", False):
        return []
    memberships = leader_memberships(user).select_related("organisation")
    if action.leader_organisation_id is not None:
        memberships = memberships.filter(organisation_id=action.leader_organisation_id)
    elif action.leader_state_id is not None:
        memberships = memberships.filter(organisation__state_id=action.leader_state_id)
    else:
        return []
    seen: dict[int, Organisation] = {}
    for membership in memberships:
        seen.setdefault(membership.organisation_id, membership.organisation)
    return list(seen.values())


def led_actions_q(user: Any) -> Q:
    """A condition on OperationalAction: the actions the user leads."""
    memberships = leader_memberships(user)
    return Q(leader_organisation_id__in=memberships.values("organisation_id")) | Q(
        leader_organisation__isnull=True,
        leader_state_id__in=memberships.filter(organisation__state__isnull=False).values(
            "organisation__state_id"
        ),
    )


def may_report(user: Any, action: OperationalAction) -> bool:
    return bool(leading_organisations(user, action))


def visible_actions(user: Any) -> QuerySet[OperationalAction, Any]:
    return restrict(OperationalAction, user, Action.VIEW)


# --- filing one report --------------------------------------------------------------------------------


def _kpi_errors(action: OperationalAction, kpi_values: Iterable[Mapping[str, Any]]) -> list[KpiValue]:
    """KpiValue rows (unsaved) for the given {"kpi": code or Kpi, "value", "unit"} entries; a
    ValidationError naming each bad KPI otherwise."""
    kpis = {kpi.code: kpi for kpi in action.kpis.all()}
    rows: list[KpiValue] = []
    messages: list[str] = []
    seen: set[str] = set()
    for entry in kpi_values:
        given = entry.get("kpi")
        code = given.code if isinstance(given, Kpi) else str(given or "").strip()
        kpi = kpis.get(code)
        if kpi is None:
            messages.append(_("%(kpi)s is not a KPI of this action.") % {"kpi": code or "?"})
            continue
        if code in seen:
            messages.append(_("%(kpi)s is reported twice.") % {"kpi": code})
            continue
        seen.add(code)
        unit = str(entry.get("unit") or kpi.unit).strip()
        try:
            value = Decimal(str(entry.get("value")).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            messages.append(_("%(kpi)s: the value is not a number.") % {"kpi": code})
            continue
        rows.append(KpiValue(kpi=kpi, value=value, unit=unit))
    if messages:
        raise ValidationError({"kpi_values": messages})
    return rows


def _refresh_action(action: OperationalAction) -> None:
    """The action's status, progress and KPI actuals from its latest report (by period end)."""
    latest = action.progress_reports.order_by("-period_end").first()
    if latest is not None:
        action.status = latest.status
        action.progress = latest.progress
        from ceiba.common.locking import save_versioned

        save_versioned(action, expected_version=None, update_fields=["status", "progress", "updated_at"])
    for kpi in action.kpis.all():
        value = (
            KpiValue.objects.filter(kpi=kpi)
            .order_by("-report__period_end")
            .values_list("value", flat=True)
            .first()
        )
        if value != kpi.actual:
            kpi.actual = value
            kpi.save(update_fields=["actual"])


def progress_report_file(
    *,
    actor: User,
    action: OperationalAction,
    period_start: dt.date,
    period_end: dt.date,
    status: str,
    progress: int,
    narrative: str,
    organisation: Organisation | None = None,
    kpi_values: Sequence[Mapping[str, Any]] = (),
    results: Sequence[Mapping[str, Any]] = (),
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
    shared_with_states: Iterable[State] = (),
    shared_with_organisations: Iterable[Organisation] = (),
    import_batch: str = "",
) -> ProgressReport:
    """File a progress report on `action` for its leading agency, in one transaction: the report,
    its KPI values (each in its KPI's unit), the results reported, the action's status, progress and
    KPI actuals (the latest report by period end wins) and an audit row. `NotShared` (404) for an
    action the actor may not see, `NotLeader` (403) for one they do not lead, ValidationError for
    bad data (nothing saved)."""
    if not visible_actions(actor).filter(pk=action.pk).exists():
        raise NotShared()
    organisations = leading_organisations(actor, action)
    if not organisations:
        raise NotLeader()
    if organisation is None:
        organisation = organisations[0]
    elif organisation.pk not in {o.pk for o in organisations}:
        raise ValidationError({"organisation": _("You do not report for this agency on this action.")})
    report = ProgressReport(
        action=action,
        organisation=organisation,
        created_by=actor,
        period_start=period_start,
        period_end=period_end,
        status=status,
        progress=progress,
        narrative=narrative,
        tlp=tlp,
        scope=scope,
        import_batch=import_batch,
    )
    errors: dict[str, list[str]] = {}
    try:
        report.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    states = list(shared_with_states)
    organisations_named = list(shared_with_organisations)
    if scope == Scope.NAMED and not states and not organisations_named:
        errors.setdefault("shared_with_states", []).append(
            _("Name the states or organisations that read this report.")
        )
    try:
        kpi_rows = _kpi_errors(action, kpi_values)
    except ValidationError as error:
        errors.update(error.message_dict)
        kpi_rows = []
    result_rows: list[ActionResult] = []
    for entry in results:
        result = ActionResult(
            action=action,
            kind=entry.get("kind", ""),
            quantity=entry.get("quantity"),  # type: ignore[misc]
            description=entry.get("description", "") or "",
            reported_by=actor,
        )
        try:
            result.full_clean()
        except ValidationError as error:
            errors.setdefault("results", []).extend(error.messages)
        result_rows.append(result)
    for value in kpi_rows:
        value.report = report
        try:
            value.full_clean(exclude=["report"])
        except ValidationError as error:
            errors.setdefault("kpi_values", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report.save()
        report.shared_with_states.set(states if scope == Scope.NAMED else [])
        report.shared_with_organisations.set(organisations_named if scope == Scope.NAMED else [])
        for value in kpi_rows:
            value.report = report
            value.save()
        for result in result_rows:
            result.report = report
            result.save()
        _refresh_action(action)
        audit.record(
            AuditAction.CREATE,
            obj=report,
            actor=actor,
            changes={
                "action": action.code,
                "period_end": str(period_end),
                "status": status,
                "progress": progress,
                "kpi_values": {value.kpi.code: str(value.value) for value in kpi_rows},
                "import_batch": import_batch,
            },
        )
    return report


# --- correcting a report ----------------------------------------------------------------------------

#: What a correction may change (the action and the reporting agency stay).
CORRECTABLE_FIELDS = ("period_start", "period_end", "status", "progress", "narrative", "tlp", "scope")


class NotCorrector(PermissionDenied):
    """The user may read the report but may not correct it."""

    def __init__(self) -> None:
        super().__init__(
            _("Only the reporting agency's action leaders and the state's focal point correct this report.")
        )


def may_correct(user: Any, report: ProgressReport) -> bool:
    return restrict(ProgressReport, user, Action.CHANGE).filter(pk=report.pk).exists()


def progress_report_update(
    *,
    actor: User,
    report: ProgressReport,
    expected_version: int | None,
    kpi_values: Sequence[Mapping[str, Any]] | None = None,
    shared_with_states: Iterable[State] | None = None,
    shared_with_organisations: Iterable[Organisation] | None = None,
    **values: Any,
) -> ProgressReport:
    """Correct a filed progress report (period, status, progress, narrative, marking, recipients and,
    when `kpi_values` is given, all its KPI values) in one transaction; the action's status, progress
    and KPI actuals are then recomputed from its latest report by period end, the change is kept in the
    report's history and in an audit row. `NotShared` (404) for a report the actor may not read,
    `NotCorrector` (403) for one they may not correct, `StaleEdit` when `expected_version` is not the
    stored one, ValidationError for bad data (nothing saved)."""
    if not restrict(ProgressReport, actor, Action.VIEW).filter(pk=report.pk).exists():
        raise NotShared()
    if not may_correct(actor, report):
        raise NotCorrector()
    unknown = set(values) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This cannot be changed.") for name in sorted(unknown)})
    action = report.action
    before = {name: str(getattr(report, name)) for name in CORRECTABLE_FIELDS}
    for name, value in values.items():
        setattr(report, name, value)
    errors: dict[str, list[str]] = {}
    try:
        report.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    states = list(shared_with_states) if shared_with_states is not None else None
    organisations = list(shared_with_organisations) if shared_with_organisations is not None else None
    if report.scope == Scope.NAMED:
        named_states = states if states is not None else list(report.shared_with_states.all())
        named_orgs = (
            organisations if organisations is not None else list(report.shared_with_organisations.all())
        )
        if not named_states and not named_orgs:
            errors.setdefault("shared_with_states", []).append(
                _("Name the states or organisations that read this report.")
            )
    else:
        states, organisations = [], []
    kpi_rows: list[KpiValue] | None = None
    if kpi_values is not None:
        try:
            kpi_rows = _kpi_errors(action, kpi_values)
        except ValidationError as error:
            errors.update(error.message_dict)
            kpi_rows = []
        for value in kpi_rows:
            value.report = report
            try:
                value.full_clean(exclude=["report"])
            except ValidationError as error:
                errors.setdefault("kpi_values", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        from ceiba.common.locking import save_versioned

        save_versioned(report, expected_version=expected_version)
        if states is not None:
            report.shared_with_states.set(states)
        if organisations is not None:
            report.shared_with_organisations.set(organisations)
        changes: dict[str, Any] = {
            name: [before[name], str(getattr(report, name))]
            for name in CORRECTABLE_FIELDS
            if before[name] != str(getattr(report, name))
        }
        if kpi_rows is not None:
            old = {value.kpi.code: str(value.value) for value in report.kpi_values.select_related("kpi")}
            report.kpi_values.all().delete()
            for value in kpi_rows:
                value.save()
            new = {value.kpi.code: str(value.value) for value in kpi_rows}
            if old != new:
                changes["kpi_values"] = [old, new]
        _refresh_action(action)
        audit.record(AuditAction.UPDATE, obj=report, actor=actor, changes=changes)
    return report


# --- many reports from a file -------------------------------------------------------------------------


@dataclass(frozen=True)
class Issue:
    """One reason a progress file cannot land: spreadsheet row (None: the file), column, message."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.column, "message": self.message}


class ProgressImportError(ValueError):
    """The file cannot land; `issues` names every problem by row and column. Nothing was saved."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(f"{i.row}/{i.column}: {i.message}" for i in self.issues))


@dataclass
class ImportResult:
    batch: str
    reports: list[ProgressReport] = field(default_factory=list)


@dataclass
class _Group:
    """The rows of one report (same action and period end)."""

    first_row: int
    action: OperationalAction
    values: dict[str, Any]
    kpis: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _read(path: Path) -> tuple[int, list[tuple[int, dict[str, Any]]]]:
    try:
        reader = TableReader(path, max_bytes=MAX_IMPORT_BYTES)
        lines = [(number, row) for number, row in reader.rows() if not is_blank(row)]
    except ImportAborted as error:
        raise ProgressImportError([Issue(e.row, e.column, str(e.message)) for e in error.errors]) from None
    if not lines:
        raise ProgressImportError([Issue(None, "", _("The file holds no rows."))])
    header_row, header = lines[0]
    names: list[str | None] = []
    issues: list[Issue] = []
    for cell in header:
        name = normalise_header(cell).replace(" ", "_") if cell not in (None, "") else None
        if name is not None and name not in COLUMNS:
            issues.append(
                Issue(
                    header_row,
                    str(cell),
                    _("unknown column (expected: %(columns)s)") % {"columns": ", ".join(COLUMNS)},
                )
            )
            name = None
        if name is not None and name in names:
            issues.append(Issue(header_row, name, _("the column appears twice")))
        names.append(name)
    for required in REQUIRED_COLUMNS:
        if required not in names:
            issues.append(Issue(header_row, required, _("the column is missing")))
    if issues:
        raise ProgressImportError(issues)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in lines[1:]:
        row: dict[str, Any] = {}
        for index, name in enumerate(names):
            if name is None:
                continue
            cell = line[index] if index < len(line) else None
            row[name] = cell.strip() if isinstance(cell, str) else cell
        rows.append((number, row))
    if not rows:
        raise ProgressImportError([Issue(None, "", _("The file holds a header but no reports."))])
    return header_row, rows


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value in (None, ""):
        return None
    return parse_date(str(value).strip()[:10]) if len(str(value).strip()) >= 10 else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _parse_row(
    number: int, row: dict[str, Any], issues: list[Issue], states: dict[str, State]
) -> dict[str, Any]:
    """Check one row's report columns; add an Issue per bad cell."""
    parsed: dict[str, Any] = {}
    for column in ("period_start", "period_end"):
        value = _date(row.get(column))
        if value is None:
            issues.append(Issue(number, column, _("not a date: write it as YYYY-MM-DD")))
        parsed[column] = value
    if parsed["period_start"] and parsed["period_end"] and parsed["period_end"] < parsed["period_start"]:
        issues.append(Issue(number, "period_end", _("A reporting period cannot end before it starts.")))
    status = _text(row.get("status")).lower()
    if status not in ActionStatus.values:
        issues.append(
            Issue(
                number,
                "status",
                _("unknown status (expected: %(values)s)") % {"values": ", ".join(ActionStatus.values)},
            )
        )
    parsed["status"] = status
    try:
        progress = int(Decimal(_text(row.get("progress"))))
        if not 0 <= progress <= 100:
            raise ValueError
    except (InvalidOperation, ValueError):
        issues.append(Issue(number, "progress", _("a whole number from 0 to 100")))
        progress = 0
    parsed["progress"] = progress
    parsed["narrative"] = _text(row.get("narrative"))
    if not parsed["narrative"]:
        issues.append(Issue(number, "narrative", _("the narrative is required")))
    tlp = _text(row.get("tlp")).lower() or TLP.AMBER
    if tlp not in TLP.values:
        issues.append(
            Issue(
                number,
                "tlp",
                _("unknown TLP marking (expected: %(values)s)") % {"values": ", ".join(TLP.values)},
            )
        )
    parsed["tlp"] = tlp
    scope = _text(row.get("scope")).lower() or Scope.SECRETARIAT
    if scope not in {str(s) for s in (Scope.SECRETARIAT, Scope.NAMED, Scope.ALL_MEMBERS)}:
        issues.append(
            Issue(number, "scope", _("unknown dissemination (expected: secretariat, named, all_members)"))
        )
    parsed["scope"] = scope
    named: list[State] = []
    for code in filter(
        None, (c.strip().upper() for c in _text(row.get("shared_with")).replace(",", ";").split(";"))
    ):
        if code not in states:
            issues.append(
                Issue(
                    number,
                    "shared_with",
                    _("unknown state code %(code)s (ISO 3166 alpha-3)") % {"code": code},
                )
            )
        else:
            named.append(states[code])
    parsed["shared_with"] = named
    return parsed


def progress_import(*, actor: User, upload: IO[bytes] | Any) -> ImportResult:
    """Read a progress file (CSV or XLSX, one row per KPI value; see COLUMNS) and file every report
    it holds in one transaction, all under one batch id; `ProgressImportError` naming every bad cell
    (row, column, message) and nothing saved otherwise."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "progress"
        with path.open("wb") as handle:
            written = 0
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                written += len(chunk)
                if written > MAX_IMPORT_BYTES:
                    raise ProgressImportError(
                        [
                            Issue(
                                None,
                                "",
                                _("The file is larger than %(limit)d bytes.") % {"limit": MAX_IMPORT_BYTES},
                            )
                        ]
                    )
                handle.write(chunk)
        with path.open("rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        # openpyxl goes by the file name's extension; the reader itself goes by the bytes.
        path = path.rename(path.with_suffix(".xlsx" if zipped else ".csv"))
        _header, rows = _read(path)
    issues: list[Issue] = []
    codes = {_text(row.get("action_code")) for _n, row in rows}
    actions = {
        action.code: action
        for action in visible_actions(actor)
        .filter(code__in=codes)
        .select_related("plan")
        .prefetch_related("kpis")
    }
    states = {state.iso3: state for state in State.objects.all()}
    groups: dict[tuple[str, Any], _Group] = {}
    seen_kpis: set[tuple[str, Any, str]] = set()
    leads: dict[str, bool] = {}
    for number, row in rows:
        code = _text(row.get("action_code"))
        action = actions.get(code)
        if action is None:
            issues.append(Issue(number, "action_code", _("unknown action code “%(code)s”") % {"code": code}))
        else:
            if code not in leads:
                leads[code] = may_report(actor, action)
            if not leads[code]:
                issues.append(
                    Issue(number, "action_code", _("you do not lead the action %(code)s") % {"code": code})
                )
        # Every problem of the row is reported, not only the first: its other cells are checked even
        # when the action cannot be reported on.
        parsed = _parse_row(number, row, issues, states)
        if action is None or not leads[code]:
            continue
        key = (code, parsed["period_end"])
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(number, action, parsed)
        else:
            for column in REPORT_COLUMNS:
                if parsed[column] != group.values[column]:
                    issues.append(
                        Issue(
                            number,
                            column,
                            _("differs from row %(row)d, which describes the same report")
                            % {"row": group.first_row},
                        )
                    )
        kpi_code = _text(row.get("kpi_code"))
        if kpi_code:
            if (code, parsed["period_end"], kpi_code) in seen_kpis:
                issues.append(
                    Issue(
                        number, "kpi_code", _("%(kpi)s is reported twice for this period") % {"kpi": kpi_code}
                    )
                )
                continue
            seen_kpis.add((code, parsed["period_end"], kpi_code))
            entry = {
                "kpi": kpi_code,
                "value": _text(row.get("kpi_value")),
                "unit": _text(row.get("kpi_unit")),
            }
            issues += _kpi_issues(number, action, entry)
            group.kpis.append((number, entry))
        elif _text(row.get("kpi_value")):
            issues.append(Issue(number, "kpi_code", _("name the KPI this value is for")))
    if issues:
        raise ProgressImportError(issues)
    batch = str(uuid.uuid4())
    result = ImportResult(batch)
    try:
        with transaction.atomic():
            for group in groups.values():
                issues += _file_group(actor, group, batch, result)
            if issues:
                raise ProgressImportError(issues)
    except ProgressImportError:
        raise
    return result


FIELD_COLUMNS = {
    "period_end": "period_end",
    "period_start": "period_start",
    "status": "status",
    "progress": "progress",
    "narrative": "narrative",
    "tlp": "tlp",
    "scope": "scope",
    "shared_with_states": "shared_with",
    "__all__": "period_end",
}


def _kpi_issues(number: int, action: OperationalAction, entry: dict[str, Any]) -> list[Issue]:
    """Every problem of one row's KPI value: an unknown KPI, the wrong unit, a value not a number."""
    kpi = next((k for k in action.kpis.all() if k.code == entry["kpi"]), None)
    if kpi is None:
        return [Issue(number, "kpi_code", _("%(kpi)s is not a KPI of this action.") % {"kpi": entry["kpi"]})]
    issues = []
    unit = entry["unit"] or kpi.unit
    if unit != kpi.unit:
        issues.append(
            Issue(
                number,
                "kpi_unit",
                _("%(kpi)s is counted in %(expected)s, not in “%(given)s”.")
                % {"kpi": kpi.code, "expected": kpi.unit, "given": unit},
            )
        )
    try:
        Decimal(entry["value"].replace(",", "."))
    except InvalidOperation:
        issues.append(
            Issue(number, "kpi_value", _("%(kpi)s: the value is not a number.") % {"kpi": kpi.code})
        )
    return issues


def _file_group(actor: User, group: _Group, batch: str, result: ImportResult) -> list[Issue]:
    values = group.values
    try:
        with transaction.atomic():
            report = progress_report_file(
                actor=actor,
                action=group.action,
                period_start=values["period_start"],
                period_end=values["period_end"],
                status=values["status"],
                progress=values["progress"],
                narrative=values["narrative"],
                kpi_values=[entry for _n, entry in group.kpis],
                tlp=values["tlp"],
                scope=values["scope"],
                shared_with_states=values["shared_with"],
                import_batch=batch,
            )
    except ValidationError as error:
        issues = []
        for name, messages in error.message_dict.items():
            for message in messages:
                issues.append(Issue(group.first_row, FIELD_COLUMNS.get(name, name), message))
        return issues
    result.reports.append(report)
    return []


def template_rows() -> list[list[Any]]:
    """The progress file's template: the header and two example rows (synthetic)."""
    return [
        list(COLUMNS),
        [
            "ACTION-CODE",
            "2026-01-01",
            "2026-06-30",
            "ongoing",
            "40",
            "What was done (example).",
            "K1",
            "30",
            "persons",
            "amber",
            "secretariat",
            "",
        ],
        [
            "ACTION-CODE",
            "2026-01-01",
            "2026-06-30",
            "ongoing",
            "40",
            "What was done (example).",
            "K2",
            "2",
            "operations",
            "amber",
            "secretariat",
            "",
        ],
    ]


# --- schedules and deadlines --------------------------------------------------------------------------


def action_schedule(
    action: OperationalAction, today: dt.date, latest_end: dt.date | None
) -> progress_schedule.Schedule:
    """The action's reporting schedule (its plan's rhythm from its start); `latest_end` is the latest
    period end among its reports (None: none yet)."""
    return progress_schedule.schedule(
        start=action.starts_on,
        end=action.ends_on,
        months=action.plan.reporting_months,
        period_ends=[latest_end] if latest_end else [],
        today=today,
        cancelled=action.status == ActionStatus.CANCELLED,
    )


def with_latest_report(actions: QuerySet[OperationalAction, Any]) -> QuerySet[OperationalAction, Any]:
    """Annotate `latest_period_end` (over every report: the schedule is summary data, whoever reads)."""
    return actions.annotate(latest_period_end=Max("progress_reports__period_end"))


def progress_deadlines(today: dt.date) -> list[dict[str, Any]]:
    """Reports due within 7 days and overdue ones, one entry per action and due date, addressed to
    the people who lead the action (for the notification registry)."""
    entries: list[dict[str, Any]] = []
    actions = with_latest_report(
        OperationalAction.objects.exclude(status=ActionStatus.CANCELLED).select_related("plan")
    ).filter(starts_on__lte=today + dt.timedelta(days=7))
    leaders = list(
        Membership.objects.active()
        .filter(role__in=LEADER_ROLES)
        .values_list("user_id", "organisation_id", "organisation__state_id")
    )
    for action in actions:
        plan = action.plan
        sched = action_schedule(action, today, action.latest_period_end)
        if action.leader_organisation_id is not None:
            users = sorted({u for u, org, _s in leaders if org == action.leader_organisation_id})
        else:
            users = sorted({u for u, _o, state in leaders if state and state == action.leader_state_id})
        if not users:
            continue
        url = reverse("policy:progress_action", args=[action.pk])
        for day in sched.overdue:
            entries.append(
                {
                    "recipients": users,
                    "kind": "progress_overdue",
                    "subject": _("Progress report overdue: %(code)s") % {"code": action.code},
                    "body": _("The progress report on %(action)s was due on %(date)s (plan: %(plan)s).")
                    % {"action": action, "date": day.isoformat(), "plan": plan},
                    "url": url,
                    "dedupe_key": f"progress-overdue:{action.pk}:{day.isoformat()}",
                }
            )
        if sched.next_due is not None and sched.next_due <= today + dt.timedelta(days=7):
            entries.append(
                {
                    "recipients": users,
                    "kind": "progress_due",
                    "subject": _("Progress report due: %(code)s") % {"code": action.code},
                    "body": _("The progress report on %(action)s is due on %(date)s (plan: %(plan)s).")
                    % {"action": action, "date": sched.next_due.isoformat(), "plan": plan},
                    "url": url,
                    "dedupe_key": f"progress-due:{action.pk}:{sched.next_due.isoformat()}",
                }
            )
    return entries
