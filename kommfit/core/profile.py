"""The company profile (``kurs.toml``): everything company-specific the modules show.

A facilitator edits one TOML file and every module shows their company's channels, tools and contacts. Facilitators
are not programmers either, so every mistake in the file is reported in German with the exact key at fault
(``kanaele[2].adresse``), never as a traceback. Unknown keys are errors too: a typo must not silently fall back.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

PROFILE_ENV = "KOMMFIT_PROFIL"
PROFILE_FILE_NAME = "kurs.toml"
MIN_GROUP_SIZE = 5
# A real profile has a few KB, texts of a sentence or two and numbers like 600; far beyond that it is a mistake (or
# an attack on the parser), refused with a German message instead of a traceback or a page-long module text.
MAX_PROFILE_BYTES = 2**20
MAX_TEXT_CHARS = 1000
MAX_INTEGER = 10_000_000
SHOWN_CHARS = 40  # how much of a wrong value a message quotes

TOOL_KINDS = {
    "intranet": "das Intranet",
    "kollaboration": "das Kollaborationswerkzeug",
    "chat": "der Messenger",
    "forum": "die offene Austauschgruppe",
    "email": "die E-Mail",
    "fachanwendung": "die Fachanwendung",
}
CONTACT_ROLES = ("social_media", "datenschutz", "betriebsrat")
# What an external channel can be for (optional list ``themen`` of a [[kanaele]] entry; used by the channel map of
# module 02). A fixed vocabulary, so modules can write example messages once for every company.
CHANNEL_TOPICS = {
    "fachthemen": "Fachbeiträge",
    "stellenangebote": "Stellenangebote",
    "unternehmensnews": "Firmenneuigkeiten",
    "mitarbeitende": "Porträts von Mitarbeitenden",
    "einblicke": "Blicke hinter die Kulissen",
    "ausbildung": "Ausbildung",
    "service": "Service-Hinweise",
    "veranstaltungen": "Veranstaltungen",
    "tipps": "Tipps für die Kundschaft",
    "erklaervideos": "Erklärvideos",
    "angebote": "Angebote",
}


class ProfileError(Exception):
    """The profile cannot be used. The message is German and names the file and the key at fault."""


@dataclass(frozen=True)
class Channel:
    name: str
    adresse: str
    zweck: str
    zielgruppe: str = ""
    themen: tuple[str, ...] = ()  # keys of CHANNEL_TOPICS; empty: the profile says nothing about topics


@dataclass(frozen=True)
class Tool:
    name: str
    art: str
    zweck: str


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    telefon: str = ""


@dataclass(frozen=True)
class Profile:
    """A validated company profile."""

    name: str
    kurzname: str
    offenlegung: str
    kanaele: tuple[Channel, ...]
    werkzeuge: tuple[Tool, ...]
    kontakte: dict[str, Contact]
    branche: str = ""
    mitarbeitende: int = 0
    standorte: tuple[str, ...] = ()
    hashtag: str = ""
    boersennotiert: bool = False  # listed companies: modules add the insider rules of the MAR (Art. 14, 17)
    vertrauliche_begriffe: tuple[str, ...] = ()
    mindestgruppe: int = MIN_GROUP_SIZE
    personenbezogene_berichte: bool = False
    source: str = field(default="", compare=False)

    def tool_of_kind(self, kind: str) -> Tool | None:
        """The first internal tool of a kind (``intranet``, ``kollaboration`` …), if the company has one."""
        return next((tool for tool in self.werkzeuge if tool.art == kind), None)

    def placeholders(self) -> dict[str, str]:
        """Values for ``{name}`` placeholders in module texts; tools a company lacks get a generic German name."""
        values = {
            "firma": self.name,
            "firma_kurz": self.kurzname,
            "branche": self.branche,
            "offenlegung": self.offenlegung,
            "hashtag": self.hashtag,
            "kanaele": _german_list([c.name for c in self.kanaele]),
        }
        for kind, generic in TOOL_KINDS.items():
            tool = self.tool_of_kind(kind)
            values[kind] = tool.name if tool else generic
        for role, contact in self.kontakte.items():
            values[role] = contact.name
            values[f"{role}_email"] = contact.email or contact.telefon
        return values

    def fill(self, text: str) -> str:
        """Replace known ``{placeholders}``; anything else in braces is left as it is."""
        values = self.placeholders()
        return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _german_list(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " und " + items[-1]


# ------------------------------------------------------------------------------------------------ finding and loading
def default_profile_path() -> Path:
    """The packaged profile of the fictional Nordlicht Haustechnik GmbH."""
    return Path(str(resources.files("kommfit") / "data" / PROFILE_FILE_NAME))


def find_profile_path(start: Path | str | None = None) -> Path:
    """Where the active profile lives: $KOMMFIT_PROFIL, else kurs.toml in ``start`` or a parent, else the default."""
    configured = os.environ.get(PROFILE_ENV)
    if configured:
        return Path(configured)
    folder = Path(start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / PROFILE_FILE_NAME).is_file():
            return candidate / PROFILE_FILE_NAME
    return default_profile_path()


def load_profile(path: Path | str | None = None) -> Profile:
    """Load and validate a profile; without a path, the active one (see ``find_profile_path``)."""
    path = Path(path) if path else find_profile_path()
    try:
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise ProfileError(f"Das Firmenprofil {path} ist unplausibel groß (über {MAX_PROFILE_BYTES // 2**20} MB).")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ProfileError(f"Das Firmenprofil {path} wurde nicht gefunden.") from error
    except UnicodeDecodeError as error:
        raise ProfileError(f"Das Firmenprofil {path} ist nicht in UTF-8 gespeichert.") from error
    except OSError as error:
        raise ProfileError(f"Das Firmenprofil {path} ist nicht lesbar: {error.strerror}.") from error
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        where = re.search(r"line (\d+), column (\d+)", str(error))
        position = f" (Zeile {where.group(1)}, Spalte {where.group(2)})" if where else ""
        raise ProfileError(f"Das Firmenprofil {path} ist kein gültiges TOML{position}.") from error
    except RecursionError as error:  # tomllib recurses once per level of [[[…]]] or {a = {a = …}}
        raise ProfileError(
            f"Das Firmenprofil {path} ist zu tief verschachtelt (Listen in Listen oder Tabellen in Tabellen)."
        ) from error
    except ValueError as error:  # int() refuses numbers of more than 4300 digits (CVE-2020-10735)
        raise ProfileError(_long_number_problem(path, text)) from error
    return parse_profile(data, source=str(path))


def _long_number_problem(path: Path, text: str) -> str:
    """German message for a number too long for ``int``, naming its key ('firma.mitarbeitende') and line."""
    limit = sys.get_int_max_str_digits()
    found = re.search(r"[0-9_]{" + str(limit + 1) + ",}", text)
    if not found:
        return f"Das Firmenprofil {path} enthält einen Wert, der nicht gelesen werden kann."
    before = text[: found.start()]
    line_no = before.count("\n") + 1
    line = before.rsplit("\n", 1)[-1]
    key = line.split("=", 1)[0].strip() if "=" in line else ""
    tables = re.findall(r"^\s*\[+\s*([^\]]+?)\s*\]+", before, flags=re.MULTILINE)
    if not key:
        return f"Firmenprofil {path}, Zeile {line_no}: Eine Zahl hat mehr als {limit} Stellen."
    full = f"{tables[-1]}.{key}" if tables else key
    return f"Firmenprofil {path}: Der Schlüssel '{full[:SHOWN_CHARS]}' (Zeile {line_no}) hat mehr als {limit} Stellen."


def parse_profile(data: dict[str, Any], source: str = "kurs.toml") -> Profile:
    """Validate the parsed TOML; the first problem found is raised as a ProfileError naming its key."""
    reader = _Reader(source)
    reader.only_keys(data, "", {"firma", "kanaele", "werkzeuge", "kontakte", "vertraulich", "datenschutz"})
    firma = reader.table(data, "firma")
    reader.only_keys(
        firma,
        "firma",
        {"name", "kurzname", "branche", "mitarbeitende", "standorte", "hashtag", "offenlegung", "boersennotiert"},
    )
    channels = tuple(
        Channel(
            name=reader.text(item, f"kanaele[{i}]", "name"),
            adresse=reader.url(item, f"kanaele[{i}]", "adresse"),
            zweck=reader.text(item, f"kanaele[{i}]", "zweck"),
            zielgruppe=reader.text(item, f"kanaele[{i}]", "zielgruppe", required=False),
            themen=reader.choices(item, f"kanaele[{i}]", "themen", CHANNEL_TOPICS),
        )
        for i, item in reader.array(data, "kanaele", {"name", "adresse", "zweck", "zielgruppe", "themen"})
    )
    tools = tuple(
        Tool(
            name=reader.text(item, f"werkzeuge[{i}]", "name"),
            art=reader.choice(item, f"werkzeuge[{i}]", "art", TOOL_KINDS),
            zweck=reader.text(item, f"werkzeuge[{i}]", "zweck"),
        )
        for i, item in reader.array(data, "werkzeuge", {"name", "art", "zweck"})
    )
    kontakte_table = reader.table(data, "kontakte")
    reader.only_keys(kontakte_table, "kontakte", set(CONTACT_ROLES))
    contacts = {role: reader.contact(kontakte_table, role) for role in CONTACT_ROLES}
    vertraulich = reader.table(data, "vertraulich", required=False)
    reader.only_keys(vertraulich, "vertraulich", {"begriffe"})
    privacy = reader.table(data, "datenschutz", required=False)
    reader.only_keys(privacy, "datenschutz", {"mindestgruppe", "personenbezogene_berichte"})
    min_group = reader.integer(privacy, "datenschutz", "mindestgruppe", default=MIN_GROUP_SIZE)
    if min_group < MIN_GROUP_SIZE:
        reader.fail(
            "datenschutz.mindestgruppe",
            f"darf nicht kleiner als {MIN_GROUP_SIZE} sein (sonst werden Einzelne erkennbar)",
        )
    return Profile(
        name=reader.text(firma, "firma", "name"),
        kurzname=reader.text(firma, "firma", "kurzname"),
        offenlegung=reader.text(firma, "firma", "offenlegung"),
        branche=reader.text(firma, "firma", "branche", required=False),
        mitarbeitende=reader.integer(firma, "firma", "mitarbeitende", default=0),
        standorte=reader.texts(firma, "firma", "standorte"),
        hashtag=reader.text(firma, "firma", "hashtag", required=False),
        boersennotiert=reader.boolean(firma, "firma", "boersennotiert"),
        kanaele=channels,
        werkzeuge=tools,
        kontakte=contacts,
        vertrauliche_begriffe=reader.texts(vertraulich, "vertraulich", "begriffe"),
        mindestgruppe=min_group,
        personenbezogene_berichte=reader.boolean(privacy, "datenschutz", "personenbezogene_berichte"),
        source=source,
    )


class _Reader:
    """Typed access to the parsed TOML that raises German errors with the full key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> None:
        raise ProfileError(f"Firmenprofil {self.source}: Der Schlüssel '{key}' {problem}.")

    def only_keys(self, table: dict[str, Any], prefix: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                full = f"{prefix}.{key}" if prefix else key
                self.fail(full, f"ist unbekannt (erlaubt sind: {', '.join(sorted(allowed))})")

    def table(self, data: dict[str, Any], key: str, required: bool = True) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "fehlt")
            return {}
        if not isinstance(value, dict):
            self.fail(key, "muss ein Abschnitt [" + key + "] sein")
        return value

    def array(self, data: dict[str, Any], key: str, allowed: set[str]) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            self.fail(key, "fehlt (mindestens ein Eintrag [[" + key + "]] ist nötig)")
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(key, "muss eine Liste von Einträgen [[" + key + "]] sein")
        items = list(enumerate(value, start=1))
        for i, item in items:
            self.only_keys(item, f"{key}[{i}]", allowed)
        return items

    def text(self, table: dict[str, Any], prefix: str, key: str, required: bool = True) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(f"{prefix}.{key}", "fehlt")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(f"{prefix}.{key}", "muss ein nicht leerer Text in Anführungszeichen sein")
        if len(value) > MAX_TEXT_CHARS:
            self.fail(f"{prefix}.{key}", f"ist länger als {MAX_TEXT_CHARS} Zeichen")
        return value.strip()

    def texts(self, table: dict[str, Any], prefix: str, key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(f"{prefix}.{key}", "muss eine Liste von Texten sein, z. B. [\"A\", \"B\"]")
        if any(len(v) > MAX_TEXT_CHARS for v in value):
            self.fail(f"{prefix}.{key}", f"enthält einen Text mit mehr als {MAX_TEXT_CHARS} Zeichen")
        return tuple(v.strip() for v in value)

    def url(self, table: dict[str, Any], prefix: str, key: str) -> str:
        value = self.text(table, prefix, key)
        if not re.match(r"^(https://|mailto:)\S+$", value):
            self.fail(f"{prefix}.{key}", "muss eine Adresse sein, die mit https:// beginnt")
        return value

    def choice(self, table: dict[str, Any], prefix: str, key: str, allowed: dict[str, str]) -> str:
        value = self.text(table, prefix, key)
        if value not in allowed:
            self.fail(f"{prefix}.{key}", f"muss einer dieser Werte sein: {', '.join(allowed)}")
        return value

    def choices(self, table: dict[str, Any], prefix: str, key: str, allowed: dict[str, str]) -> tuple[str, ...]:
        """An optional list of values from a fixed vocabulary; duplicates are dropped, the order is kept."""
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            example = ", ".join(f'"{v}"' for v in list(allowed)[:2])
            self.fail(f"{prefix}.{key}", f"muss eine Liste von Texten sein, z. B. [{example}]")
        unknown = [v for v in value if v.strip() not in allowed]
        if unknown:
            self.fail(
                f"{prefix}.{key}",
                f"enthält den unbekannten Wert '{unknown[0][:SHOWN_CHARS]}' (erlaubt sind: {', '.join(allowed)})",
            )
        return tuple(dict.fromkeys(v.strip() for v in value))

    def integer(self, table: dict[str, Any], prefix: str, key: str, default: int) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INTEGER:
            self.fail(f"{prefix}.{key}", f"muss eine ganze Zahl von 0 bis {MAX_INTEGER} sein")
        return value

    def boolean(self, table: dict[str, Any], prefix: str, key: str) -> bool:
        value = table.get(key, False)
        if not isinstance(value, bool):
            self.fail(f"{prefix}.{key}", "muss true oder false sein")
        return value

    def contact(self, table: dict[str, Any], role: str) -> Contact:
        prefix = f"kontakte.{role}"
        entry = table.get(role)
        if not isinstance(entry, dict):
            self.fail(prefix, "fehlt (Abschnitt [" + prefix + "] mit name und email oder telefon)")
        self.only_keys(entry, prefix, {"name", "email", "telefon"})
        contact = Contact(
            name=self.text(entry, prefix, "name"),
            email=self.text(entry, prefix, "email", required=False),
            telefon=self.text(entry, prefix, "telefon", required=False),
        )
        if not (contact.email or contact.telefon):
            self.fail(prefix, "braucht eine E-Mail-Adresse oder eine Telefonnummer")
        if contact.email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", contact.email):
            self.fail(f"{prefix}.email", "ist keine gültige E-Mail-Adresse")
        return contact
