"""Strings of the Jinja2 templates that ``makemessages`` cannot read: it parses templates as
Django's, and a Jinja2 ``_("…", name=…)`` call with keyword arguments is not extracted. Listed
here so that they reach the catalogues (``tests/core/test_plurals.py`` checks the screen-reader
label of the grid is translated). Never imported."""

from django.utils.translation import gettext_noop

MESSAGES = [
    gettext_noop("Period mark: %(name)s"),  # journal/grid_table.html: a period mark's select
]
