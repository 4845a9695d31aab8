"""Import pages: classes and students, the timetable and marks (the institution's
administration), a thematic plan (КТП) of a group (also its teacher), and the empty templates.
Every import shows a row-level report; "only check" writes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.clock import today
from setka.core.tabular import Table, report_rows
from setka.network.roles import user_roles

from .. import importing
from ..access import year_for_user
from ..forms import ImportForm, PlanImportForm
from ..importing.base import MAX_SHOWN_ERRORS
from ..models import Lesson, StudyGroup, Subject, TeachingAssignment
from ..rules import group_journal_access
from .structure import form_page, parse_day, within

IMPORTERS = {
    "classes": importing.classes_import,
    "timetable": importing.timetable_import,
    "marks": importing.marks_import,
}


def _limit_text(spec: importing.Spec) -> str:
    return ngettext(
        "CSV (UTF-8 or Windows-1251, separated by ; or ,) or Excel (.xlsx), up to %(mb)d MB and "
        "%(rows)s row.",
        "CSV (UTF-8 or Windows-1251, separated by ; or ,) or Excel (.xlsx), up to %(mb)d MB and "
        "%(rows)s rows.",
        spec.max_rows,
    ) % {"mb": spec.max_bytes // (1024 * 1024), "rows": f"{spec.max_rows:,}".replace(",", " ")}


def _report_context(report: importing.ImportReport, table: Table, spec: importing.Spec) -> dict:
    errors, more_errors = report_rows(report.errors, table, spec, limit=MAX_SHOWN_ERRORS)
    return {
        "report": report,
        "errors": errors,
        "more_errors": more_errors,
        "summary": report.summary,
        "ignored": table.ignored,
    }


def _read(form, spec: importing.Spec) -> Table | None:
    upload = form.cleaned_data["file"]
    try:
        return importing.read_table(upload.read(spec.max_bytes + 1), upload.name, spec)
    except importing.ImportFileError as exc:
        form.add_error("file", exc.message)
        return None


@login_required
def import_home(request: HttpRequest, pk: int) -> HttpResponse:
    year, _can = year_for_user(request.user, pk, write=True)
    context = {"year": year, "institution": year.institution}
    return form_page(request, "journal/imports/index.html", context)


@login_required
def import_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in IMPORTERS:
        raise Http404
    year, _can = year_for_user(request.user, pk, write=True)
    spec = importing.SPECS[kind]
    form = ImportForm(request.POST or None, request.FILES or None, limit_text=_limit_text(spec))
    context: dict[str, Any] = {
        "year": year,
        "institution": year.institution,
        "kind": kind,
        "spec": spec,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        table = _read(form, spec)
        if table is not None:
            report = IMPORTERS[kind](
                actor=request.user,
                year=year,
                rows=table.rows,
                filename=form.cleaned_data["file"].name,
                dry_run=form.cleaned_data["dry_run"],
            )
            context.update(_report_context(report, table, spec))
            context["failed"] = not report.ok
            if report.ok and report.dry_run:
                context["form"] = ImportForm(
                    initial={"dry_run": False}, limit_text=_limit_text(spec)
                )
    return form_page(request, f"journal/imports/{kind}.html", context)


# --- the thematic plan -------------------------------------------------------------------------


def _plan_subjects(user, group: StudyGroup):
    """Subjects whose plan the user may import: all the group's subjects for its
    administration, the subjects they teach for a teacher."""
    assignments = TeachingAssignment.objects.active(within(group.year)).filter(group=group)
    if not user.has_perm("journal.manage_structure", group):
        assignments = assignments.filter(teacher_id=user_roles(user).person_id)
    ids = set(assignments.values_list("subject_id", flat=True))
    if user.has_perm("journal.manage_structure", group):
        ids |= set(Lesson.objects.filter(group=group).values_list("subject_id", flat=True))
    return Subject.objects.filter(pk__in=ids)


@login_required
def import_plan(request: HttpRequest, pk: int) -> HttpResponse:
    group = (
        StudyGroup.objects.select_related("year", "institution", "parent", "class_teacher")
        .filter(pk=pk)
        .first()
    )
    if group is None or not plan_access(request.user, group):
        raise Http404
    group.year.institution = group.institution
    subjects = _plan_subjects(request.user, group)
    initial: dict[str, Any] = {"starts_on": within(group.year, group.year.starts_on)}
    if request.GET.get("subject", "").isdigit():
        initial["subject"] = int(request.GET["subject"])
    spec = importing.PLAN
    form = PlanImportForm(
        request.POST or None,
        request.FILES or None,
        subjects=subjects,
        initial=initial,
        limit_text=_limit_text(spec),
    )
    context: dict[str, Any] = {
        "group": group,
        "year": group.year,
        "institution": group.institution,
        "spec": spec,
        "form": form,
        "is_admin": request.user.has_perm("journal.manage_structure", group),
        "journals": [(s, reverse("journal:grid", args=[group.pk, s.pk])) for s in subjects],
    }
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not importing.can_import_plan(request.user, group, data["subject"]):
            raise PermissionDenied
        if not group.year.contains(data["starts_on"]):
            form.add_error(
                "starts_on",
                _("The date is outside the academic year %(year)s.") % {"year": group.year.name},
            )
        table = _read(form, spec) if not form.errors else None
        if table is not None:
            report = importing.plan_import(
                actor=request.user,
                group=group,
                subject=data["subject"],
                starts_on=data["starts_on"],
                rows=table.rows,
                filename=data["file"].name,
                dry_run=data["dry_run"],
                replace=data["replace"],
            )
            context.update(_report_context(report, table, spec))
            context["failed"] = not report.ok
    return form_page(request, "journal/imports/plan.html", context)


@login_required
def import_template(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """The empty file of a kind with the Russian headers and an example row. Object-less:
    for the staff of institutions and municipal admins."""
    roles = user_roles(request.user)
    if not (roles.employee_of or roles.municipal_admin_of):
        raise PermissionDenied
    spec = importing.SPECS.get(kind)
    if spec is None or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        body, content_type = importing.template_csv(spec), "text/csv; charset=utf-8"
    else:
        body = importing.template_xlsx(spec)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(body, content_type=content_type)
    stamp = today().strftime("%Y")
    response["Content-Disposition"] = f'attachment; filename="setka-{kind}-{stamp}.{fmt}"'
    return response


def plan_access(user, group: StudyGroup) -> bool:
    """May open the plan import of ``group``: its administration or a teacher of it."""
    if user.has_perm("journal.manage_structure", group):
        return True
    person_id = user_roles(user).person_id
    if person_id is None:
        return False
    return any(
        group_journal_access(user, group, sid) == "write"
        for sid in TeachingAssignment.objects.active(within(group.year))
        .filter(group=group, teacher_id=person_id)
        .values_list("subject_id", flat=True)
    )


@login_required
def export_file(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    """A file of the exchange format for the regional journal system (readers of the year's
    structure: its administration and the municipal admins)."""
    from ..importing import exchange

    year, _can = year_for_user(request.user, pk)
    export = exchange.EXPORTS.get(kind)
    if export is None or fmt not in ("csv", "xlsx"):
        raise Http404
    since = parse_day(request.GET.get("since"))
    until = parse_day(request.GET.get("until"))
    rows = exchange.export_rows(kind, year, since=since, until=until)
    name = f"{year.institution.slug}-{year.name.replace('/', '-')}-{kind}.{fmt}"
    if fmt == "csv":
        return exchange.csv_response(export, rows, name)
    response = HttpResponse(
        exchange.xlsx_bytes(export, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
