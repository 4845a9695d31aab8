"""Lint the translation catalogues: every string in the code is in the Russian catalogue,
translated and not fuzzy; the English catalogue exists. Needs GNU gettext (xgettext) to
re-extract strings; without it, only the catalogue itself is checked."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "setka"
RU = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "django.po"
EN = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def key(entry: polib.POEntry) -> tuple[str, str | None]:
    return entry.msgid, entry.msgctxt


def main() -> int:
    problems: list[str] = []
    if not EN.exists():
        problems.append(f"missing {EN.relative_to(ROOT)}")
    ru = polib.pofile(str(RU))
    for e in ru:
        if e.obsolete:
            continue
        if "fuzzy" in e.flags:
            problems.append(f"fuzzy: {e.msgid!r}")
        elif e.msgid_plural:
            if not all(e.msgstr_plural.get(i) for i in range(3)):
                problems.append(f"untranslated plural: {e.msgid!r}")
        elif not e.msgstr:
            problems.append(f"untranslated: {e.msgid!r}")
    if shutil.which("xgettext"):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "setka"
            shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
            subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "-l", "ru", "--no-obsolete",
                 "--no-location", "--ignore", "static/vendor/*", "-e", "html,py,txt,jinja"],
                cwd=copy, check=True, capture_output=True,
                env={"DJANGO_SETTINGS_MODULE": "setka.config.settings", "SETKA_TESTING": "1",
                     "PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent)},
            )  # fmt: skip
            fresh = polib.pofile(str(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
            known = {key(e) for e in ru if not e.obsolete}
            for e in fresh:
                if key(e) not in known:
                    problems.append(f"not in the catalogue (run `make messages`): {e.msgid!r}")
    else:
        print("note: xgettext not found, the code was not re-scanned for new strings")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} translation problem(s)")
        return 1
    print(f"translations: {len(ru)} strings, all translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
