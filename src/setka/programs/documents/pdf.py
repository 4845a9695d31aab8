"""The printable agreement (PDF) in the customary structure of an agreement on the network
form of implementing an educational programme (art. 15 of 273-ФЗ): the parties and the
preamble, the subject, the parts of the programme and who implements them with which
resources, the status of the students, the credit of results, the documents issued, the term,
how it changes and ends, and the parties' details with places for signatures.

With fpdf2 and the vendored DejaVu fonts, like the journal's PDF (pure Python, no system
libraries)."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from setka.journal.exports.pdf import FONT, FONT_DIR

from ..models import Agreement, AgreementPart, AgreementParty, ProgrammeLevel


def _pdf():
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_creator("Setka")
    return pdf


def _heading(pdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, text, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)


def _paragraph(pdf, text: str) -> None:
    for line in (text or "—").splitlines() or ["—"]:
        pdf.multi_cell(0, 5, line.strip() or " ", align="J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _party_phrase(party: AgreementParty, role: str) -> str:
    i = party.institution
    head = ""
    if i.head_name:
        head = _(", represented by %(position)s %(name)s, acting under its charter") % {
            "position": i.head_position or _("the head"),
            "name": i.head_name,
        }
    return _("%(name)s, hereinafter “%(role)s”%(head)s") % {
        "name": i.full_name,
        "role": role,
        "head": head,
    }


def agreement_pdf(
    agreement: Agreement, parties: list[AgreementParty], parts: list[AgreementPart]
) -> bytes:
    pdf = _pdf()
    title = _("Agreement on the network form of implementing an educational programme")
    pdf.set_title(f"{title} {agreement.number}".strip())
    pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    number = _("AGREEMENT No. %(number)s") % {"number": agreement.number or "___"}
    pdf.multi_cell(0, 7, number, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, title.lower(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font(FONT, "", 10)
    signed = agreement.agreed_at or agreement.activated_at
    when = date_format(signed.date(), "«j» E Y") if signed else "«___» ____________ 20__"
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.cell(width / 2, 6, agreement.place or "")
    pdf.cell(width / 2, 6, when, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    base = [p for p in parties if p.role == AgreementParty.Role.BASE]
    partners = [p for p in parties if p.role != AgreementParty.Role.BASE]
    phrases = [_party_phrase(p, _("the Base institution")) for p in base]
    phrases += [_party_phrase(p, _("the Participant")) for p in partners]
    _paragraph(
        pdf,
        _("%(parties)s, together “the Parties”, have concluded this agreement as follows.")
        % {"parties": "; ".join(phrases)},
    )

    level = ProgrammeLevel(agreement.level).label
    _heading(pdf, _("1. Subject of the agreement"))
    _paragraph(
        pdf,
        _(
            "1.1. The Parties implement in the network form the %(level)s “%(programme)s” "
            "(hereinafter “the programme”), each its parts as set out in section 2."
        )
        % {"level": level, "programme": agreement.programme},
    )
    _heading(pdf, _("2. Parts of the programme and the resources of the Parties"))
    _parts_table(pdf, parts)
    sections = [
        (_("3. Status of the students"), agreement.student_status),
        (_("4. How results are credited"), agreement.credit_rules),
        (_("5. Documents issued to the students"), agreement.documents),
    ]
    for heading, text in sections:
        _heading(pdf, heading)
        _paragraph(pdf, text)
    _heading(pdf, _("6. Term of the agreement"))
    _paragraph(
        pdf,
        _("The agreement is in force from %(start)s to %(end)s.")
        % {
            "start": date_format(agreement.starts_on, "j E Y"),
            "end": date_format(agreement.ends_on, "j E Y"),
        },
    )
    _heading(pdf, _("7. How the agreement is changed"))
    _paragraph(pdf, agreement.changes_rules)
    _heading(pdf, _("8. How the agreement ends"))
    _paragraph(pdf, agreement.termination_rules)
    _heading(pdf, _("9. Details and signatures of the Parties"))
    for party in [*base, *partners]:
        _signature(pdf, party)
    return bytes(pdf.output())


def _parts_table(pdf, parts: list[AgreementPart]) -> None:
    if not parts:
        _paragraph(pdf, _("The parts of the programme are not set yet."))
        return
    pdf.set_font(FONT, "", 8)
    with pdf.table(
        col_widths=(40, 30, 12, 30, 30, 30),
        line_height=4,
        headings_style=_bold(),
        text_align="LEFT",
    ) as table:
        row = table.row()
        for heading in (
            _("Part of the programme"),
            _("Implemented by"),
            _("Hours"),
            _("Staff"),
            _("Premises"),
            _("Equipment"),
        ):
            row.cell(heading)
        for part in parts:
            row = table.row()
            row.cell(part.title)
            row.cell(part.institution.short_name)
            row.cell(str(part.hours or ""))
            row.cell(part.staff or "—")
            row.cell(part.premises or "—")
            row.cell(part.equipment or "—")
    pdf.set_font(FONT, "", 10)
    pdf.ln(2)


def _bold():
    from fpdf.fonts import FontFace

    return FontFace(family=FONT, emphasis="BOLD")


def _signature(pdf, party: AgreementParty) -> None:
    i = party.institution
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        0,
        5,
        f"{party.get_role_display().capitalize()}: {i.full_name}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 9)
    for line in (i.address, i.phones, i.email):
        if line:
            pdf.multi_cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    head = (
        f"{i.head_position or _('Head')} ____________________ / {i.head_name or '____________'} /"
    )
    pdf.ln(2)
    pdf.multi_cell(0, 5, head, new_x="LMARGIN", new_y="NEXT")
    if party.approved_at:
        note = _("Approved in Setka on %(date)s") % {
            "date": date_format(party.approved_at.date(), "j E Y")
        }
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
