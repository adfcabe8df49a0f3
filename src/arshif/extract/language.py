"""Which language a page is in: Arabic, Persian and Urdu share a script, so read the letters.

Templates often declare `lang="en"` (or nothing) on Arabic pages, and Persian
or Urdu sites reuse Arabic templates; the letters each language alone uses
are better evidence than the declaration whenever the text is in Arabic script.
"""

from __future__ import annotations

import re

_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile("[A-Za-z]")
_URDU = set("ٹڈڑںےۓھ")  # retroflexes, noon ghunna, bari ye, do-chashmi he
_PERSIAN = set("پچژگکی")  # also used by Urdu; Arabic proper uses ك ي
_ARABIC_ONLY = set("ةىكيأإؤئ")  # ta marbuta, alef maqsura, Arabic kaf/ya, hamza seats


def detect_language(text: str) -> str | None:
    """ISO 639-1 code for Arabic-script text (ar, fa, ur), None when unsure or not Arabic script."""
    sample = text[:20000]
    script = len(_ARABIC_SCRIPT.findall(sample))
    if script < 20 or script < len(_LATIN.findall(sample)):
        return None
    urdu = sum(sample.count(c) for c in _URDU)
    persian = sum(sample.count(c) for c in _PERSIAN)
    arabic = sum(sample.count(c) for c in _ARABIC_ONLY)
    if urdu >= 0.01 * script and urdu * 3 >= arabic * 0.2:
        return "ur"
    if persian > arabic:
        return "fa"
    return "ar"


def declared_code(value: str | None) -> str | None:
    """"ar-EG", "ar_AR", "AR" -> "ar"; None for empty or placeholder values."""
    if not value:
        return None
    code = re.split(r"[-_\s]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2,3}", code) and code not in ("und", "mul", "zxx") else None


def page_language(declared: list[str], text: str) -> str | None:
    """The text's own evidence first (when it is in Arabic script), else the first declaration."""
    detected = detect_language(text)
    if detected:
        return detected
    for value in declared:
        code = declared_code(value)
        if code:
            return code
    return None
