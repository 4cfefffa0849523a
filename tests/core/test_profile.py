"""The company profile: the default company, and German errors that name the key at fault."""

from __future__ import annotations

import re

import pytest

from kommfit.core.profile import (
    CHANNEL_TOPICS,
    ProfileError,
    default_profile_path,
    find_profile_path,
    load_profile,
)
from kommfit.quiz.display import active_profile, channels_html, contacts_html, show_company, show_text, tools_html

DEFAULT = default_profile_path().read_text(encoding="utf-8")


def write(tmp_path, text):
    path = tmp_path / "kurs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_profile_is_the_fictional_company():
    """Is the default profile the fictional Nordlicht Haustechnik GmbH with channels, tools and contacts?"""
    profile = load_profile(default_profile_path())
    assert profile.name == "Nordlicht Haustechnik GmbH" and profile.mitarbeitende == 600
    assert {c.name for c in profile.kanaele} >= {"LinkedIn", "Instagram", "Facebook", "Newsletter"}
    assert {t.art for t in profile.werkzeuge} >= {"intranet", "kollaboration", "forum", "email"}
    assert set(profile.kontakte) == {"social_media", "datenschutz", "betriebsrat"}
    assert profile.mindestgruppe == 5 and profile.personenbezogene_berichte is False


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('name = "Nordlicht Haustechnik GmbH"', 'nmae = "X"'), "firma.nmae"),
        (('name = "Nordlicht Haustechnik GmbH"', ""), "firma.name"),
        (('kurzname = "Nordlicht"', 'kurzname = ""'), "firma.kurzname"),
        (("mitarbeitende = 600", 'mitarbeitende = "viele"'), "firma.mitarbeitende"),
        (('adresse = "https://www.instagram.com/nordlicht.haustechnik"', 'adresse = "insta"'), "kanaele[2].adresse"),
        (('art = "forum"', 'art = "pinnwand"'), "werkzeuge[3].art"),
        (('[kontakte.betriebsrat]', '[kontakte.personalrat]'), "kontakte.personalrat"),
        (('email = "datenschutz@nordlicht-haustechnik.de"', 'email = "datenschutz"'), "kontakte.datenschutz.email"),
        (("mindestgruppe = 5", "mindestgruppe = 3"), "datenschutz.mindestgruppe"),
        (("personenbezogene_berichte = false", 'personenbezogene_berichte = "nein"'),
         "datenschutz.personenbezogene_berichte"),
        (('begriffe = ["Projekt Polarlicht"', 'begriffe = [42, "Projekt Polarlicht"'), "vertraulich.begriffe"),
    ],
)
def test_broken_profile_names_the_key_in_german(tmp_path, change, key):
    """Does every kind of mistake in kurs.toml produce a German error that names the exact key?"""
    old, new = change
    assert old in DEFAULT
    with pytest.raises(ProfileError) as error:
        load_profile(write(tmp_path, DEFAULT.replace(old, new, 1)))
    message = str(error.value)
    assert f"'{key}'" in message
    assert message.startswith("Firmenprofil ")


def test_missing_sections_are_named(tmp_path):
    """Are missing required sections named (firma, kanaele, kontakte)?"""
    for section in ("firma", "kanaele", "werkzeuge", "kontakte"):
        with pytest.raises(ProfileError, match=f"'{section}' fehlt"):
            load_profile(write(tmp_path, _drop_section(DEFAULT, section)))


def _drop_section(text: str, section: str) -> str:
    """Remove every table of a section ([x], [x.y] and [[x]]) with its keys."""
    out, skipping = [], False
    for line in text.splitlines():
        header = re.match(r"^\[\[?([a-z_]+)", line)
        if header:
            skipping = header.group(1) == section
        if not skipping:
            out.append(line)
    return "\n".join(out)


def test_syntax_error_gives_line_and_column(tmp_path):
    """Does invalid TOML give a German message with line and column instead of a traceback?"""
    with pytest.raises(ProfileError, match=r"kein gültiges TOML \(Zeile 2, Spalte \d+\)"):
        load_profile(write(tmp_path, "[firma]\nname = \n"))


def test_wrong_encoding_is_explained(tmp_path):
    """Is a profile saved in Latin-1 explained as an encoding problem?"""
    path = tmp_path / "kurs.toml"
    path.write_bytes(DEFAULT.encode("latin-1", errors="replace"))
    with pytest.raises(ProfileError, match="UTF-8"):
        load_profile(path)


def test_missing_file_is_explained(tmp_path):
    """Is a profile path that does not exist reported in German?"""
    with pytest.raises(ProfileError, match="nicht gefunden"):
        load_profile(tmp_path / "fehlt.toml")


def test_optional_sections_fall_back_to_defaults(tmp_path):
    """Can a facilitator leave out [vertraulich] and [datenschutz] and get safe defaults?"""
    text = _drop_section(_drop_section(DEFAULT, "vertraulich"), "datenschutz")
    profile = load_profile(write(tmp_path, text))
    assert profile.vertrauliche_begriffe == () and profile.mindestgruppe == 5


def test_profile_is_found_by_env_then_parent_folders_then_default(tmp_path, monkeypatch):
    """Is the active profile $KOMMFIT_PROFIL, else kurs.toml in a parent folder, else the default?"""
    nested = tmp_path / "kurs" / "modul"
    nested.mkdir(parents=True)
    assert find_profile_path(nested) == default_profile_path()
    course_profile = write(tmp_path / "kurs", DEFAULT)
    assert find_profile_path(nested) == course_profile
    elsewhere = write(tmp_path, DEFAULT)
    monkeypatch.setenv("KOMMFIT_PROFIL", str(elsewhere))
    assert find_profile_path(nested) == elsewhere


def test_placeholders_cover_company_tools_and_contacts():
    """Do module texts get the company's name, tools (or generic names) and contacts?"""
    profile = load_profile(default_profile_path())
    values = profile.placeholders()
    assert values["firma"] == "Nordlicht Haustechnik GmbH" and values["firma_kurz"] == "Nordlicht"
    assert values["intranet"] == "Nordlicht-Netz" and values["chat"] == "der Messenger"
    assert values["social_media"].startswith("Social-Media-Team")
    assert values["kanaele"].endswith("YouTube und Newsletter")
    assert profile.fill("{firma} nutzt {kollaboration}; {unbekannt} bleibt") == (
        "Nordlicht Haustechnik GmbH nutzt Teams; {unbekannt} bleibt")


def test_broken_active_profile_falls_back_to_default_with_notice(tmp_path, monkeypatch):
    """Does a broken configured profile fall back to the default company and keep the German message?"""
    monkeypatch.setenv("KOMMFIT_PROFIL", str(write(tmp_path, "[firma]\n")))
    active = active_profile()
    assert active.profile.name == "Nordlicht Haustechnik GmbH"
    assert "'firma.name'" in active.problem or "fehlt" in active.problem
    assert "Kursleitung" in show_company("kanaele").value


def test_company_tables_show_channels_tools_and_contacts():
    """Do the company tables show every channel with its link, every tool and the three contacts?"""
    profile = load_profile(default_profile_path())
    channels = channels_html(profile)
    assert all(c.adresse in channels for c in profile.kanaele)
    assert all(t.name in tools_html(profile) for t in profile.werkzeuge)
    contacts = contacts_html(profile)
    assert "Betriebsrat" in contacts and "datenschutz@nordlicht-haustechnik.de" in contacts
    assert repr(show_company("kontakte")) == "<Firmenprofil: kontakte>"


def test_default_channels_declare_their_topics():
    """Does every channel of the default company say which topics belong on it (for the channel map of module 2)?"""
    profile = load_profile(default_profile_path())
    topics = {c.name: c.themen for c in profile.kanaele}
    assert topics["YouTube"] == ("erklaervideos",)
    assert "mitarbeitende" in topics["LinkedIn"] and "mitarbeitende" in topics["Instagram"]
    assert all(topics.values())
    assert all(set(t) <= set(CHANNEL_TOPICS) for t in topics.values())


@pytest.mark.parametrize(
    ("themen", "key", "problem"),
    [
        ('themen = ["einblicke", "tiktok-tänze"]', "kanaele[2].themen", "unbekannten Wert 'tiktok-tänze'"),
        ('themen = "einblicke"', "kanaele[2].themen", "Liste von Texten"),
        ("themen = [1, 2]", "kanaele[2].themen", "Liste von Texten"),
    ],
)
def test_unknown_or_malformed_channel_topics_name_the_key(tmp_path, themen, key, problem):
    """Is an unknown or malformed topic list rejected with a German error naming 'kanaele[N].themen'?"""
    old = 'themen = ["einblicke", "ausbildung", "mitarbeitende"]'
    assert old in DEFAULT
    with pytest.raises(ProfileError) as error:
        load_profile(write(tmp_path, DEFAULT.replace(old, themen, 1)))
    message = str(error.value)
    assert f"'{key}'" in message and problem in message
    assert message.startswith("Firmenprofil ")


def test_channel_topics_are_optional_and_deduplicated(tmp_path):
    """Can a facilitator leave out 'themen' (no topics) or repeat one (kept once, in order)?"""
    text = DEFAULT.replace('themen = ["erklaervideos"]\n', "", 1).replace(
        'themen = ["tipps", "angebote"]', 'themen = ["angebote", "tipps", "angebote"]', 1
    )
    profile = load_profile(write(tmp_path, text))
    topics = {c.name: c.themen for c in profile.kanaele}
    assert topics["YouTube"] == () and topics["Newsletter"] == ("angebote", "tipps")


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        ("tief = " + "[" * 5000 + "]" * 5000, "ist zu tief verschachtelt"),
        ("tief = " + "{a = " * 5000 + "}" * 5000, "ist zu tief verschachtelt"),
    ],
)
def test_a_deeply_nested_profile_is_a_german_error(tmp_path, addition, expected):
    """Does a kurs.toml nested 5000 deep give a German ProfileError instead of tomllib's RecursionError?"""
    with pytest.raises(ProfileError, match=expected):
        load_profile(write(tmp_path, DEFAULT + "\n" + addition + "\n"))


def test_a_5000_digit_number_names_its_key(tmp_path):
    """Is a number too long for int() (ValueError) a German ProfileError naming the key and its line?"""
    assert "mitarbeitende = 600" in DEFAULT
    path = write(tmp_path, DEFAULT.replace("mitarbeitende = 600", "mitarbeitende = " + "7" * 5000, 1))
    line = DEFAULT.splitlines().index("mitarbeitende = 600") + 1
    with pytest.raises(ProfileError) as error:
        load_profile(path)
    assert str(error.value) == (f"Firmenprofil {path}: Der Schlüssel 'firma.mitarbeitende' (Zeile {line}) hat mehr "
                                "als 4300 Stellen.")


def test_absurd_sizes_name_the_key(tmp_path):
    """Are an absurd number, an absurdly long text and a huge file refused in German, naming the key?"""
    with pytest.raises(ProfileError, match="'firma.mitarbeitende' muss eine ganze Zahl von 0 bis 10000000 sein"):
        load_profile(write(tmp_path, DEFAULT.replace("mitarbeitende = 600", "mitarbeitende = 10" + "0" * 20, 1)))
    name = 'name = "Nordlicht Haustechnik GmbH"'
    with pytest.raises(ProfileError, match="'firma.name' ist länger als 1000 Zeichen"):
        load_profile(write(tmp_path, DEFAULT.replace(name, f'name = "{"N" * 5000}"', 1)))
    with pytest.raises(ProfileError, match="ist unplausibel groß"):
        load_profile(write(tmp_path, DEFAULT + "\n# " + "x" * 2**20 + "\n"))


def test_insider_rules_are_shown_only_to_listed_companies(tmp_path, monkeypatch):
    """Does a text for listed companies (MAR) stay empty for the default company and appear for a listed one?"""
    insider = "Unveröffentlichte Kursinformationen sind Insiderinformationen (Art. 14 MAR)."
    assert load_profile(default_profile_path()).boersennotiert is False
    assert "Art. 14 MAR" not in show_text(insider, nur_wenn_boersennotiert=True).value
    assert "Art. 14 MAR" in show_text(insider).value
    listed = DEFAULT.replace("boersennotiert = false", "boersennotiert = true")
    monkeypatch.setenv("KOMMFIT_PROFIL", str(write(tmp_path, listed)))
    assert load_profile().boersennotiert is True
    assert "Art. 14 MAR" in show_text(insider, nur_wenn_boersennotiert=True).value


def test_listed_must_be_true_or_false(tmp_path):
    """Is boersennotiert = "ja" refused with a German message naming the key?"""
    with pytest.raises(ProfileError, match=r"firma\.boersennotiert.*true oder false"):
        load_profile(write(tmp_path, DEFAULT.replace("boersennotiert = false", 'boersennotiert = "ja"')))
