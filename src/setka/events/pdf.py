"""The participation certificate as a PDF (fpdf2 with the vendored DejaVu fonts, like the
journal's exports): who, in what role, which event, when, how many hours, the organiser, and
the verification code with the address of the public check page."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Certificate

FONT = "DejaVu"
FONT_DIR = Path(__file__).resolve().parents[1] / "static" / "fonts"


def check_url(certificate: Certificate) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("events:check_code", args=[certificate.code])


def certificate_pdf(certificate: Certificate) -> bytes:
    from fpdf import FPDF

    event = certificate.event
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_creator("Setka")
    pdf.set_title(_("Certificate of participation") + f" {certificate.code}")
    pdf.set_margins(25, 20, 25)
    pdf.add_page()
    pdf.set_draw_color(40, 90, 140)
    pdf.set_line_width(1.2)
    pdf.rect(12, 12, 273, 186)
    pdf.set_font(FONT, "", 12)
    pdf.multi_cell(0, 6, event.institution.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(14)
    pdf.set_font(FONT, "B", 30)
    pdf.cell(0, 16, _("CERTIFICATE"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 14)
    pdf.cell(0, 8, _("of participation"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font(FONT, "", 13)
    pdf.cell(0, 8, _("is given to"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 11, certificate.person.full_name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "", 13)
    role = (
        _("who hosted the %(kind)s") if certificate.role == Certificate.Role.HOST
        else _("who took part in the %(kind)s")
    ) % {"kind": event.get_kind_display()}  # fmt: skip
    pdf.cell(0, 8, role, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, f"«{event.title}»", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 12)
    when = date_format(timezone.localtime(event.starts_at), "j E Y")
    pdf.ln(2)
    pdf.cell(
        0, 7,
        _("%(date)s, %(hours)s academic hours") % {"date": when, "hours": certificate.hours},
        align="C", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.set_y(170)
    pdf.set_font(FONT, "", 10)
    pdf.cell(
        0, 5,
        _("Verification code: %(code)s") % {"code": certificate.code},
        align="L", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.cell(
        0, 5,
        _("Check it at %(url)s") % {"url": check_url(certificate)},
        align="L", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    pdf.cell(
        0, 5,
        _("Issued on %(date)s")
        % {"date": date_format(timezone.localtime(certificate.issued_at), "j E Y")},
        align="L", new_x="LMARGIN", new_y="NEXT",
    )  # fmt: skip
    return bytes(pdf.output())
