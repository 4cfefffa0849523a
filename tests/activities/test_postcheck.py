"""The post checker: concrete German drafts, the hints they must (and must not) get, and grading by rules."""

from __future__ import annotations

import doctest

import pytest

from kommfit.activities import postcheck
from kommfit.activities.postcheck import (
    check_post,
    evaluate_post,
    find_disclosure,
    grade_post,
    hints_html,
    platform_limit,
    post_feedback,
    product_terms,
)
from kommfit.core.profile import default_profile_path, load_profile, parse_profile
from kommfit.quiz.kinds import FreeText

PROFILE = load_profile(default_profile_path())
RULES = {
    "required": ["offenlegung", "ich_form"],
    "forbidden": ["personenbezug", "vertraulich", "beleidigung", "laenge"],
}

CLEAN_POSTS = [
    "Ich arbeite bei Nordlicht Haustechnik. Heute habe ich mit meinem Team eine Wärmepumpe in einem Einfamilienhaus "
    "in Betrieb genommen. Die Anlage läuft leise, und die Kundin war begeistert. Ich bin stolz auf unsere Arbeit! "
    "#TeamNordlicht",
    "Heute 25 Grad am Ostseestrand, danach Grillen mit Freunden. Herrlich!",
    "Was für ein Wochenende: Halbmarathon in 1:52:30, Platz 214 von 1800. Danke an meine Frau für die Unterstützung!",
    "Mit meiner Familie Urlaub an der Ostsee – am besten war das Wetter.",
    "Am besten fragen Sie bei Nordlicht nach, welche Heizung zu Ihrem Haus passt.",
    "Zum Sommerfest kamen 250 Gäste, im Jahr 2024 waren es 180. Um 08:30 Uhr ging es los.",
    "Am 09.09.2021 hat der BGH zu Influencern entschieden. Spannend, finde ich.",
    "Förderung ab 01.03.2025, Infos unter https://www.nordlicht-haustechnik.de/foerderung/2025 oder "
    "social@nordlicht-haustechnik.de, Tel. 0451 123 45-210.",
    "Ich bin seit 2015 bei Nordlicht und finde unsere neue Wärmepumpe genial.",
    "Werbung: Unsere neue Wärmepumpe ist top – ich habe sie selbst eingebaut.",
    "Die Schulung war anstrengend, aber ich habe viel gelernt. Jetzt geht's ins Wochenende.",
]


def codes(text: str, platform: str | None = "linkedin", profile=PROFILE) -> list[str]:
    return [f.code for f in check_post(text, platform, profile)]


def matches(text: str, code: str) -> list[str]:
    return [f.match for f in check_post(text, "linkedin", PROFILE) if f.code == code]


@pytest.mark.parametrize("text", CLEAN_POSTS)
def test_clean_posts_get_no_hint(text):
    """Does a clean post – private, or about work with a disclosure – pass without a single false alarm?"""
    assert check_post(text, "linkedin", PROFILE) == []


def test_the_module_docstring_example_is_true():
    """Does the usage example in the module docstring print what it claims?"""
    assert doctest.testmod(postcheck).failed == 0


# ------------------------------------------------------------------------------------------------ disclosure
@pytest.mark.parametrize(
    "text",
    [
        "Ich bin begeistert von unserer neuen Wärmepumpe! Leise und effizient.",
        "Die neue Wärmepumpe von Nordlicht ist super, ich kann sie nur empfehlen.",
        "Beste Lüftungsanlage am Markt – jetzt zugreifen!",
        "Tolle Stimmung beim Sommerfest von Nordlicht Haustechnik!",
        "Keine Werbung, aber unsere neue Wärmepumpe ist top!",
        "Keine Werbung: Die Wärmepumpe ist top!",
        "Ich arbeite gern mit der neuen Wärmepumpe von Nordlicht, sie ist super.",
    ],
)
def test_praise_without_disclosure_is_flagged(text):
    """Does praise of the company or its products without saying 'I work there' get the disclosure hint?"""
    assert "offenlegung" in codes(text)


@pytest.mark.parametrize(
    ("text", "disclosed"),
    [
        ("Ich arbeite bei Nordlicht Haustechnik. Die Wärmepumpe ist genial.", "Ich arbeite bei Nordlicht Haustechnik"),
        ("ich arbeite seit acht Jahren im Kundendienst bei Nordlicht – die Wärmepumpe ist top", "ich arbeite seit"),
        ("Mein Arbeitgeber Nordlicht hat die beste Wärmepumpe.", "Mein Arbeitgeber"),
        ("Ich bin stolz auf mein Team bei Nordlicht Haustechnik.", "Ich bin stolz auf mein Team bei Nordlicht"),
        ("Wir bei Nordlicht sind stolz auf die neue Anlage.", "Wir bei Nordlicht"),
        ("Die Wärmepumpe ist super! #mitarbeiter", "#mitarbeiter"),
        ("(Anzeige) Die Wärmepumpe ist super!", "(Anzeige"),
        ("Als Mitarbeiterin von Nordlicht sage ich: großartige Anlage.", "Als Mitarbeiterin"),
    ],
)
def test_disclosure_in_the_post_is_recognised(text, disclosed):
    """Do 'Ich arbeite bei …', 'mein Arbeitgeber', '#mitarbeiter' and 'Anzeige' count as disclosure?"""
    assert find_disclosure(text, PROFILE).group().startswith(disclosed)
    assert "offenlegung" not in codes(text)


def test_the_profiles_disclosure_sentence_counts_for_any_company():
    """Does the profile's own `offenlegung` sentence count, whatever it says?"""
    data = {
        "firma": {"name": "Beispiel AG", "kurzname": "Beispiel", "offenlegung": "Disclaimer: Mein Job, meine Meinung."},
        "kanaele": [{"name": "LinkedIn", "adresse": "https://example.org", "zweck": "Fachliches"}],
        "werkzeuge": [{"name": "Intranet", "art": "intranet", "zweck": "Nachrichten"}],
        "kontakte": {role: {"name": "X", "email": "x@example.org"} for role in ("social_media", "datenschutz",
                                                                              "betriebsrat")},
    }
    profile = parse_profile(data)
    assert codes("Die Beispiel AG ist großartig!", profile=profile) == ["offenlegung"]
    assert codes("Disclaimer: mein Job, meine Meinung. Die Beispiel AG ist großartig!", profile=profile) == []


def test_a_mention_of_the_company_alone_is_no_disclosure():
    """Is 'I work there' without naming the company, or 'the colleagues at X', not taken as disclosure?"""
    assert find_disclosure("Ich arbeite im Vertrieb und finde die Wärmepumpe toll.", PROFILE) is None
    assert find_disclosure("Wahnsinn, was die Kollegen bei Nordlicht leisten", PROFILE) is None
    assert "offenlegung" in codes("Wahnsinn, was die Kollegen bei Nordlicht leisten")


def test_a_late_disclosure_gets_a_tip_to_move_it_forward():
    """Does a disclosure hidden at the end of a long post get the tip to put it at the start?"""
    text = "Die neue Wärmepumpe ist genial. " + "Sie läuft leise und spart Energie im ganzen Haus. " * 4
    assert codes(text + "Ich arbeite bei Nordlicht.") == ["offenlegung_anfang"]
    assert codes("Ich arbeite bei Nordlicht. " + text) == []


def test_product_terms_come_from_the_line_of_business():
    """Are the product words derived from the profile's `branche` (plural 'Wärmepumpen' → 'Wärmepumpe')?"""
    assert product_terms(PROFILE) == ["Heizung", "Lüftung", "Wärmepumpe"]
    assert "offenlegung" in codes("Die neue Hybridwärmepumpe ist genial!")
    assert check_post("Die neue Hybridwärmepumpe ist genial!", "x", PROFILE, products=[]) == []


def test_the_same_name_twice_is_one_hint():
    """Is a name that occurs twice reported once?"""
    assert matches("Frau Lindemann freut sich. Danke, Frau Lindemann!", "personenbezug") == ["Frau Lindemann"]


def test_the_message_offers_the_profiles_disclosure_sentence():
    """Does the disclosure hint say what to write, with the profile's sentence, and why the profile is not enough?"""
    [finding] = check_post("Unsere Wärmepumpe ist spitze!", "x", PROFILE)
    assert "„Ich arbeite bei Nordlicht Haustechnik.“" in finding.message
    assert "Profil reicht nicht" in finding.message
    assert finding.match == "spitze" and finding.label == "Offenlegung"


# ------------------------------------------------------------------------------------------------ personal data
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Heute bei Familie Lorenz die Heizung getauscht.", ["Familie Lorenz"]),
        ("Danke an Frau Dr. Albers und Herrn Keller!", ["Frau Dr. Albers", "Herrn Keller"]),
        ("Kundin Petra Albers war zufrieden.", ["Kundin Petra Albers"]),
        ("Ruf mich an: 0171 2345678", ["0171 2345678"]),
        ("Rückfragen an +49 (0) 451 12345-0", ["+49 (0) 451 12345-0"]),
        ("Schreiben Sie an petra.lorenz@web.de", ["petra.lorenz@web.de"]),
        ("Einsatz in der Birkenallee 12 in Kiel", ["Birkenallee 12"]),
        ("Lübecker Straße 12, dann Karl-Marx-Straße 5a und Hauptstr. 7", ["Lübecker Straße 12", "Karl-Marx-Straße 5a",
                                                                            "Hauptstr. 7"]),
    ],
)
def test_personal_data_is_found(text, found):
    """Are names with Frau/Herr/Familie/Kundin, phone numbers, e-mail and street addresses found?"""
    assert matches(text, "personenbezug") == found


@pytest.mark.parametrize(
    "text",
    [
        "Mit meiner Familie Urlaub gemacht, meine Frau Anna hat gekocht.",
        "Der Weg 2 Stunden lang, auf Platz 1 im Ranking, im Jahr 2024.",
        "Am 09.09.2021 entschied der BGH; 20000 Kunden; 12.500 €; 07/2024.",
        "Fragen? social@nordlicht-haustechnik.de oder 0451 123 45-300.",
    ],
)
def test_dates_amounts_family_and_published_contacts_are_no_personal_data(text):
    """Are dates, amounts, one's own family and the company's published contacts left alone?"""
    assert matches(text, "personenbezug") == []


# ------------------------------------------------------------------------------------------------ confidential, tone
def test_confidential_terms_and_their_telling_parts_are_found():
    """Are the profile's confidential terms found, also spelled differently or only by the project or model name?"""
    assert matches("Projekt Polarlicht läuft gut.", "vertraulich") == ["Projekt Polarlicht"]
    assert matches("Bald kommt die nl9! #Polarlicht", "vertraulich") == ["nl9", "Polarlicht"]
    assert matches("Der Stadtwerke Rahmenvertrag ist fast durch.", "vertraulich") == ["Stadtwerke Rahmenvertrag"]
    assert matches("Die Nordlichter tanzten über der Ostsee.", "vertraulich") == []


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Mein Chef ist ein Ausbeuter.", "Ausbeuter"),
        ("Was für ein Saftladen.", "Saftladen"),
        ("Der Disponent ist ein Vollidiot", "Vollidiot"),
        ("Diese blöde Kuh am Telefon!", "blöde Kuh"),
        ("Menschenschinder!", "Menschenschinder"),
    ],
)
def test_insults_are_found(text, word):
    """Are insults from the German word list found, compounds included?"""
    assert matches(text, "beleidigung") == [word]


def test_criticism_without_insults_passes():
    """Is factual criticism left alone?"""
    assert codes("Ich finde, die Ersatzteile kommen zu spät. Das muss besser werden.") == []


# ------------------------------------------------------------------------------------------------ length
@pytest.mark.parametrize(("platform", "limit"), [("x", 280), ("twitter", 280), ("LinkedIn", 3000),
                                                 ("instagram", 2200), ("facebook", 63206)])
def test_length_limits_per_platform(platform, limit):
    """Is a text one character over the platform's current limit flagged, and one at the limit not?"""
    assert codes("a" * limit, platform) == []
    [finding] = check_post("a" * (limit + 1), platform, PROFILE)
    assert finding.code == "laenge" and f"höchstens {limit}" in finding.message
    assert "um 1 Zeichen" in finding.message


def test_unknown_platform_is_a_german_error_and_none_skips_the_length():
    """Is an unknown platform a clear German error, and platform None no length check?"""
    with pytest.raises(ValueError, match="Unbekannte Plattform 'myspace'"):
        platform_limit("myspace")
    assert codes("a" * 5000, None) == []


def test_findings_come_grouped_in_a_fixed_order():
    """Are findings grouped: disclosure, personal data, confidential, tone, length?"""
    text = "Die Wärmepumpe NL-9 ist super, sagt Herr Keller, der Trottel. " + "x" * 250
    assert codes(text, "x") == ["offenlegung", "personenbezug", "vertraulich", "beleidigung", "laenge"]


# ------------------------------------------------------------------------------------------------ live hints
def test_hints_html_escapes_and_lists_the_findings():
    """Does the live hint list each finding with its German label, with the draft's text escaped?"""
    out = hints_html("<b>Herr Keller</b> ist ein Idiot", "x", PROFILE)
    assert "Personenbezogene Daten:" in out and "Ton:" in out and "2 Hinweise:" in out
    assert "<b>Herr" not in out


def test_hints_html_for_empty_and_clean_drafts():
    """Does an empty draft get an invitation and a clean one an encouraging note that it is not a guarantee?"""
    assert "sobald Sie schreiben" in hints_html("", "x", PROFILE)
    assert "findet nichts" in hints_html(CLEAN_POSTS[0], "linkedin", PROFILE)


def test_hints_html_uses_the_active_profile_by_default(tmp_path, monkeypatch):
    """Without a profile argument, are the active company's confidential terms used?"""
    text = default_profile_path().read_text(encoding="utf-8").replace('"Projekt Polarlicht"', '"Projekt Nebel"')
    (tmp_path / "kurs.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert "Vertrauliches" in hints_html("Projekt Nebel startet", None)
    assert "Vertrauliches" not in hints_html("Projekt Polarlicht startet", None)


# ------------------------------------------------------------------------------------------------ rules and grading
GOOD = ("Ich arbeite bei Nordlicht Haustechnik. Beim Tag der offenen Tür habe ich erlebt, wie viele Gäste sich für "
        "unsere neue Wärmepumpe interessiert haben. Ich finde sie wirklich gelungen – leise und sparsam.")
FLAWED = ("Beim Tag der offenen Tür war unsere neue Wärmepumpe der Renner! Herr Brüggemann hat gleich einen Termin "
          "gemacht. Ich finde sie genial, leise und sparsam, einfach top.")


def test_rules_report_what_is_met():
    """Does every required and forbidden rule report whether it is met, with a reason?"""
    results = {r.code: r for r in evaluate_post(FLAWED, "linkedin", PROFILE, **RULES)}
    assert {c: r.passed for c, r in results.items()} == {
        "offenlegung": False, "ich_form": True, "personenbezug": False, "vertraulich": True, "beleidigung": True,
        "laenge": True,
    }
    assert "Herr Brüggemann" in results["personenbezug"].detail
    assert "z. B. „Ich arbeite bei Nordlicht Haustechnik.“ Der Hinweis im Profil" in results["offenlegung"].detail
    assert all(r.detail for r in results.values())


def test_practice_feedback_gives_the_share_of_rules():
    """Does a practice text earn the share of rules met, and a too-short text nothing with a hint to write more?"""
    assert post_feedback(GOOD, "linkedin", profile=PROFILE)[0] == 1.0
    share, out = post_feedback(FLAWED, "linkedin", profile=PROFILE)
    assert share == pytest.approx(4 / 6) and "4 von 6 Regeln" in out
    assert post_feedback("Ich arbeite bei Nordlicht.", "x", profile=PROFILE)[0] == 0.0


def graded_text(store, text: str | None) -> FreeText:
    question = FreeText("m05-a9-test", "Ihr Beitrag für LinkedIn", store=store)
    if text is not None:
        question._text.value = text  # typing saves a graded text
    return question


def test_grade_post_awards_an_equal_share_per_rule(store, capsys):
    """Does each rule met earn an equal share of the points, explained rule by rule on stdout?"""
    assert grade_post(graded_text(store, GOOD), platform="linkedin", points=3, **RULES) == 3.0
    assert grade_post(graded_text(store, FLAWED), platform="linkedin", points=3, **RULES) == 2.0
    out, err = capsys.readouterr()
    assert "✗ Offenlegung im Beitrag" in out and "✗ Keine personenbezogenen Daten" in out
    assert "4 von 6 Regeln erfüllt (je 0,5 Punkte)" in out and "Punkte: 2 von 3" in out
    assert err == ""


def test_grade_post_rounds_partial_credit_to_hundredths(store):
    """Are shares that do not divide evenly rounded to hundredths (like all partial credit)?"""
    question = graded_text(store, FLAWED)
    assert grade_post(question, "linkedin", required=["offenlegung"], forbidden=["laenge", "beleidigung"]) == 0.67


def test_grade_post_without_answer_is_zero_with_a_friendly_message(store, capsys):
    """Does a missing draft give 0.0 and tell the participant that typing saves the text?"""
    assert grade_post(graded_text(store, None), "linkedin", points=3, **RULES) == 0.0
    out, err = capsys.readouterr()
    assert "keine Antwort gespeichert" in out and "in das Feld" in out and err == ""


@pytest.mark.parametrize("text", ["", "   ", "Ich arbeite bei Nordlicht Haustechnik."])
def test_grade_post_gives_nothing_for_an_empty_or_too_short_draft(store, capsys, text):
    """Is an empty or too short draft worth 0, even if it happens to break no rule?"""
    question = graded_text(store, "Erster Entwurf")
    question._text.value = text  # typed, then shortened or deleted: what remains is saved
    assert store.get(question.question_id)["value"] == text
    assert grade_post(question, "linkedin", points=3, **RULES) == 0.0
    assert "weniger als 15 Wörter" in capsys.readouterr().out


def test_grade_post_never_raises(store, capsys):
    """Do a missing question, an unknown rule or platform give 0 points with a message instead of an error?"""
    assert grade_post(None, "linkedin", **RULES) == 0.0
    assert grade_post(graded_text(store, GOOD), "linkedin", required=["reim"]) == 0.0
    assert grade_post(graded_text(store, GOOD), "myspace", **RULES) == 0.0
    assert grade_post(graded_text(store, GOOD), "linkedin") == 0.0  # no rules at all
    out, err = capsys.readouterr()
    assert "fehlt im Notizbuch" in out and out.count("konnte nicht ausgewertet werden") == 3
    assert err == ""


def test_grade_post_ignores_a_practice_entry(store, capsys):
    """Is a text saved in practice mode under the graded id not counted?"""
    question = graded_text(store, None)
    store.record(question.question_id, GOOD, question.options_hash, "practice")
    assert grade_post(question, "linkedin", points=3, **RULES) == 0.0
    assert "anderen Fassung" in capsys.readouterr().out
