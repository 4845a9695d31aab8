"""Importing the people of an institution from a CSV or XLSX file, and the empty templates.
The parsing, checking and writing live in :mod:`setka.network.importing`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from setka.core import tabular

from .. import importing
from ..access import institution_for_user
from ..forms import ImportForm
from ..models import Institution


def _institution(request, slug: str) -> Institution:
    return institution_for_user(request.user, slug=slug, perm="network.manage_people")


def _form_page(request, context: dict, form) -> HttpResponse:
    status = 400 if form.errors else 200
    return render(request, "network/people/import.html", context, status=status)


def _summary(report: importing.PeopleReport) -> list[str]:
    parts = [
        _("New people: %(n)d.") % {"n": report.people_created},
        _("Already in the network: %(n)d.") % {"n": report.people_attached},
        _("Roles added: %(n)d.") % {"n": report.memberships},
        _("Parents linked: %(n)d (new people among them: %(new)d).")
        % {"n": report.guardianships, "new": report.parents_created},
    ]
    if report.skipped:
        parts.append(_("Skipped, already had the role: %(n)d.") % {"n": report.skipped})
    return parts


@login_required
def people_import(request, slug: str):
    institution = _institution(request, slug)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict = {"institution": institution, "form": form}
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, context, form)
    upload = form.cleaned_data["file"]
    try:
        table = importing.read_table(upload.read(importing.MAX_FILE_SIZE + 1), upload.name)
    except importing.ImportFileError as exc:
        form.add_error("file", exc.message)
        return _form_page(request, context, form)
    report = importing.people_import(
        actor=request.user,
        institution=institution,
        rows=table.rows,
        dry_run=form.cleaned_data["dry_run"],
        skip_existing=form.cleaned_data["skip_existing"],
    )
    if report.ok and not report.dry_run:
        messages.success(
            request,
            ngettext(
                "The file is imported: %(rows)d row.",
                "The file is imported: %(rows)d rows.",
                report.rows,
            )
            % {"rows": report.rows}
            + " "
            + " ".join(_summary(report)),
        )
        return redirect("network:people", slug=institution.slug)
    errors, more_errors = tabular.report_rows(
        report.errors,
        table,
        importing.PEOPLE,
        limit=500,
        english=not get_language().startswith("ru"),
    )
    context.update(
        report=report,
        errors=errors,
        more_errors=more_errors,
        summary=_summary(report),
        ignored=table.ignored,
        filename=upload.name,
    )
    return render(
        request, "network/people/import.html", context, status=400 if report.errors else 200
    )


@login_required
def people_import_template(request, slug: str, fmt: str):
    _institution(request, slug)
    english = not (get_language() or "ru").startswith("ru")
    if fmt == "csv":
        body, kind = (
            tabular.template_csv(importing.PEOPLE, english=english),
            "text/csv; charset=utf-8",
        )
    elif fmt == "xlsx":
        body = tabular.template_xlsx(importing.PEOPLE, english=english)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="people-template.{fmt}"'
    return response
