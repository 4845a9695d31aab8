from .records import (
    Attendance,
    AttendanceCode,
    Homework,
    HomeworkAttachment,
    Mark,
    MarkKind,
    PeriodMark,
)
from .structure import (
    AcademicYear,
    GroupMember,
    Holiday,
    Period,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from .timetable import Bell, Lesson, TimetableEntry

__all__ = [
    "AcademicYear",
    "Attendance",
    "AttendanceCode",
    "Bell",
    "GroupMember",
    "Holiday",
    "Homework",
    "HomeworkAttachment",
    "Lesson",
    "Mark",
    "MarkKind",
    "Period",
    "PeriodMark",
    "StudyGroup",
    "Subject",
    "TeachingAssignment",
    "TimetableEntry",
]
