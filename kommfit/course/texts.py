"""Every text a participant reads in a notebook, for the German spell check and other text checks.

Markdown cells, and every sentence-like string literal in code cells — question prompts, options, practice and graded
feedback (the hidden grade cells' explanations reach participants through nbgrader's feedback), company texts and the
texts of the interactive elements. Ids and code-like strings are left out: a "text" here contains a space and a
letter.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import nbformat

from ..core.profile import PLACEHOLDER

MARKDOWN_NOISE = (
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<[^>]+>"),  # HTML tags
)


def _strings(source: str) -> Iterator[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if " " in node.value.strip() and re.search(r"[A-Za-zÄÖÜäöüß]", node.value):
                yield node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            if parts:
                yield " ".join(parts)


def notebook_texts(path: Path) -> list[str]:
    """The participant-facing texts of one notebook (hidden grade cells included)."""
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            text = cell.source
            for pattern in MARKDOWN_NOISE:
                text = pattern.sub(" ", text)
            texts.append(text)
        elif cell.cell_type == "code":
            source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("#"))
            texts += list(_strings(source))
    return [PLACEHOLDER.sub(" ", text) for text in texts]


def words(text: str) -> list[str]:
    """The words of a text as a spell checker sees them (hyphenated compounds split, numbers dropped)."""
    cleaned = re.sub(r"[§„“”‚‘\"'»«()\[\]{}*_#/:;!?.,…–—=+<>|%&@0-9\\]", " ", text)
    found = []
    for token in cleaned.split():
        for part in token.split("-"):
            part = part.strip()
            if len(part) > 1 and re.search(r"[A-Za-zÄÖÜäöüß]", part):
                found.append(part)
    return found
