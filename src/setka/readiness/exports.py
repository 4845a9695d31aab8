"""The campaign as files: an XLSX workbook (openpyxl; every cell through ``safe_cell``) and a
PDF summary for the municipal report (fpdf2 with the vendored DejaVu Sans, like the journal's
PDF)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.core.clock import today
from setka.core.exports import safe_row

from . import gaps
from .dashboard import Dashboard, dimension_labels, form_labels
from .models import Question, Response, Skill, SkillLevel

FONT = "DejaVu"
FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"
SCORE = "0.0"


def _title_rows(board: Dashboard) -> list[list[Any]]:
    c = board.campaign
    return [
        [c.title],
        [_("From %(start)s to %(end)s; made on %(day)s") % {
            "start": date_format(c.starts_on), "end": date_format(c.deadline),
            "day": date_format(today())}],
        [],
    ]  # fmt: skip


def _bold(sheet, row: int) -> None:
    from openpyxl.styles import Font

    for cell in sheet[row]:
        cell.font = Font(bold=True)


def workbook(board: Dashboard, questions: list[Question]) -> bytes:
    """Sheets: the institutions with their scores, the answers, the teachers' competence and
    the gaps with recommendations."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Institutions")[:31]
    dims = dimension_labels()
    forms = form_labels()
    for row in _title_rows(board):
        sheet.append(safe_row(row))
    head = [_("Institution"), _("Kind"), _("Status"), _("Readiness index"),
            *[label for _k, label in dims], *[label for _k, label in forms],
            _("Connection, Mbit/s"), _("Rooms for videoconferencing"),
            _("Teachers"), _("Self-assessed")]  # fmt: skip
    sheet.append(safe_row(head))
    _bold(sheet, sheet.max_row)
    start = sheet.max_row + 1
    for r in board.rows:
        sheet.append(safe_row([
            r["name"], r["kind_label"], r["status_label"], r["index"],
            *[r[k] for k, _l in dims], *[r[f"{k}_label"] for k, _l in forms],
            r["bandwidth_mbps"], r["vc_rooms"], r["teachers_total"], r["teachers_assessed"],
        ]))  # fmt: skip
    for row in sheet.iter_rows(min_row=start, min_col=4, max_col=9):
        for cell in row:
            cell.number_format = SCORE
    sheet.column_dimensions["A"].width = 36
    sheet.freeze_panes = f"B{start}"

    answers = book.create_sheet(_("Answers")[:31])
    answers.append(safe_row([_("Institution"), *[q.text for q in questions]]))
    _bold(answers, 1)
    by_pk = {r.pk: r for r in Response.objects.filter(campaign=board.campaign)}
    for r in board.rows:
        stored = by_pk[r["pk"]].answers
        answers.append(safe_row([r["name"], *[_cell(q, stored.get(q.code)) for q in questions]]))
    answers.column_dimensions["A"].width = 36

    skills = book.create_sheet(_("Competence")[:31])
    levels = [str(label).split(":")[0] for _v, label in SkillLevel.choices]
    skills.append(safe_row([_("Skill"), *levels, _("Self-assessments")]))
    _bold(skills, 1)
    for s in Skill:
        counts = board.competence.by_skill[s]
        skills.append(safe_row([str(s.label), *[counts[lv] for lv in SkillLevel.values],
                                board.competence.total]))  # fmt: skip
    skills.column_dimensions["A"].width = 34

    advice = book.create_sheet(_("Recommendations")[:31])
    advice.append(safe_row([_("Institution"), _("Severity"), _("Gap"), _("Recommendation")]))
    _bold(advice, 1)
    for r in board.rows:
        for g in r["gaps"]:
            d = gaps.describe(g)
            advice.append(safe_row([r["name"], _severity(d.severity), d.problem, d.advice]))
    advice.column_dimensions["A"].width = 36
    advice.column_dimensions["C"].width = 70
    advice.column_dimensions["D"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _severity(key: str) -> str:
    return {gaps.BLOCKER: _("blocker"), gaps.IMPORTANT: _("important"),
            gaps.ADVICE: _("advice")}.get(key, key)  # fmt: skip


def _cell(q: Question, value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        labels = q.choice_labels
        return ", ".join(labels.get(v, v) for v in value)
    if isinstance(value, str) and q.choices:
        return q.choice_labels.get(value, value)
    return value


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",")


def summary_pdf(board: Dashboard) -> bytes:
    """The municipal report's summary: progress, means, readiness per form, the table of
    institutions, competence and the most frequent gaps, on A4."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(14, 12, 14)
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.set_creator("Setka")
    pdf.set_title(board.campaign.title)
    pdf.add_page()
    head = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, _("Readiness for network interaction: %(title)s") % {
        "title": board.campaign.title}, new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.set_font(FONT, "", 10)
    for line in _title_rows(board)[1:2]:
        pdf.cell(0, 6, str(line[0]), new_x="LMARGIN", new_y="NEXT")
    p = board.progress
    pdf.cell(0, 6, _("Submitted: %(s)s of %(t)s; drafts: %(d)s; not started: %(n)s") % {
        "s": p["submitted"], "t": p["total"], "d": p["draft"], "n": p["pending"]},
        new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(3)
    _section(pdf, _("Mean scores"))
    previous = board.previous or {}
    with pdf.table(col_widths=(90, 40, 40), headings_style=head, line_height=6) as table:
        row = table.row()
        for text in (
            _("Dimension"),
            board.campaign.title[:30],
            str(previous.get("title", "—"))[:30],
        ):
            row.cell(text)
        for key, label in [("index", _("readiness index")), *dimension_labels()]:
            row = table.row()
            row.cell(str(label))
            row.cell(_fmt(board.averages.get(key)))
            row.cell(_fmt(previous.get(key)))
    pdf.ln(3)
    _section(pdf, _("Readiness for each network form"))
    with pdf.table(col_widths=(80, 30, 30, 30), headings_style=head, line_height=6) as table:
        row = table.row()
        for text in (_("Form"), _("ready"), _("partly ready"), _("not ready")):
            row.cell(text)
        for key, label in form_labels():
            row = table.row()
            row.cell(label)
            for level in ("ready", "partly", "not_ready"):
                row.cell(str(board.levels[key][level]))
    pdf.ln(3)
    _section(pdf, _("Institutions"))
    pdf.set_font(FONT, "", 8)
    widths = (58, 14, *([16] * 5), 18)
    with pdf.table(col_widths=widths, headings_style=head, line_height=5,
                   text_align=("LEFT", *(["RIGHT"] * 7))) as table:  # fmt: skip
        row = table.row()
        for text in (_("Institution"), _("Index"), *[str(label)[:12] for _k, label in
                     dimension_labels()], _("Mbit/s")):  # fmt: skip
            row.cell(text)
        for r in board.rows:
            row = table.row()
            row.cell(r["name"])
            for key in ("index", *[k for k, _l in dimension_labels()]):
                row.cell(_fmt(r[key]))
            row.cell(_fmt(r["bandwidth_mbps"]))
    pdf.ln(3)
    pdf.set_font(FONT, "", 10)
    _section(pdf, _("Teachers' ICT competence (%(n)s self-assessments)") % {
        "n": board.competence.total})  # fmt: skip
    with pdf.table(col_widths=(70, 25, 25, 25, 25), headings_style=head, line_height=6) as table:
        row = table.row()
        row.cell(_("Skill"))
        for _v, label in SkillLevel.choices:
            row.cell(str(label).split(":")[0])
        for s in Skill:
            row = table.row()
            row.cell(str(s.label))
            for lv in SkillLevel.values:
                row.cell(str(board.competence.by_skill[s][lv]))
    frequent = _frequent_gaps(board)
    if frequent:
        pdf.ln(3)
        _section(pdf, _("The most frequent gaps"))
        for text, n in frequent:
            pdf.multi_cell(0, 5, f"• {text} — {n}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _section(pdf, title: str) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


GAP_TITLES = {
    "bandwidth_unknown": gettext_lazy("The connection's speed is unknown"),
    "bandwidth_below_minimum": gettext_lazy("Connection below the minimum for a video stream"),
    "upload_below_hosting": gettext_lazy("Outgoing connection too slow to host"),
    "no_vc_equipment": gettext_lazy("No videoconference equipment"),
    "no_vc_room": gettext_lazy("No room equipped to broadcast"),
    "measured_below_contracted": gettext_lazy("Measured speed under half of the contract"),
    "students_per_computer": gettext_lazy("Too many students per computer"),
    "no_elearning": gettext_lazy("No electronic learning environment"),
    "no_distance_technologies": gettext_lazy("No distance technologies"),
    "no_self_assessment": gettext_lazy("Teachers have not assessed themselves"),
    "skill_basic": gettext_lazy("Many teachers at the basic level in a skill"),
    "bandwidth_below_target": gettext_lazy("Connection below the national target"),
    "bandwidth_not_measured": gettext_lazy("Speed not measured"),
    "old_computers": gettext_lazy("Old computers"),
    "self_assessment_coverage": gettext_lazy("Few teachers assessed themselves"),
    "no_network_participation": gettext_lazy("No network activity in Setka"),
}


def _frequent_gaps(board: Dashboard, limit: int = 8) -> list[tuple[str, int]]:
    counts: dict[str, int] = {}
    for r in board.rows:
        for code in {g["code"] for g in r["gaps"]}:
            counts[code] = counts.get(code, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return [(str(GAP_TITLES.get(code, code)), n) for code, n in ranked]


def questions_of(board: Dashboard) -> list[Question]:
    """The questions of the campaign's current version (the columns of the answers sheet)."""
    from .services import current_version

    return list(current_version(board.campaign.questionnaire).questions.all())
