"""How a room is named on the pages: «каб. 12» for a number, the text as it is otherwise — a
room already written «каб. 12 (робототехника)», «Спортзал» or «Актовый зал» is not given a
second prefix («каб. каб. 12»)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def room_label(room: str) -> str:
    room = (room or "").strip()
    if not room:
        return ""
    if room[0].isdigit():
        return _("room %(room)s") % {"room": room}
    return room
