"""The list of participants (``teilnehmende.csv``): read, validate completely, or refuse completely.

Facilitators export rosters from HR tools and Excel, so the usual accidents are expected: a semicolon instead of a
comma, a Latin-1 export, a duplicate or empty id, an extra column with data that does not belong here (we keep only
what the course needs: data minimisation). Every problem is reported in German with its line number, and nothing is
imported until the whole file is valid.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..core.ids import ID_PATTERN

REQUIRED_COLUMNS = ("id", "name", "abteilung")
OPTIONAL_COLUMNS = ("email",)
ALLOWED_DELIMITERS = (",", ";")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# No real name, department or address is this long; longer fields are accidents (or attacks on the terminal, the
# spreadsheet and csv's own field limit of 131072 characters) and are refused with their line.
MAX_FIELD_CHARS = 200
MAX_ROSTER_BYTES = 20 * 2**20  # 100000 people at 200 bytes; anything bigger is not a roster
SHOWN_CHARS = 40  # how much of a wrong value a message quotes


class RosterError(Exception):
    """The roster cannot be imported. ``problems`` lists every problem found, each in German with its line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    abteilung: str
    email: str = ""


def read_roster(path: Path | str) -> list[Person]:
    """Read and validate a roster file; raise RosterError listing every problem."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_ROSTER_BYTES:
            raise RosterError([f"{path.name}: Die Datei ist unplausibel groß (über {MAX_ROSTER_BYTES // 2**20} MB)."])
        raw = path.read_bytes()
    except OSError as error:
        raise RosterError([f"Die Datei {path} kann nicht gelesen werden: {error.strerror}."]) from error
    return parse_roster(raw, source=path.name)


def parse_roster(raw: bytes, source: str = "teilnehmende.csv") -> list[Person]:
    """Validate roster bytes (UTF-8, comma or semicolon separated, header id,name,abteilung[,email])."""
    text = _decode(raw, source)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise RosterError([f"{source}: Die Datei ist leer. Erwartet wird eine Kopfzeile: id,name,abteilung,email"])
    delimiter = _delimiter(lines[0], source)
    rows = _rows(text, delimiter, source)
    header = [cell.strip().lower() for cell in rows[0]]
    problems = _header_problems(header, source)
    if problems:
        raise RosterError(problems)
    people: list[Person] = []
    first_line_of: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines (often at the end of Excel exports) are harmless
        if len(row) != len(header):
            problems.append(
                f"{source}, Zeile {line_no}: {len(row)} Felder statt {len(header)} "
                f"(Trennzeichen '{delimiter}' oder ein Anführungszeichen prüfen)."
            )
            continue
        record = {column: cell.strip() for column, cell in zip(header, row, strict=True)}
        problems += _row_problems(record, line_no, source, first_line_of)
        people.append(Person(record["id"], record["name"], record["abteilung"], record.get("email", "")))
    if not people and not problems:
        problems.append(f"{source}: Die Datei enthält keine Teilnehmenden, nur die Kopfzeile.")
    if problems:
        raise RosterError(problems)
    return people


def _rows(text: str, delimiter: str, source: str) -> list[list[str]]:
    """All rows, or a RosterError naming the line csv cannot read (e.g. a field over csv's size limit)."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as error:
        too_long = "field larger than field limit" in str(error)
        reason = f"Ein Feld ist länger als {MAX_FIELD_CHARS} Zeichen" if too_long else "Die Zeile ist kein gültiges CSV"
        raise RosterError([f"{source}, Zeile {reader.line_num}: {reason}."]) from error


def _shown(value: str) -> str:
    """A value quoted in a message, cut short so that a huge cell does not flood the terminal."""
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def _decode(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8-sig")  # Excel writes a byte-order mark; that is fine
    except UnicodeDecodeError as error:
        line_no = raw[: error.start].count(b"\n") + 1
        raise RosterError(
            [
                f"{source}, Zeile {line_no}: Die Datei ist nicht UTF-8-kodiert. Bitte in Excel als "
                "„CSV UTF-8 (durch Trennzeichen getrennt)“ speichern."
            ]
        ) from error
    return text


def _delimiter(header_line: str, source: str) -> str:
    counts = {d: header_line.count(d) for d in ALLOWED_DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        other = next((d for d in ("\t", "|") if d in header_line), None)
        found = "Tabulator" if other == "\t" else f"'{other}'" if other else "keines"
        raise RosterError(
            [f"{source}, Zeile 1: Unbekanntes Trennzeichen ({found}). Bitte Komma oder Semikolon verwenden."]
        )
    return best


def _header_problems(header: list[str], source: str) -> list[str]:
    problems = []
    allowed = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    for column in header:
        if column not in allowed:
            problems.append(
                f"{source}, Zeile 1: Unbekannte Spalte '{_shown(column)}'. Erlaubt sind: {', '.join(allowed)} "
                "(mehr Daten braucht der Kurs nicht)."
            )
    for column in REQUIRED_COLUMNS:
        if column not in header:
            problems.append(f"{source}, Zeile 1: Die Spalte '{column}' fehlt.")
    duplicates = sorted({c for c in header if header.count(c) > 1})
    if duplicates:
        problems.append(f"{source}, Zeile 1: Doppelte Spalte(n): {', '.join(duplicates)}.")
    return problems


def _row_problems(record: dict[str, str], line_no: int, source: str, first_line_of: dict[str, int]) -> list[str]:
    where = f"{source}, Zeile {line_no}"
    too_long = [column for column, value in record.items() if len(value) > MAX_FIELD_CHARS]
    if too_long:  # checked first, so that no message quotes a huge value
        return [f"{where}: Das Feld '{column}' ist länger als {MAX_FIELD_CHARS} Zeichen." for column in too_long]
    problems = [
        f"{where}: Das Feld '{column}' enthält Steuerzeichen (z. B. einen Zeilenumbruch oder Tabulator)."
        for column, value in record.items()
        if any(unicodedata.category(c) == "Cc" for c in value)
    ]
    person_id = record["id"]
    if not person_id:
        problems.append(f"{where}: Die ID fehlt.")
    elif not ID_PATTERN.match(person_id):
        problems.append(
            f"{where}: Die ID '{person_id}' ist ungültig (erlaubt: Buchstaben, Ziffern, Punkt, Binde- und "
            "Unterstrich; höchstens 64 Zeichen)."
        )
    elif person_id.lower() in first_line_of:
        problems.append(f"{where}: Die ID '{person_id}' steht schon in Zeile {first_line_of[person_id.lower()]}.")
    else:
        first_line_of[person_id.lower()] = line_no
    if not record["name"]:
        problems.append(f"{where}: Der Name fehlt.")
    if not record["abteilung"]:
        problems.append(f"{where}: Die Abteilung fehlt.")
    email = record.get("email", "")
    if email and not EMAIL_PATTERN.match(email):
        problems.append(f"{where}: '{email}' ist keine gültige E-Mail-Adresse.")
    return problems


def write_roster(path: Path, people: list[Person]) -> None:
    """Write a validated roster back (UTF-8, comma separated) — used for the cohort's own copy."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
        for person in people:
            writer.writerow([person.id, person.name, person.abteilung, person.email])
