"""Participant-controlled values made safe for the medium they are written to: the terminal and spreadsheets.

Ids, folder names, zip names and roster fields come from people, not from kommfit. Printed raw, an escape sequence
in a folder name can rewrite the facilitator's terminal; written raw into a CSV file, a name starting with ``=`` is
run as a formula when the file is opened in a spreadsheet (OWASP "CSV Injection"). HTML is escaped where it is built
(``html.escape``, Jinja2 autoescape); these two helpers cover the other two media.
"""

from __future__ import annotations

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A plain decimal number such as a negative discrimination "-0,150" is not a formula and must stay a number.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")


def terminal_safe(text: object) -> str:
    """``text`` with every control or other non-printable character (ESC, BEL, CR, bidi overrides …) shown as ``?``."""
    return "".join(c if c.isprintable() else "?" for c in str(text))


def csv_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows as text: strings starting with a formula prefix get a leading ``'``.

    Numbers stay numbers, also when written as text (a negative score is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value
