"""Merge translation lines (``msgid<TAB>msgstr`` or, for plurals,
``msgid<TAB>msgid_plural<TAB>ru0<TAB>ru1<TAB>ru2``) from TSV files into the Russian catalogue,
fix the catalogue headers, and list what is still untranslated. Used after `make messages`:

    python scripts/merge_translations.py .tr/*.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "setka" / "locale"
PLURAL_RU = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);"
)


def fix_header(po: polib.POFile, lang: str) -> None:
    po.metadata_is_fuzzy = False
    po.metadata["Language"] = lang
    po.metadata["Project-Id-Version"] = "setka"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata["Plural-Forms"] = PLURAL_RU if lang == "ru" else "nplurals=2; plural=(n != 1);"
    for key in ("Report-Msgid-Bugs-To", "Last-Translator", "Language-Team"):
        po.metadata.pop(key, None)


def main(paths: list[str]) -> int:
    ru = polib.pofile(str(LOCALE / "ru" / "LC_MESSAGES" / "django.po"))
    en = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    fix_header(ru, "ru")
    fix_header(en, "en")
    singles: dict[str, str] = {}
    plurals: dict[str, list[str]] = {}
    for path in paths:
        for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = [p.replace("\\n", "\n") for p in line.split("\t")]
            if len(parts) == 2:
                singles[parts[0]] = parts[1]
            elif len(parts) == 5:
                plurals[parts[0]] = parts[2:]
            else:
                print(f"{path}:{n}: expected 2 or 5 tab-separated fields", file=sys.stderr)
    for e in ru:
        if e.obsolete:
            continue
        if e.msgid_plural and e.msgid in plurals:
            e.msgstr_plural = dict(enumerate(plurals[e.msgid]))
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
        elif not e.msgid_plural and e.msgid in singles:
            e.msgstr = singles[e.msgid]
            if "fuzzy" in e.flags:
                e.flags.remove("fuzzy")
    ru.save()
    en.save()
    missing = [
        e
        for e in ru
        if not e.obsolete
        and ("fuzzy" in e.flags or (not e.msgstr and not e.msgid_plural)
             or (e.msgid_plural and not all(e.msgstr_plural.get(i) for i in range(3))))
    ]  # fmt: skip
    for e in missing:
        if e.msgid_plural:
            print(f"{e.msgid}\t{e.msgid_plural}\t\t\t".replace("\n", "\\n"))
        else:
            print(f"{e.msgid}\t".replace("\n", "\\n"))
    print(f"# {len(missing)} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
