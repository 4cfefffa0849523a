"""The German texts only the browser edition shows (start-page note, hand-in note, download link, status) are spelled
as carefully as the modules: hunspell (de_DE) plus the project word list, as tests/course/test_texts.py does."""

from __future__ import annotations

import re

from kommfit.activities import handin
from kommfit.activities.download import Download
from kommfit.course import lite
from kommfit.course.texts import words

from ..course.test_texts import require_hunspell, unknown_words


def test_browser_edition_texts_are_spelled_right():
    require_hunspell()
    texts = [lite.BROWSER_NOTE_MARKDOWN, handin.BROWSER_NOTE, Download.label.default_value.replace("{name}", ""),
             "Ihr Browser lädt die Datei jetzt herunter: Sie finden sie in Ihrem Download-Ordner. Schicken Sie sie "
             "Ihrer Kursleitung."]
    found = sorted({w for text in texts for w in words(re.sub(r"<[^>]*>", " ", text))})
    assert unknown_words(found) == []
