"""The diary of a student: the week (lessons of all the student's groups — class, subgroups,
electives and network groups at other institutions — with times, topics, homework due,
marks and attendance) and the summary of the year (weighted averages, period and year marks,
attendance).

``diary_week`` (Monday to Saturday) and ``diary_days`` (any range: the API's) read four
queries whatever the size of the range; ``diary_summary`` five.
Access is not checked here: callers pass a student the user may read (``journal.view_diary``).
"""

from .common import parse_week, week_start
from .summary import Summary, SummaryPeriod, SummarySubject, SummaryYear, diary_summary
from .week import (
    DiaryAttachment,
    DiaryDay,
    DiaryHomework,
    DiaryLesson,
    DiaryMark,
    DiaryWeek,
    diary_days,
    diary_week,
)

__all__ = [
    "DiaryAttachment",
    "DiaryDay",
    "DiaryHomework",
    "DiaryLesson",
    "DiaryMark",
    "DiaryWeek",
    "Summary",
    "SummaryPeriod",
    "SummarySubject",
    "SummaryYear",
    "diary_days",
    "diary_summary",
    "diary_week",
    "parse_week",
    "week_start",
]
