"""«Сегодня» and the journal's day endpoints in the permission matrix. The ``jw`` year: 7Б of
school №3, taught and led by ``teacher``; ``student`` is in it, ``parent`` is theirs."""

from __future__ import annotations

from ..matrix import Row

A = "/api/v1"
J = f"{A}/journal"
TEACHER = "401 200 404 200 200 404 404 404 404 404"  # self, the school's and municipal admins
GROUP = "401 200 404 200 200 404 404 404 404 404"  # the group journal's readers and teachers
STUDENT = "401 404 404 404 404 200 200 404 404 404"  # the student and their parent
STRUCTURE = "401 200 404 200 404 404 404 404 404 404"

# anon admin metodist director teacher student parent partner other_teacher other_parent
API_ROWS = [
    Row("GET /today", lambda w, j: f"{A}/today", "401 200 200 200 200 200 200 200 200 200"),
    Row("GET /journal/teachers/{person_id}/teaching",
        lambda w, j: f"{J}/teachers/{w.people['teacher'].pk}/teaching", TEACHER),
    Row("GET /journal/teachers/{person_id}/timetable",
        lambda w, j: f"{J}/teachers/{w.people['teacher'].pk}/timetable", TEACHER),
    Row("GET /journal/lessons", lambda w, j: f"{J}/lessons?group_id={j.klass.pk}", GROUP),
    Row("GET /journal/lessons (a teacher)",
        lambda w, j: f"{J}/lessons?teacher_id={w.people['teacher'].pk}", TEACHER),
    Row("GET /journal/lessons (a student)",
        lambda w, j: f"{J}/lessons?student_id={w.people['student'].pk}", STUDENT),
    Row("GET /journal/groups/{group_id}/timetable",
        lambda w, j: f"{J}/groups/{j.klass.pk}/timetable", GROUP),
    Row("GET /journal/institutions/{institution_id}/structure",
        lambda w, j: f"{J}/institutions/{w.school.pk}/structure", STRUCTURE),
]  # fmt: skip
