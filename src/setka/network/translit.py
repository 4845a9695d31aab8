"""Russian → Latin transliteration for slugs and logins (ГОСТ 7.79-2000, system B, simplified)."""

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "cz",
    "ч": "ch", "ш": "sh", "щ": "shh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "№": "n",
}  # fmt: skip


def transliterate(text: str) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        if low in _TABLE:
            tr = _TABLE[low]
            out.append(tr.capitalize() if ch != low else tr)
        else:
            out.append(ch)
    return "".join(out)
