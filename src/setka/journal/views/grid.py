"""The journal grid of a group × subject × period (rendered with Jinja2: it is the largest page
a teacher opens every day), and the two endpoints behind its keyboard entry: saving one cell
and saving one period mark. Both answer JSON, and JSON errors with a clear message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from markupsafe import Markup, escape

from setka.core.clock import today
from setka.network.models import Person

from .. import access
from ..access import JournalAccess, journal_for_user
from ..errors import error_code, error_text, json_error
from ..marktext import FAILED, NOT_CERTIFIED, PASSED, mark_text
from ..models import Lesson, MarkKind, Period
from ..periods import choose_period
from ..selectors import Grid, GridStudent, cell_text, journal_grid, student_summary
from ..services import records
from . import fmt_average

MAX_CELL_TEXT = 40
READONLY = ' aria-readonly="true"'
KIND_LABELS = {Lesson.Kind.CONTROL: "КР", Lesson.Kind.PRACTICAL: "ПР"}


@dataclass
class Column:
    lesson: Lesson
    url: str
    label: str  # "12.11"
    kind_label: str  # "КР" for a control work
    title: str  # topic and homework, for the tooltip
    editable: bool
    cancelled: bool
    has_homework: bool
    missing_topic: bool  # held (today or earlier) and still without a topic


@dataclass
class Row:
    student: GridStudent
    average: str
    cells: list[dict[str, Any]] = field(default_factory=list)
    cells_html: Markup = field(default_factory=Markup)


def _column_title(lesson: Lesson, homework) -> str:
    parts = [f"{lesson.date:%d.%m.%Y}, {_('lesson %(n)s') % {'n': lesson.number}}"]
    if lesson.kind != Lesson.Kind.REGULAR:
        parts.append(str(lesson.get_kind_display()))
    if lesson.is_cancelled:
        parts.append(str(_("cancelled")))
    parts.append(
        _("Topic: %(topic)s") % {"topic": lesson.topic} if lesson.topic else _("No topic yet")
    )
    if homework is not None:
        parts.append(_("Homework: %(text)s") % {"text": homework.text[:200]})
    return "\n".join(parts)


def cell_inner(code: str, marks: list[tuple[str, str]]) -> str:
    """The content of a cell: the attendance code and the marks (text, escaped kind name)."""
    inner = f'<span class="att">{escape(code)}</span>' if code else ""
    for text, title in marks:
        inner += f'<span class="mk" title="{title}">{escape(text)}</span>'
    return inner


def cell_td(label: str, lesson_id: int, esc_text: str, inner: str, editable: bool) -> str:
    """One cell of the grid; ``label`` and ``esc_text`` are escaped, ``inner`` is HTML."""
    aria = f"{label}: {esc_text}" if esc_text else label
    return (
        f'<td role="gridcell" class="{"cell" if editable else "cell ro"}" tabindex="-1"'
        f' data-lesson="{lesson_id}" data-label="{label}" data-text="{esc_text}"'
        f' aria-label="{aria}"{"" if editable else READONLY}>{inner}</td>'
    )


def build_rows(data, ja: JournalAccess, period: Period) -> tuple[list[Column], list[Row]]:
    day = today()
    lesson_url = reverse("journal:lesson", args=[0]).replace("/0/", "/{}/")
    columns = []
    for lesson in data.lessons:
        columns.append(
            Column(
                lesson=lesson,
                url=lesson_url.format(lesson.pk),
                label=f"{lesson.date:%d.%m}",
                kind_label=KIND_LABELS.get(lesson.kind, ""),
                title=_column_title(lesson, data.homework.get(lesson.pk)),
                editable=(
                    not period.is_closed and not lesson.is_cancelled and ja.can_write(lesson)
                ),
                cancelled=lesson.is_cancelled,
                has_homework=lesson.pk in data.homework,
                missing_topic=not lesson.topic and not lesson.is_cancelled and lesson.date <= day,
            )
        )
    # The cells are the bulk of the page (30 students × 30 lessons): they are written here as
    # HTML, escaped once per student and per mark kind, rather than by the template.
    kind_titles = {k: escape(v[0]) for k, v in data.kinds.items()}
    escaped: dict[str, str] = {}  # the few distinct cell texts ("5", "4 3", "Н"…), escaped once
    rows = []
    for s in data.students:
        row = Row(student=s, average=fmt_average(s.average))
        name = escape(s.name)
        left_on = s.left_on
        html = []
        for col in columns:
            lesson_id = col.lesson.pk
            marks = s.cells.get(lesson_id)
            code = s.absences.get(lesson_id, "")
            editable = col.editable and (left_on is None or col.lesson.date <= left_on)
            label = f"{name}, {col.label}"
            if marks or code:
                text = cell_text(code, [t for _id, t, _kind in marks or ()])
                esc_text = escaped.get(text)
                if esc_text is None:
                    esc_text = escaped[text] = str(escape(text))
                inner = cell_inner(
                    code, [(t, kind_titles.get(k) or escape(k)) for _i, t, k in marks or ()]
                )
            else:
                text = esc_text = inner = ""
            row.cells.append({"lesson": lesson_id, "text": text, "editable": editable})
            html.append(cell_td(label, lesson_id, esc_text, inner, editable))
        row.cells_html = Markup("\n".join(html))  # noqa: S704 (every part escaped above)
        rows.append(row)
    return columns, rows


def period_mark_choices(pass_fail: bool) -> list[tuple[str, str]]:
    marks = (
        [("pass", PASSED), ("fail", FAILED)]
        if pass_fail
        else [(str(v), str(v)) for v in range(5, 0, -1)]
    )
    return [*marks, ("na", NOT_CERTIFIED)]


PERIOD_MARK_VALUES = {PASSED: "pass", FAILED: "fail", NOT_CERTIFIED: "na"}


@login_required
def grid(request: HttpRequest, group_id: int, subject_id: int) -> HttpResponse:
    ja = journal_for_user(request.user, group_id, subject_id)
    group, subject = ja.group, ja.subject
    periods = list(Period.objects.filter(year_id=group.year_id).order_by("number"))
    period = choose_period(periods, request.GET.get("period"))
    context = grid_table_context(ja, period, journal_grid(group, subject, period))
    table = render_to_string("journal/grid_table.html", context, request=request, using="jinja2")
    context.update(
        {
            "table": mark_safe(table),
            "periods": periods,
            "access": ja.access,
            "students_count": len(context["rows"]),
        }
    )
    return render(request, "journal/grid/page.html", context)


def grid_table_context(ja: JournalAccess, period: Period, data: Grid) -> dict[str, Any]:
    """The context of the Jinja2 grid table (``journal/grid_table.html``)."""
    subject = ja.subject
    columns, rows = build_rows(data, ja, period)
    return {
        "group": ja.group,
        "subject": subject,
        "period": period,
        "columns": columns,
        "rows": rows,
        "kinds": sorted(data.kinds.items()),
        "pass_fail": subject.is_pass_fail,
        # a substitute types in the cells of the lessons they cover (``editable`` columns)
        "writes": not period.is_closed and (ja.writes or any(c.editable for c in columns)),
        "can_set_period_marks": ja.teaches and not period.is_closed,
        "period_mark_choices": period_mark_choices(subject.is_pass_fail),
        "period_mark_values": PERIOD_MARK_VALUES,
    }


# --- the JSON endpoints ---------------------------------------------------------------------


def _post_int(request: HttpRequest, name: str) -> int | None:
    try:
        value = int(request.POST.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _service_error(exc: Exception) -> JsonResponse:
    if isinstance(exc, PermissionDenied):
        message = str(exc) or _("You cannot change this journal.")
        return json_error(message, 403, "forbidden")
    if not isinstance(exc, ValidationError):  # pragma: no cover - only the two kinds are caught
        raise exc
    code = error_code(exc)
    status = 409 if code in ("locked", "cancelled") else 400
    return json_error(error_text(exc), status, code)


def _access_or_json_404(request, group_id: int, subject_id: int) -> JournalAccess | JsonResponse:
    try:
        return journal_for_user(request.user, group_id, subject_id)
    except Http404:
        return json_error(_("This journal does not exist or is not available to you."), 404)


@login_required
@require_POST
def cell(request: HttpRequest, group_id: int, subject_id: int) -> JsonResponse:
    """Save one cell: ``lesson``, ``student`` and ``text`` ("5 4", "Н", "ОП 5", "зач", "")."""
    ja = _access_or_json_404(request, group_id, subject_id)
    if isinstance(ja, JsonResponse):
        return ja
    lesson_id, student_id = _post_int(request, "lesson"), _post_int(request, "student")
    text = request.POST.get("text")
    if lesson_id is None or student_id is None or text is None:
        return json_error(_("The request is incomplete: reload the page and try again."))
    text = " ".join(text.split())
    if len(text) > MAX_CELL_TEXT:
        return json_error(_("Too much text for one cell: type marks and an attendance code."))
    # The same read and authorization as the API's writes (``access.lesson_for_write``).
    found = access.lesson_for_write(request.user, lesson_id, student_id)
    lesson = found.lesson
    if lesson is None or lesson.group_id != ja.group.pk or lesson.subject_id != ja.subject.pk:
        return json_error(_("This lesson is not in this journal."), 404, "not_found")
    if found.grant is None:
        return json_error(_("You can read this journal, but not change it."), 403, "forbidden")
    # Not a member of the group on the lesson's day: the service says so, with the day.
    student = found.student or Person.objects.filter(pk=student_id).first()
    if student is None:
        return json_error(_("This student is not in the group."), 400, "not_in_group")
    try:
        result = records.cell_save(
            actor=request.user,
            lesson=lesson,
            student=student,
            text=text,
            grant=found.grant,
            reason=request.POST.get("reason", ""),
        )
    except (ValidationError, PermissionDenied) as exc:
        return _service_error(exc)
    kinds = dict(
        MarkKind.objects.filter(pk__in={m.kind_id for m in result.marks}).values_list("pk", "name")
    )
    marks = [{"text": m.display, "kind": kinds.get(m.kind_id, "")} for m in result.marks]
    summary = student_summary(lesson, student.pk)
    return JsonResponse(
        {
            "ok": True,
            "lesson": lesson.pk,
            "student": student.pk,
            "text": cell_text(result.attendance, [m["text"] for m in marks]),
            "attendance": result.attendance,
            "marks": marks,
            "average": fmt_average(summary.average),
            "count": summary.count,
            "suggested": summary.suggested or "",
            "deleted": result.deleted,  # for the undo (views/grid_undo.py)
        }
    )


@login_required
@require_POST
def period_mark(request: HttpRequest, group_id: int, subject_id: int) -> JsonResponse:
    """Confirm or override one period mark: ``student``, ``period`` and ``value`` (1–5,
    ``pass``, ``fail`` or ``na``)."""
    ja = _access_or_json_404(request, group_id, subject_id)
    if isinstance(ja, JsonResponse):
        return ja
    student_id, period_id = _post_int(request, "student"), _post_int(request, "period")
    raw = request.POST.get("value", "")
    period = (
        Period.objects.filter(pk=period_id, year_id=ja.group.year_id).first() if period_id else None
    )
    student = Person.objects.filter(pk=student_id).first() if student_id else None
    if period is None or student is None:
        return json_error(_("The request is incomplete: reload the page and try again."))
    if not ja.writes:
        return json_error(_("You can read this journal, but not change it."), 403, "forbidden")
    data = parse_value(raw)
    if data is None:
        return json_error(_("Choose a mark from the list."), 400, "bad_value")
    return period_mark_answer(request, ja, student, period, data)


def parse_value(raw: str) -> dict[str, Any] | None:
    """A period or year mark's select value as the arguments of ``period_mark_set``; None
    when it is not one."""
    if raw == "na":
        return {"not_certified": True}
    if raw in ("pass", "fail"):
        return {"passed": raw == "pass"}
    if raw in ("1", "2", "3", "4", "5"):
        return {"value": int(raw)}
    return None


def period_mark_answer(
    request: HttpRequest,
    ja: JournalAccess,
    student: Person,
    period: Period | None,
    data: dict[str, Any],
) -> JsonResponse:
    """Set a period mark (``period``) or the year mark (None) and answer the page's script."""
    try:
        obj = records.period_mark_set(
            actor=request.user,
            group=ja.group,
            subject=ja.subject,
            student=student,
            period=period,
            **data,
        )
    except (ValidationError, PermissionDenied) as exc:
        return _service_error(exc)
    return JsonResponse(
        {
            "ok": True,
            "student": student.pk,
            "text": mark_text(obj.value, obj.passed, obj.not_certified),
            "is_override": obj.is_override,
            "suggested": obj.suggested or "",
        }
    )
