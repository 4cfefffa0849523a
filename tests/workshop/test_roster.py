"""The roster: validated completely, German errors with line numbers, nothing imported half."""

from __future__ import annotations

import pytest

from kommfit.workshop.roster import RosterError, parse_roster, read_roster

GOOD = "id,name,abteilung,email\np01,Anna Adler,Kundendienst,anna@example.org\np02,Ben Bauer,Vertrieb,\n"


def problems(text: str | bytes) -> list[str]:
    with pytest.raises(RosterError) as error:
        parse_roster(text.encode("utf-8") if isinstance(text, str) else text)
    return error.value.problems


def test_a_valid_roster_is_read():
    """Are id, name, department and optional e-mail read from a comma-separated UTF-8 file?"""
    people = parse_roster(GOOD.encode())
    assert [(p.id, p.name, p.abteilung, p.email) for p in people] == [
        ("p01", "Anna Adler", "Kundendienst", "anna@example.org"),
        ("p02", "Ben Bauer", "Vertrieb", ""),
    ]


def test_semicolons_and_excel_bom_are_fine():
    """Does a German Excel export (semicolons, byte-order mark, CRLF) work as well?"""
    raw = "\ufeffid;name;abteilung\r\np01;Jörg Maß;Lager\r\n".encode()
    assert parse_roster(raw)[0].name == "Jörg Maß"


def test_duplicate_and_empty_ids_are_reported_with_lines():
    """Are a duplicate id (case-insensitively) and an empty id reported with their line numbers?"""
    found = problems("id,name,abteilung\np01,A,X\n,B,X\nP01,C,X\n")
    assert "teilnehmende.csv, Zeile 3: Die ID fehlt." in found
    assert "teilnehmende.csv, Zeile 4: Die ID 'P01' steht schon in Zeile 2." in found


def test_unknown_and_missing_columns():
    """Is an extra column refused (data minimisation) and a missing one named?"""
    found = problems("id,name,telefon\np01,A,0451\n")
    assert any("Unbekannte Spalte 'telefon'" in p for p in found)
    assert "teilnehmende.csv, Zeile 1: Die Spalte 'abteilung' fehlt." in found


def test_wrong_encoding_names_the_line():
    """Is a Latin-1 file refused with the line of the first bad byte and a hint how to save it?"""
    raw = "id,name,abteilung\np01,Anna,Kundendienst\np02,Jürgen,Lager\n".encode("latin-1")
    (message,) = problems(raw)
    assert message.startswith("teilnehmende.csv, Zeile 3: Die Datei ist nicht UTF-8-kodiert.")


def test_wrong_delimiter():
    """Is a tab- or pipe-separated file refused with a clear message?"""
    (message,) = problems("id\tname\tabteilung\np01\tA\tX\n")
    assert message == ("teilnehmende.csv, Zeile 1: Unbekanntes Trennzeichen (Tabulator). "
                       "Bitte Komma oder Semikolon verwenden.")
    assert "'|'" in problems("id|name|abteilung\n")[0]


def test_wrong_field_count_and_bad_values():
    """Are rows with too many fields, invalid ids, missing names and bad e-mails all reported at once?"""
    found = problems("id,name,abteilung,email\np01,A,X,a@b.de,extra\np 2,B,X,\np03,,X,\np04,D,,kaputt\n")
    assert found == [
        "teilnehmende.csv, Zeile 2: 5 Felder statt 4 (Trennzeichen ',' oder ein Anführungszeichen prüfen).",
        "teilnehmende.csv, Zeile 3: Die ID 'p 2' ist ungültig (erlaubt: Buchstaben, Ziffern, Punkt, Binde- und "
        "Unterstrich; höchstens 64 Zeichen).",
        "teilnehmende.csv, Zeile 4: Der Name fehlt.",
        "teilnehmende.csv, Zeile 5: Die Abteilung fehlt.",
        "teilnehmende.csv, Zeile 5: 'kaputt' ist keine gültige E-Mail-Adresse.",
    ]


def test_empty_files():
    """Are an empty file and a header-only file refused?"""
    assert "Die Datei ist leer" in problems("")[0]
    assert "keine Teilnehmenden" in problems("id,name,abteilung\n")[0]


def test_missing_file(tmp_path):
    """Is a missing roster file reported in German?"""
    with pytest.raises(RosterError, match="kann nicht gelesen werden"):
        read_roster(tmp_path / "fehlt.csv")


def test_a_huge_field_is_refused_with_its_line():
    """Is a field over csv's own limit (131072 characters) a German error naming its line, not a csv.Error?"""
    (message,) = problems("id,name,abteilung\np01,A,X\np02," + "B" * 200_000 + ",X\n")
    assert message == "teilnehmende.csv, Zeile 3: Ein Feld ist länger als 200 Zeichen."


def test_an_overlong_field_is_named_and_never_quoted():
    """Is a 300-character id refused by column and line, without the value flooding the message?"""
    (message,) = problems("id,name,abteilung\np01,A,X\n" + "p" * 300 + ",B,X\n")
    assert message == "teilnehmende.csv, Zeile 3: Das Feld 'id' ist länger als 200 Zeichen."


def test_control_characters_in_a_field_are_refused():
    """Is a name with a terminal escape sequence (ESC) refused with its column and line?"""
    assert problems("id,name,abteilung\np01,A\x1b[2JB,X\n") == [
        "teilnehmende.csv, Zeile 2: Das Feld 'name' enthält Steuerzeichen (z. B. einen Zeilenumbruch oder Tabulator)."
    ]
