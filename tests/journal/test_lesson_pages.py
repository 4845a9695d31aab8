"""The lesson page: topic, homework with warnings and files, marks with kind, comment and
history, delete-with-reason, attendance, and the administration's actions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from setka.core.models import AuditEntry
from setka.journal.models import Attendance, Homework, HomeworkAttachment, Lesson, Mark, MarkKind
from setka.journal.services import records
from setka.network.models import Membership

from .. import factories as f
from ..clock import d, iso

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lesson(jw):
    return jw.lessons(period=jw.q2).filter(date__lte=d(2026, 11, 20)).first()


def url(lesson):
    return reverse("journal:lesson", args=[lesson.pk])


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("teacher", 200),
        ("director", 200),
        ("admin", 200),
        ("metodist", 404),
        ("student", 404),
        ("parent", 404),
        ("partner", 404),
        ("other_teacher", 404),
        ("other_parent", 404),
    ],
)
def test_lesson_page_permission_matrix(client_for, jw, lesson, role, status):
    assert client_for(role).get(url(lesson)).status_code == status


def test_lesson_page_unknown_lesson_is_404(client_for, jw):
    assert client_for("teacher").get(reverse("journal:lesson", args=[999999])).status_code == 404


def test_lesson_page_teacher_edits_director_administers(client_for, jw, lesson):
    teacher = client_for("teacher").get(url(lesson))
    director = client_for("director").get(url(lesson))

    assert (teacher.context["editable"], teacher.context["is_admin"]) == (True, False)
    assert (director.context["editable"], director.context["is_admin"]) == (False, True)
    assert b'value="substitute"' not in teacher.content
    assert b'value="substitute"' in director.content


def test_lesson_topic_is_saved(client_for, jw, lesson):
    response = client_for("teacher").post(
        url(lesson), {"action": "topic", "topic-topic": "Дроби", "topic-kind": "control"}
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.topic, lesson.kind) == ("Дроби", "control")


def test_lesson_topic_too_long_is_400_and_nothing_saved(client_for, jw, lesson):
    response = client_for("teacher").post(
        url(lesson), {"action": "topic", "topic-topic": "x" * 501, "topic-kind": "regular"}, **EN
    )

    assert response.status_code == 400
    assert response.context["topic_form"].errors
    lesson.refresh_from_db()
    assert lesson.topic == ""


def test_homework_saved_with_warnings(client_for, jw, lesson):
    data = {"action": "homework", "hw-text": "№ 12", "hw-minutes": "200", "hw-links": ""}

    response = client_for("teacher").post(url(lesson), data, follow=True, **EN)

    hw = Homework.objects.get()
    assert (hw.text, hw.minutes) == ("№ 12", 200)
    texts = [str(m) for m in response.context["messages"]]
    assert any("over the limit of 150 minutes" in t for t in texts)


def test_homework_with_bad_link_is_400_and_nothing_saved(client_for, jw, lesson):
    data = {"action": "homework", "hw-text": "№ 12", "hw-minutes": "20", "hw-links": "ftp://x"}

    response = client_for("teacher").post(url(lesson), data, **EN)

    assert response.status_code == 400
    assert response.context["homework_form"].errors["links"]
    assert Homework.objects.count() == 0


def test_homework_attachment_upload_and_download(client_for, jw, lesson):
    upload = SimpleUploadedFile("задание.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = {"action": "homework", "hw-text": "№ 12", "hw-minutes": "20", "hw-attachments": [upload]}
    client = client_for("teacher")

    client.post(url(lesson), data)

    attachment = HomeworkAttachment.objects.get()
    assert (attachment.name, attachment.size) == ("задание.pdf", 13)
    link = reverse("journal:attachment", args=[lesson.pk, attachment.pk])
    response = client.get(link)
    # Consuming a streaming response closes it the way a WSGI server would (an explicit
    # close() would also close the database connection of the test transaction).
    content = b"".join(response.streaming_content)
    student = client_for("student").get(link)
    b"".join(student.streaming_content)
    stranger = client_for("other_parent").get(link)

    assert content == b"%PDF-1.4 test"
    assert (student.status_code, stranger.status_code) == (200, 404)  # a student of the group


def test_homework_attachment_over_10_mb_is_refused(client_for, jw, lesson):
    big = SimpleUploadedFile("big.bin", b"0" * (10 * 1024 * 1024 + 1))
    data = {"action": "homework", "hw-text": "№ 12", "hw-minutes": "20", "hw-attachments": [big]}

    response = client_for("teacher").post(url(lesson), data, **EN)

    assert response.status_code == 400
    assert "larger than 10 MB" in str(response.context["homework_form"].errors["attachments"])
    assert (Homework.objects.count(), HomeworkAttachment.objects.count()) == (0, 0)


def test_homework_attachment_removed(client_for, jw, lesson):
    client = client_for("teacher")
    upload = SimpleUploadedFile("a.txt", b"abc")
    client.post(
        url(lesson),
        {"action": "homework", "hw-text": "x", "hw-minutes": "20", "hw-attachments": upload},
    )
    attachment = HomeworkAttachment.objects.get()

    response = client.post(
        url(lesson), {"action": "attachment_delete", "attachment": attachment.pk}
    )

    assert response.status_code == 302
    assert HomeworkAttachment.objects.count() == 0


def test_mark_add_with_kind_and_comment(client_for, jw, lesson):
    kind = MarkKind.objects.get(institution=jw.klass.institution, short_name="кр")
    sid = jw.students[0].pk
    data = {"action": "sheet", f"new-{sid}-value": "4", f"new-{sid}-kind": kind.pk,
            f"new-{sid}-comment": "у доски"}  # fmt: skip

    response = client_for("teacher").post(url(lesson), data)

    assert response.status_code == 302
    mark = Mark.objects.get()
    assert (mark.value, mark.kind, mark.comment) == (4, kind, "у доски")


def test_one_form_saves_the_whole_class_at_once(client_for, world, jw, lesson):
    teacher = world.users["teacher"]
    first, second, third = jw.students[:3]
    records.cell_save(actor=teacher, lesson=lesson, student=first, text="3")
    mark = Mark.objects.get()
    data = {
        "action": "sheet",
        f"att-{first.pk}": "",
        f"att-{second.pk}": "Б",
        f"att-{third.pk}": "",
        f"m-{mark.pk}-value": "4",
        f"m-{mark.pk}-kind": mark.kind_id,
        f"m-{mark.pk}-comment": "",
        f"m-{mark.pk}-reason": "пересдача",
        f"new-{first.pk}-value": "5",
        f"new-{third.pk}-value": "2",
    }

    response = client_for("teacher").post(url(lesson), data, follow=True, **EN)

    mark.refresh_from_db()
    assert mark.value == 4
    assert Attendance.objects.get().student == second
    values = sorted(Mark.objects.values_list("student_id", "value"))
    assert values == sorted([(first.pk, 4), (first.pk, 5), (third.pk, 2)])
    assert [str(m) for m in response.context["messages"]] == ["4 changes are saved."]
    page = response.content.decode()
    assert page.count('name="action" value="sheet"') == 1
    marks = page[
        page.index('id="marks-heading"') : page.index("</section>", page.index("marks-heading"))
    ]
    assert (marks.count("<form"), marks.count('type="submit"')) == (1, 1)  # one form, one button


def test_one_form_with_a_wrong_row_saves_nothing_and_keeps_what_was_typed(
    client_for, world, jw, lesson
):
    first, second = jw.students[:2]
    data = {
        "action": "sheet",
        f"att-{second.pk}": "Б",
        f"new-{first.pk}-value": "5",
        f"new-{second.pk}-value": "7",
        f"new-{second.pk}-comment": "у доски",
    }

    response = client_for("teacher").post(url(lesson), data, **EN)

    assert response.status_code == 400
    assert (Mark.objects.count(), Attendance.objects.count()) == (0, 0)
    assert response.context["sheet_errors"] == [
        f"{second.surname} {second.given_name}: A mark must be a whole number from 1 to 5."
    ]
    page = response.content.decode()
    assert 'value="у доски"' in page
    assert '<option value="Б" selected>' in page


def test_one_form_without_changes_writes_nothing(client_for, world, jw, lesson):
    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=jw.students[0], text="3")
    mark = Mark.objects.get()
    data = {"action": "sheet", f"m-{mark.pk}-value": "3", f"m-{mark.pk}-kind": mark.kind_id,
            f"m-{mark.pk}-comment": "", f"att-{jw.students[0].pk}": ""}  # fmt: skip
    audits = AuditEntry.objects.count()

    response = client_for("teacher").post(url(lesson), data, follow=True, **EN)

    assert [str(m) for m in response.context["messages"]] == ["Nothing has changed."]
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    "data",
    [
        {"value": "7"},
        {"value": "x"},
        {"value": "4", "kind": "999999"},
        {"value": "4", "kind": "x"},
    ],
)
def test_mark_add_bad_input_is_400_and_nothing_written(client_for, jw, lesson, data):
    sid = jw.students[0].pk
    data = {"action": "sheet", **{f"new-{sid}-{k}": v for k, v in data.items()}}

    response = client_for("teacher").post(url(lesson), data, **EN)

    assert response.status_code == 400
    assert response.context["error"]
    assert Mark.objects.count() == 0


def test_a_student_not_in_the_group_is_not_written(client_for, jw, lesson):
    response = client_for("teacher").post(
        url(lesson), {"action": "sheet", "new-999999-value": "4", "att-999999": "Н"}
    )

    assert response.status_code == 302
    assert (Mark.objects.count(), Attendance.objects.count()) == (0, 0)


def test_mark_change_keeps_history_with_reason(client_for, world, jw, lesson):
    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=jw.students[0], text="3")
    mark = Mark.objects.get()
    client = client_for("teacher")

    client.post(
        url(lesson),
        {"action": "sheet", f"m-{mark.pk}-value": "4", f"m-{mark.pk}-reason": "пересдача"},
    )
    page = client.get(url(lesson))

    mark.refresh_from_db()
    assert mark.value == 4
    entry = AuditEntry.objects.filter(action="journal.mark.update").get()
    assert (entry.changes["value"], entry.reason) == ([3, 4], "пересдача")
    student = next(s for s in page.context["students"] if s["id"] == jw.students[0].pk)
    lines = [h["lines"] for h in student["marks"][0].history]
    assert lines[-1] == ["mark: 3 → 4"] or lines[-1] == ["оценка: 3 → 4"]


def test_mark_delete_needs_a_reason(client_for, world, jw, lesson):
    records.cell_save(actor=world.users["teacher"], lesson=lesson, student=jw.students[0], text="3")
    # older than the editing session (journal/services/deletion.py): a reason is needed
    Mark.objects.update(created_at=F("created_at") - dt.timedelta(hours=1))
    mark = Mark.objects.get()
    client = client_for("teacher")
    delete = {"action": "sheet", f"m-{mark.pk}-value": "3", f"m-{mark.pk}-delete": "1"}

    refused = client.post(url(lesson), {**delete, f"m-{mark.pk}-reason": " "})
    mark.refresh_from_db()
    assert (refused.status_code, mark.is_deleted) == (400, False)
    assert f'name="m-{mark.pk}-delete" value="1" checked' in refused.content.decode()

    client.post(url(lesson), {**delete, f"m-{mark.pk}-reason": "ошибка"})

    mark.refresh_from_db()
    assert mark.is_deleted is True
    assert AuditEntry.objects.get(action="journal.mark.delete").reason == "ошибка"


def test_mark_of_another_lesson_cannot_be_changed(client_for, world, jw, lesson):
    other = jw.lessons(period=jw.q2).exclude(pk=lesson.pk).first()
    records.cell_save(actor=world.users["teacher"], lesson=other, student=jw.students[0], text="3")
    mark = Mark.objects.get()

    response = client_for("teacher").post(
        url(lesson),
        {"action": "sheet", f"m-{mark.pk}-value": "5", f"m-{mark.pk}-delete": "1"},
        follow=True,
        **EN,
    )

    assert [str(m) for m in response.context["messages"]] == ["Nothing has changed."]
    mark.refresh_from_db()
    assert (mark.value, mark.is_deleted) == (3, False)


def test_attendance_set_on_the_lesson_page(client_for, jw, lesson):
    response = client_for("teacher").post(
        url(lesson), {"action": "sheet", f"att-{jw.students[1].pk}": "Б"}
    )

    assert response.status_code == 302
    assert Attendance.objects.get().code == "Б"


def test_closed_period_refuses_changes(client_for, world, jw, lesson):
    records.period_close(actor=world.users["director"], period=jw.q2)
    client = client_for("teacher")

    page = client.get(url(lesson))
    response = client.post(
        url(lesson), {"action": "sheet", f"new-{jw.students[0].pk}-value": "5"}, **EN
    )

    assert page.context["editable"] is False
    assert response.status_code == 400
    assert "closed" in " ".join(response.context["sheet_errors"])
    assert Mark.objects.count() == 0


@pytest.mark.parametrize("role", ["director", "student", "parent", "other_teacher", "metodist"])
def test_who_does_not_write_cannot_send_the_form(client_for, jw, lesson, role):
    response = client_for(role).post(
        url(lesson), {"action": "sheet", f"new-{jw.students[0].pk}-value": "5"}
    )

    assert response.status_code in (403, 404)
    assert Mark.objects.count() == 0


def test_teacher_cannot_substitute(client_for, world, jw, lesson):
    response = client_for("teacher").post(
        url(lesson), {"action": "substitute", "substitute": world.people["teacher"].pk}
    )

    assert response.status_code == 403


def test_director_substitutes_cancels_and_moves(client_for, world, jw, lesson):
    person = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(person=person, institution=world.school, role=Membership.Role.TEACHER)
    client = client_for("director")

    client.post(url(lesson), {"action": "substitute", "substitute": person.pk})
    lesson.refresh_from_db()
    assert lesson.substitute == person

    refused = client.post(url(lesson), {"action": "cancel", "reason": ""})
    assert refused.status_code == 400
    client.post(url(lesson), {"action": "cancel", "reason": "карантин"})
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.CANCELLED

    moved = jw.lessons(period=jw.q2).exclude(pk=lesson.pk).last()
    client.post(url(moved), {"action": "move", "move-date": iso(2026, 12, 26), "move-number": "6"})
    moved.refresh_from_db()
    assert (moved.date, moved.number) == (d(2026, 12, 26), 6)


def test_substitute_of_a_stranger_is_refused(client_for, world, jw, lesson):
    response = client_for("director").post(
        url(lesson), {"action": "substitute", "substitute": world.people["other_teacher"].pk}
    )

    assert response.status_code == 400
    lesson.refresh_from_db()
    assert lesson.substitute is None


def test_unknown_action_is_400(client_for, jw, lesson):
    assert client_for("teacher").post(url(lesson), {"action": "explode"}).status_code == 400


@pytest.mark.parametrize("marks", [1, 5], ids=["1 mark", "5 students with marks"])
def test_lesson_page_query_budget(client_for, django_assert_num_queries, jw, lesson, marks):
    world_teacher = jw.klass.class_teacher.user
    for student in jw.students[:marks]:
        records.cell_save(actor=world_teacher, lesson=lesson, student=student, text="Н 5")
        mark = Mark.objects.filter(student=student).first()
        records.mark_update(actor=world_teacher, mark=mark, value=4)
    client = client_for("teacher")

    with django_assert_num_queries(13):
        response = client.get(url(lesson))

    assert response.status_code == 200


def test_homework_and_its_files_are_saved_together_or_not_at_all(
    client_for, jw, lesson, monkeypatch, settings
):
    """The second file is refused by the service after the homework and the first file were
    written: the page answers the error and nothing of the three is kept (issue 7, §5)."""
    from setka.journal.services import homework as homework_services

    client = client_for("teacher")
    client.post(url(lesson), {"action": "homework", "hw-text": "old", "hw-minutes": "20"})
    real_add = homework_services.homework_attachment_add
    calls = []

    def second_fails(**kwargs):
        calls.append(kwargs["file"].name)
        if len(calls) == 2:
            raise ValidationError("The storage refused the file.")
        return real_add(**kwargs)

    monkeypatch.setattr(homework_services, "homework_attachment_add", second_fails)
    uploads = [SimpleUploadedFile("a.txt", b"abc"), SimpleUploadedFile("b.txt", b"def")]
    data = {"action": "homework", "hw-text": "new", "hw-minutes": "20", "hw-attachments": uploads}

    response = client.post(url(lesson), data, **EN)

    assert response.status_code == 400
    assert calls == ["a.txt", "b.txt"]
    assert list(Homework.objects.values_list("text", flat=True)) == ["old"]
    assert HomeworkAttachment.objects.count() == 0
    media = Path(settings.MEDIA_ROOT)
    assert [p.name for p in media.rglob("*") if p.is_file()] == []  # no orphan file on disk
