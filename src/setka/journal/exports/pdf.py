"""The class journal as a PDF in the layout of the paper journal, with fpdf2 (pure Python, from
PyPI, no system libraries) and the vendored DejaVu Sans font for Cyrillic.

A4 landscape: the title page (institution, class, year and period, class teacher, the list of
students), then for each subject and each spread of up to ``LESSONS_PER_SPREAD`` lessons a left
page (students × lesson dates with marks and absences; the period mark on the last spread) and
a right page (date, topic, homework, teacher)."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext as _

from .journal import ClassJournal, JournalLesson, JournalPage

FONT = "DejaVu"


# src/setka/static/fonts: DejaVu Sans, vendored with its licence (DejaVu-LICENSE.txt).
FONT_DIR = Path(__file__).resolve().parents[2] / "static" / "fonts"


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    fonts = FONT_DIR
    pdf.add_font(FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(12, 10, 12)
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.set_creator("Setka")
    return pdf


def journal_pdf(data: ClassJournal) -> bytes:
    pdf = _pdf()
    pdf.set_title(f"{_('Class journal')} {data.group.name} — {data.period.name}")
    _title_page(pdf, data)
    for page in data.pages:
        spreads = page.spreads()
        for i, lessons in enumerate(spreads):
            last = i == len(spreads) - 1
            _left_page(pdf, page, lessons, with_period_mark=last)
            _right_page(pdf, page, lessons)
    return bytes(pdf.output())


def _title_page(pdf, data: ClassJournal) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(0, 7, data.institution_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    pdf.set_font(FONT, "B", 26)
    pdf.cell(0, 14, _("Class journal"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.cell(0, 12, data.group.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 13)
    period = _("%(period)s, %(year)s school year") % {
        "period": data.period.name,
        "year": data.group.year.name,
    }
    pdf.cell(0, 9, period, align="C", new_x="LMARGIN", new_y="NEXT")
    teacher = _("Class teacher: %(name)s") % {"name": data.class_teacher or "—"}
    pdf.cell(0, 9, teacher, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    if data.students:
        pdf.set_font(FONT, "", 9)
        with pdf.table(
            col_widths=(10, 90),
            width=100,
            text_align=("RIGHT", "LEFT"),
            line_height=5,
            headings_style=_bold(),
        ) as table:
            row = table.row()
            row.cell("№")
            row.cell(_("Students of the class"))
            for n, (_pid, name) in enumerate(data.students, start=1):
                row = table.row()
                row.cell(str(n))
                row.cell(name)
    pdf.set_font(FONT, "", 8)
    pdf.set_y(-16)
    printed = _("Printed on %(date)s from Setka") % {"date": f"{data.made_on:%d.%m.%Y}"}
    pdf.cell(0, 5, printed, align="R")


def _bold():
    from fpdf.fonts import FontFace

    return FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


def _page_heading(pdf, page: JournalPage, side: str) -> None:
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    heading = f"{page.subject_name} — {page.group_name}"
    pdf.cell(0, 6, heading, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8)
    pdf.cell(0, 5, f"{page.teachers} · {side}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _left_page(
    pdf, page: JournalPage, lessons: list[JournalLesson], with_period_mark: bool
) -> None:
    _page_heading(pdf, page, _("marks and attendance"))
    width = pdf.w - pdf.l_margin - pdf.r_margin
    name_width, num_width, mark_width = 48, 7, 14 if with_period_mark else 0
    day_width = (width - name_width - num_width - mark_width) / max(len(lessons), 1)
    day_width = min(day_width, 12)
    widths = [num_width, name_width, *([day_width] * len(lessons))]
    if with_period_mark:
        widths.append(mark_width)
    font_size = 8 if day_width >= 9 else 7 if day_width >= 7 else 6
    pdf.set_font(FONT, "", font_size)
    aligns = ["RIGHT", "LEFT", *(["CENTER"] * (len(widths) - 2))]
    with pdf.table(
        col_widths=widths,
        width=min(sum(widths), width),
        align="LEFT",
        text_align=aligns,
        line_height=5.5,
        headings_style=_bold(),
        repeat_headings=1,
    ) as table:
        row = table.row()
        row.cell("№")
        row.cell(_("Student"))
        for lesson in lessons:
            row.cell(f"{lesson.date:%d}\n{lesson.date:%m}")
        if with_period_mark:
            row.cell(_("Period"))
        for n, student in enumerate(page.students, start=1):
            row = table.row()
            row.cell(str(n))
            name = student.name
            if student.left_on:
                name += " " + _("(left %(date)s)") % {"date": f"{student.left_on:%d.%m}"}
            row.cell(name)
            for lesson in lessons:
                row.cell(student.cells.get(lesson.id, ""))
            if with_period_mark:
                row.cell(student.period_mark)


def _right_page(pdf, page: JournalPage, lessons: list[JournalLesson]) -> None:
    _page_heading(pdf, page, _("lessons and homework"))
    pdf.set_font(FONT, "", 9)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    with pdf.table(
        col_widths=(16, 110, 100, width - 226),
        width=width,
        text_align=("CENTER", "LEFT", "LEFT", "LEFT"),
        line_height=5.5,
        headings_style=_bold(),
        repeat_headings=1,
    ) as table:
        row = table.row()
        for title in (_("Date"), _("Lesson topic"), _("Homework"), _("Teacher")):
            row.cell(title)
        for lesson in lessons:
            row = table.row()
            row.cell(f"{lesson.date:%d.%m}")
            topic = lesson.topic
            if lesson.is_control:
                topic = f"{topic} ({_('control work')})".strip()
            row.cell(topic)
            row.cell(lesson.homework)
            row.cell(lesson.teacher)
