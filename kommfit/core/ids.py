"""What a participant id looks like: the one rule the roster, the hand-in widget and collect all check.

It is the user name of the person's account in hub mode and a folder name in nbgrader's exchange and course
folders, so it may hold no path separator, no space and nothing a shell or spreadsheet would read as special.
"""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
