"""Every hand-written SQL statement lives in an app's ``sql.py`` (``docs/architecture.md``,
"Hand-written SQL"), where its test against an ORM reference sits beside it; the bulk writers
(``COPY``, ``executemany``) stay with their callers, and the health check asks ``SELECT 1``."""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "setka"
STATEMENT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|COPY|CREATE)\s", re.MULTILINE)
WRITERS = {
    "journal/demo/writer.py",  # COPY and executemany of the demo's rows
    "journal/importing/marks.py",  # COPY of imported marks
    "journal/services/timetable.py",  # COPY of a year's generated lessons
    "core/views.py",  # the health check's SELECT 1
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _statements(path: Path) -> list[int]:
    """The lines of the string literals of ``path`` that start with an SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstrings(tree)
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in docstrings:
                continue
            text = node.value
        else:
            continue
        if STATEMENT.search(text):
            lines.append(node.lineno)
    return sorted(set(lines))


def test_hand_written_statements_live_in_the_apps_sql_modules():
    offenders = [
        f"{path.relative_to(SRC)}:{line}"
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and path.name != "sql.py"
        and str(path.relative_to(SRC)) not in WRITERS
        for line in _statements(path)
    ]

    assert offenders == []


def test_the_check_finds_a_statement():
    assert _statements(SRC / "journal" / "sql.py")
    assert _statements(SRC / "core" / "views.py")
