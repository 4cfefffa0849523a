"""Personal hand-in codes for laptop mode: who may hand in under which id.

A code is derived from the cohort's secret and the participant's id (keyed hash, like the pseudonyms), so the
facilitator's tool can recompute it at any time and nobody without the secret can make one. It is short and easy to
read aloud and type: three groups of four characters from an alphabet without look-alikes (no I, O, 0, 1), e.g.
``KD7F-M2QX-9HRT``. Case, spaces and hyphens do not matter.

The last character is a check character over the others *and the id*: the export widget (which knows no secret)
can tell a typo or a code meant for another id at once, before anything is written.

The code itself never travels: the export puts a small ``abgabe.json`` into the zip with the id, the module, the
time, a hash of every file and a seal (HMAC with the code as key) over all of that. ``kommfit collect --zip``
recomputes the code and checks the seal, so a zip handed in under someone else's id, re-dated or altered is refused.
The manifest is never copied into ``submitted/``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 characters: no I, O, 0, 1
GROUPS, GROUP_LENGTH = 3, 4
CODE_LENGTH = GROUPS * GROUP_LENGTH
MANIFEST_NAME = "abgabe.json"
MANIFEST_SCHEMA = 1
EXAMPLE_CODE = "ABCD-EFGH-JKLM"
_DOMAIN = b"kommfit-abgabecode\x00"


def normalize(code: str) -> str:
    """The code as compared: upper case, without spaces, hyphens, dots or underscores."""
    return "".join(c for c in str(code).upper() if c not in " \t\r\n-_.\u00a0")


def _check_character(data: str, person_id: str) -> str:
    """Luhn mod 32 over the data characters, shifted by a hash of the id: every single wrong character and most
    swapped neighbours are caught, and a code meant for another id fails with probability 31/32."""
    factor, total = 2, 0
    for char in reversed(data):
        addend = factor * ALPHABET.index(char)
        total += addend // len(ALPHABET) + addend % len(ALPHABET)
        factor = 1 if factor == 2 else 2
    shift = hashlib.sha256(_DOMAIN + person_id.encode("utf-8")).digest()[0]
    return ALPHABET[(len(ALPHABET) - total % len(ALPHABET) + shift) % len(ALPHABET)]


def derive(secret: bytes, person_id: str) -> str:
    """The hand-in code of ``person_id`` in the cohort with ``secret``, formatted ``XXXX-XXXX-XXXX``."""
    digest = hmac.new(secret, _DOMAIN + person_id.encode("utf-8"), hashlib.sha256).digest()
    number = int.from_bytes(digest, "big")
    data = ""
    for _ in range(CODE_LENGTH - 1):
        number, index = divmod(number, len(ALPHABET))
        data += ALPHABET[index]
    return display(data + _check_character(data, person_id))


def display(code: str) -> str:
    """A normalized code in groups of four, as printed for the participant."""
    code = normalize(code)
    return "-".join(code[i:i + GROUP_LENGTH] for i in range(0, len(code), GROUP_LENGTH))


def problem(code: str, person_id: str) -> str | None:
    """What is wrong with a typed code for this id (German), or None if it can be right. Needs no secret."""
    code = normalize(code)
    if not code:
        return (f"Bitte geben Sie auch Ihren Abgabecode ein (drei Vierergruppen wie {EXAMPLE_CODE}); Sie bekommen "
                "ihn von Ihrer Kursleitung.")
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        return (f"Ein Abgabecode hat {CODE_LENGTH} Zeichen (Buchstaben und die Ziffern 2 bis 9, wie {EXAMPLE_CODE}). "
                "Bitte vergleichen Sie ihn mit dem Zettel Ihrer Kursleitung.")
    if _check_character(code[:-1], person_id) != code[-1]:
        return ("Dieser Abgabecode passt nicht zu Ihrer Kennung – vielleicht ein Tippfehler. Bitte vergleichen Sie "
                "Kennung und Abgabecode mit dem Zettel Ihrer Kursleitung.")
    return None


def matches(expected: str, given: str) -> bool:
    """Compare two codes in constant time, ignoring case, spaces and hyphens."""
    return hmac.compare_digest(normalize(expected).encode("ascii", "replace"),
                               normalize(given).encode("ascii", "replace"))


def _canonical(person: str, module: str, stamp: str, files: Mapping[str, str]) -> bytes:
    body = {"schema": MANIFEST_SCHEMA, "kennung": person, "modul": module, "zeitpunkt": stamp, "dateien": dict(files)}
    return json.dumps(body, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def seal(code: str, person: str, module: str, stamp: str, files: Mapping[str, str]) -> str:
    """The seal over one hand-in: HMAC-SHA256 keyed with the normalized code."""
    key = normalize(code).encode("ascii", "replace")
    return hmac.new(key, _canonical(person, module, stamp, files), hashlib.sha256).hexdigest()


def manifest(code: str, person: str, module: str, stamp: str, files: Mapping[str, str]) -> bytes:
    """The ``abgabe.json`` of one hand-in (``files``: file name → SHA-256 hex of its bytes in the zip)."""
    body = {"schema": MANIFEST_SCHEMA, "kennung": person, "modul": module, "zeitpunkt": stamp, "dateien": dict(files),
            "siegel": seal(code, person, module, stamp, files)}
    return json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def seal_is_valid(code: str, person: str, module: str, stamp: str, files: Mapping[str, str], given: str) -> bool:
    return hmac.compare_digest(seal(code, person, module, stamp, files).encode("ascii"),
                               str(given).encode("ascii", "replace"))
