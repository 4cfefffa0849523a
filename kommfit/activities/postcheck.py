"""The post checker: German hints on a draft post before it goes online (module 05 "Recht ohne Angst").

Most legal trouble with a post about one's employer comes from five things that can be spotted in the text itself:
praise for the employer's products without saying that one works there (§ 5a Abs. 4 UWG), personal data of other
people, internal terms, insults, and a text too long for the platform. The checker looks for exactly these, with
plain rules and word lists, so a participant sees *why* a hint appears. It gives hints, never verdicts: it finds
typical cases, not every case, and it is no legal advice.

Everything company-specific comes from the profile (``kurs.toml``): the company's name, short name and hashtag, its
line of business (for product terms), the disclosure sentence ``offenlegung``, the confidential terms and the
published contacts (their e-mail addresses and phone numbers are not flagged).

``check_post`` is a pure function; ``hints_html`` renders its findings for the live hints of
``kommfit.quiz.kinds.FreeText``; ``post_feedback`` rates a practice text and ``grade_post`` grades a text in a hidden
grade cell. A facilitator can use the checker outside the course, too, without any command line::

    >>> from kommfit.activities.postcheck import check_post
    >>> from kommfit.core.profile import default_profile_path, load_profile
    >>> profile = load_profile(default_profile_path())
    >>> draft = "Unsere neue Wärmepumpe ist genial! Danke an Frau Albers, Birkenallee 12."
    >>> for finding in check_post(draft, "linkedin", profile):
    ...     print(finding.code, "|", finding.match)
    offenlegung | genial
    personenbezug | Frau Albers
    personenbezug | Birkenallee 12
    >>> check_post("Ich arbeite bei Nordlicht Haustechnik. Unsere neue Wärmepumpe ist genial!", "x", profile)
    []
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..core import scoring
from ..core.profile import Profile
from ..grading.checks import german_number, never_fails, report_points, say, stored_answer
from ..quiz.display import active_profile
from ..quiz.kinds import FreeText

# Current character limits (without paid subscriptions). The networks change them now and then.
PLATFORMS = {"x": ("X", 280), "linkedin": ("LinkedIn", 3000), "instagram": ("Instagram", 2200),
             "facebook": ("Facebook", 63206)}
PLATFORM_ALIASES = {"twitter": "x"}

LABELS = {  # finding codes → German category shown to participants
    "offenlegung": "Offenlegung",
    "offenlegung_anfang": "Offenlegung",
    "personenbezug": "Personenbezogene Daten",
    "vertraulich": "Vertrauliches",
    "beleidigung": "Ton",
    "laenge": "Länge",
}
REQUIRED_RULES = {  # what grade_post can require to be present: code → German name
    "offenlegung": "Offenlegung im Beitrag",
    "ich_form": "Ich-Form",
    "firmenbezug": "Bezug zum Unternehmen oder Produkt",
}
FORBIDDEN_RULES = {
    "offenlegung": "Kein Lob ohne Offenlegung",
    "offenlegung_anfang": "Offenlegung am Anfang",
    "personenbezug": "Keine personenbezogenen Daten",
    "vertraulich": "Nichts Vertrauliches",
    "beleidigung": "Keine Beleidigungen",
    "laenge": "Länge passt zur Plattform",
}
EARLY = 150  # a disclosure after this many characters may hide behind "mehr anzeigen"

_I = re.IGNORECASE
PRAISE = re.compile(
    r"(?<!\w)(?:begeister\w*|empf(?:ehl|iehl)\w*|toll(?:e[nmrs]?)?|super|genial\w*|gro(?:ß|ss)artig\w*|"
    r"hervorragend\w*|fantastisch\w*|phantastisch\w*|klasse|spitze|top|topp|perfekt\w*|überzeug\w*|"
    r"unschlagbar\w*|(?<!am )beste[nmrs]?|stolz\w*|sensationell\w*|unglaublich\w*|mega|traumhaft\w*|wahnsinn\w*|"
    r"wunderbar\w*|ausgezeichnet\w*|erstklassig\w*|herausragend\w*|beeindruck\w*|zufrieden\w*|lohnt sich|"
    r"jetzt (?:zugreifen|bestellen|kaufen|anfragen|sichern))(?!\w)",
    _I,
)
FIRST_PERSON = re.compile(r"(?<!\w)(?:ich|mich|mir|mein\w*)(?!\w)", _I)
LABEL = re.compile(r"#(?:mitarbeiter\w*|employee\w*|werbung|anzeige|ad|eigenwerbung)(?!\w)", _I)
LABEL_WORD = re.compile(r"(?:(?:^|[\n(\[*|])\s*(?:werbung|anzeige|eigenwerbung)(?!\w)|"
                        r"(?<!\w)(?:werbung|anzeige)\s*[:)\]|*])", _I)
EMPLOYMENT = [  # count as disclosure when the company is named somewhere in the post
    re.compile(r"(?<!\w)ich\s+arbeite(?!\w)[^.!?\n]{0,60}?(?<!\w)(?:bei|für|im|in\s+der|als|seit)(?!\w)", _I),
    re.compile(r"(?<!\w)ich\s+bin(?!\w)[^.!?\n]{0,50}?(?<!\w)(?:beschäftigt|angestellt|tätig|mitarbeiter\w*|"
               r"azubi\w*|auszubildende\w*)(?!\w)", _I),
    re.compile(r"(?<!\w)mein(?:em|en|er|e)?\s+(?:arbeitgeber\w*|firma|unternehmen|ausbildungsbetrieb)(?!\w)", _I),
    re.compile(r"(?<!\w)als\s+(?:mitarbeiter\w*|angestellte\w*|beschäftigte\w*|azubi\w*|auszubildende\w*)(?!\w)", _I),
]
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w/.,+])(?:(?:\+|00)\d{2,3}[\s/-]?(?:\(0\)\s?)?\d|\(?0\d)[\d\s/()-]{5,}\d(?!\w)")
NAME = re.compile(r"(?<!\w)(?:Frau|Herrn?|Familie|Fam\.|Hr\.|Fr\.)\s+(?:(?:Dr|Prof)\.\s+)?"
                  r"([A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?)")
CUSTOMER = re.compile(r"(?<!\w)(?:Kundin|Kunde|Nachbarin|Nachbar|Auftraggeberin|Auftraggeber)\s+"
                      r"[A-ZÄÖÜ][a-zäöüß]+\s+[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)?(?!\w)")
NOT_A_NAME = {"Urlaub", "Zeit", "Wochenende", "Feier", "Ausflug", "Abend", "Essen", "Geburtstag", "Haus", "Garten",
              "Kinder", "Freunde", "Doktor", "Kollegin", "Kollege", "Chefin", "Chef", "Nachbarin", "Nachbar",
              "Kundin", "Kunde", "Mama", "Papa", "Oma", "Opa", "Bürgermeisterin", "Bürgermeister", "Ministerin",
              "Minister", "Zuhause", "Alltag"}
POSSESSIVE_BEFORE = re.compile(r"(?<!\w)(?:mein|dein|sein|ihr|unser|euer|eur)\w*\s+$", _I)
_SUFFIX = (r"(?:[Ss]tra(?:ß|ss)e|[Ss]tr\.|[Ww]eg|[Aa]llee|[Pp]latz|[Gg]asse|[Rr]ing|[Dd]amm|[Uu]fer|[Cc]haussee|"
           r"[Ss]tieg|[Ss]teig|[Pp]fad|[Kk]amp|[Tt]wiete)")
_HOUSE_NUMBER = r"\s+\d{1,4}(?:\s?[a-zA-Z](?!\w))?(?![\w.,]\d)"
ADDRESSES = [
    re.compile(r"(?<!\w)[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ]?[a-zäöüß]+)*-?" + _SUFFIX + _HOUSE_NUMBER),
    re.compile(r"(?<!\w)(?!(?:Der|Die|Das|Jede[rs]?|Eine[rs]?|Unsere?|Diese[rs]?|Meine?|Keine?|Andere?)\s)"
               r"[A-ZÄÖÜ][a-zäöüß]+e[rns]?\s+(?:Straße|Strasse|Str\.|Weg|Allee|Chaussee|Ring|Damm|Ufer)"
               + _HOUSE_NUMBER),
]
INSULTS = re.compile(
    r"(?<!\w)(?:\w*idiot\w*|\w*trottel\w*|depp(?:en)?|\w*arschl[öo]ch\w*|penner\w*|versager\w*|"
    r"(?:schwach|dumm|hohl|holz)k[öo]pf\w*|blödm[äa]nn\w*|wichser\w*|mistkerl\w*|drecks\w*|"
    r"(?:saft|sau|chaoten)laden\w*|schei(?:ß|ss)\w*|ausbeuter\w*|menschenschinder\w*|sklaventreiber\w*|"
    r"abzocker\w*|betrüger\w*|lügner\w*|vollpfosten\w*|flachpfeife\w*|dumpfbacke\w*|schwachmat\w*|"
    r"missgeburt\w*|hurensohn\w*|bastard\w*|(?:blöde|dumme)\s+(?:kuh|sau|ziege|gans))(?!\w)",
    _I,
)
LEGAL_FORMS = re.compile(r"\s+(?:GmbH\s*&\s*Co\.\s*KG|GmbH|gGmbH|mbH|AG|SE|KG|KGaA|OHG|UG|e\.\s?V\.)$")


@dataclass(frozen=True)
class Finding:
    """One hint: a stable ``code`` (see LABELS), a German ``message`` and the ``match``ed text at ``start``."""

    code: str
    message: str
    match: str
    start: int = -1

    @property
    def label(self) -> str:
        return LABELS[self.code]


@dataclass(frozen=True)
class RuleResult:
    """One rule of a graded or practice text: met or not, with a German explanation."""

    code: str
    name: str
    passed: bool
    detail: str


# ------------------------------------------------------------------------------------------------ building blocks
def platform_limit(platform: str) -> tuple[str, int]:
    """Display name and current character limit of a platform ('x', 'linkedin', 'instagram', 'facebook')."""
    key = PLATFORM_ALIASES.get(platform.strip().lower(), platform.strip().lower())
    if key not in PLATFORMS:
        raise ValueError(f"Unbekannte Plattform {platform!r}. Bekannt sind: {', '.join(sorted(PLATFORMS))}.")
    return PLATFORMS[key]


def _words_pattern(term: str) -> str:
    """A term as a regex that tolerates other spaces and hyphens: 'Wärmepumpe NL-9' also finds 'wärmepumpe nl9'."""
    tokens = [r"[\s-]?".join(re.escape(part) for part in token.split("-")) for token in term.split()]
    return r"[\s-]+".join(tokens)


def _company_regex(profile: Profile) -> str:
    variants = {profile.name, LEGAL_FORMS.sub("", profile.name), profile.kurzname, profile.hashtag}
    parts = sorted((_words_pattern(v) for v in variants if v.strip()), key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(parts) + r")(?:s|'s)?(?!\w)"


def company_pattern(profile: Profile) -> re.Pattern[str]:
    """Name, name without legal form, short name and hashtag of the company (genitive 's' allowed)."""
    return re.compile(_company_regex(profile), _I)


def _employment_with_company(profile: Profile) -> list[re.Pattern[str]]:
    """'ich bin seit 2015 bei X', 'wir bei X', 'mein Team bei X' – membership said together with the name."""
    company = _company_regex(profile)
    return [
        re.compile(r"(?<!\w)ich\s+bin(?!\w)[^.!?\n]{0,50}?(?<!\w)bei\s+(?:der\s+)?" + company, _I),
        re.compile(r"(?<!\w)wir\s+(?:hier\s+)?bei\s+(?:der\s+)?" + company, _I),
        re.compile(r"(?<!\w)(?:mein|unser)\w*\s+(?:[\w-]+\s+)?(?:team|kolleg\w*|abteilung|arbeit\w*|job|"
                   r"ausbildung|werkstatt|chef\w*)\s+(?:bei|von)\s+(?:der\s+)?" + company, _I),
    ]


def product_terms(profile: Profile) -> list[str]:
    """Product words from the line of business: 'Heizung, Lüftung und Wärmepumpen' → Heizung, Lüftung, Wärmepumpe."""
    parts = re.split(r",|\s+und\s+|\s*&\s*|/", profile.branche)
    return [re.sub(r"(?<=e)n$", "", p.strip()) for p in parts if len(p.strip()) >= 4]


def _product_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile(r"(?<!\w)\w*(?:" + "|".join(re.escape(t) for t in terms) + r")\w*", _I)


def find_disclosure(text: str, profile: Profile) -> re.Match[str] | None:
    """The first place where the post itself says that its author works for the company, or None.

    Counted are the profile's ``offenlegung`` sentence, labels such as '#mitarbeiter', 'Werbung:' or '(Anzeige)',
    and first-person statements ('ich arbeite bei …', 'mein Arbeitgeber …') when the company is named in the post.
    """
    candidates = [re.search(_words_pattern(profile.offenlegung.rstrip(".!")), text, _I)]
    candidates += [m for m in (LABEL.search(text), LABEL_WORD.search(text))
                   if m and not re.search(r"kein\w*\s*$", text[max(0, m.start() - 8):m.start()], _I)]
    if company_pattern(profile).search(text):
        candidates += [pattern.search(text) for pattern in EMPLOYMENT + _employment_with_company(profile)]
    found = [m for m in candidates if m]
    return min(found, key=lambda m: m.start()) if found else None


def _quote(text: str) -> str:
    return f"„{text.strip()}“"


def _overlaps(findings: list[Finding], start: int, end: int) -> bool:
    return any(f.start < end and start < f.start + len(f.match) for f in findings)


# ------------------------------------------------------------------------------------------------ the five checks
def _disclosure_findings(text: str, profile: Profile, terms: Sequence[str]) -> list[Finding]:
    praise = PRAISE.search(text)
    products = _product_pattern(terms)
    subjects = [m for m in (company_pattern(profile).search(text), products and products.search(text)) if m]
    if not (praise and subjects):
        return []
    subject = min(subjects, key=lambda m: m.start())
    disclosure = find_disclosure(text, profile)
    if disclosure is None:
        return [Finding(
            "offenlegung",
            f"{_quote(praise.group())} und {_quote(subject.group())}: Das klingt nach einer Empfehlung für Ihren "
            f"Arbeitgeber, aber der Beitrag sagt nicht, dass Sie bei {profile.name} arbeiten. Schreiben Sie es an den "
            f"Anfang, z. B. {_quote(profile.offenlegung)} – der Hinweis im Profil reicht nicht, denn viele sehen nur "
            "den Beitrag.",
            praise.group(),
            praise.start(),
        )]
    if disclosure.start() > EARLY:
        return [Finding(
            "offenlegung_anfang",
            f"Tipp: Ihr Hinweis {_quote(disclosure.group())} steht erst weiter hinten. Am Anfang sieht ihn jede und "
            "jeder sofort – auch wenn das Netzwerk den Beitrag gekürzt anzeigt.",
            disclosure.group(),
            disclosure.start(),
        )]
    return []


def _personal_data(text: str, profile: Profile) -> list[Finding]:
    published_mail = {c.email.lower() for c in profile.kontakte.values() if c.email}
    published_phone = {re.sub(r"\D", "", c.telefon) for c in profile.kontakte.values() if c.telefon}
    found: list[Finding] = []

    def add(match: re.Match[str], message: str) -> None:
        if not _overlaps(found, match.start(), match.end()):
            found.append(Finding("personenbezug", message.format(_quote(match.group())), match.group(), match.start()))

    for m in EMAIL.finditer(text):
        if m.group().lower() not in published_mail:
            add(m, "{} ist eine E-Mail-Adresse. Adressen anderer Menschen gehören nicht in einen öffentlichen Beitrag.")
    for m in PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 7 <= len(digits) <= 15 and digits not in published_phone and not re.search(r"\d/(19|20)\d\d", m.group()):
            add(m, "{} sieht aus wie eine Telefonnummer. Nummern anderer Menschen gehören nicht in einen Beitrag.")
    for m in CUSTOMER.finditer(text):
        add(m, "{} nennt eine Person beim Namen. Namen von Kundschaft gehören nur mit ihrem Einverständnis ins Netz.")
    for m in NAME.finditer(text):
        if m.group(1) not in NOT_A_NAME and not POSSESSIVE_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            add(m, "{} nennt eine Person beim Namen. Namen von Kundschaft oder Kolleginnen und Kollegen gehören nur "
                   "mit deren Einverständnis in einen Beitrag.")
    for pattern in ADDRESSES:
        for m in pattern.finditer(text):
            add(m, "{} sieht aus wie eine Anschrift. Sie verrät, wo jemand wohnt oder arbeitet – lassen Sie sie weg.")
    return sorted(found, key=lambda f: f.start)


def confidential_patterns(profile: Profile) -> list[tuple[str, re.Pattern[str]]]:
    """Each confidential term, plus its telling parts: a model code with digits ('NL-9') or the name after 'Projekt'."""
    patterns = []
    for term in profile.vertrauliche_begriffe:
        tokens = term.split()
        telling = [t for t in tokens if re.search(r"\d", t)]
        telling += [b for a, b in zip(tokens, tokens[1:], strict=False) if a.lower() in ("projekt", "project")]
        alternatives = [_words_pattern(term)] + [_words_pattern(t) for t in telling if len(t) >= 3]
        patterns.append((term, re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", _I)))
    return patterns


def _confidential(text: str, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    for term, pattern in confidential_patterns(profile):
        for m in pattern.finditer(text):
            if not _overlaps(found, m.start(), m.end()):
                found.append(Finding(
                    "vertraulich",
                    f"{_quote(m.group())} gehört zu {_quote(term)} – das steht auf der Liste vertraulicher Begriffe "
                    "Ihres Unternehmens. Internes bleibt intern, auch als Andeutung.",
                    m.group(),
                    m.start(),
                ))
    return sorted(found, key=lambda f: f.start)


def _insults(text: str) -> list[Finding]:
    return [
        Finding(
            "beleidigung",
            f"{_quote(m.group())} kann als Beleidigung oder Herabsetzung verstanden werden. Sachliche Kritik ist in "
            "Ordnung – so ein Wort schadet Ihnen und lenkt von Ihrem Anliegen ab.",
            m.group(),
            m.start(),
        )
        for m in INSULTS.finditer(text)
    ]


def _length(text: str, platform: str | None) -> list[Finding]:
    if not platform:
        return []
    name, limit = platform_limit(platform)
    if len(text) <= limit:
        return []
    return [Finding(
        "laenge",
        f"Ihr Text hat {len(text)} Zeichen; bei {name} sind derzeit höchstens {limit} erlaubt. Kürzen Sie um "
        f"{len(text) - limit} Zeichen. (Die Netzwerke ändern ihre Grenzen gelegentlich und zählen manche Zeichen "
        "anders – die Zahl ist ein Richtwert.)",
        text[limit:limit + 20],
        limit,
    )]


def check_post(
    text: str, platform: str | None, profile: Profile, *, products: Sequence[str] | None = None
) -> list[Finding]:
    """All hints on a draft ``text`` for ``platform`` (None: no length check), grouped by kind, in text order.

    ``products`` are the product words that, together with praise, call for a disclosure; by default they come
    from the profile's line of business (see ``product_terms``).
    """
    terms = product_terms(profile) if products is None else list(products)
    findings = [
        *_disclosure_findings(text, profile, terms),
        *_personal_data(text, profile),
        *_confidential(text, profile),
        *_insults(text),
        *_length(text, platform),
    ]
    seen: set[tuple[str, str]] = set()  # the same name twice is one hint
    unique = []
    for finding in findings:
        if (finding.code, finding.match.casefold()) not in seen:
            seen.add((finding.code, finding.match.casefold()))
            unique.append(finding)
    return unique


def hints_html(text: str, platform: str | None, profile: Profile | None = None) -> str:
    """The findings as a short HTML list for the live hints under a text field (active profile by default)."""
    profile = profile or active_profile().profile
    if not text.strip():
        return "<p><i>Der Beitrags-Check zeigt hier Hinweise, sobald Sie schreiben.</i></p>"
    findings = check_post(text, platform, profile)
    if not findings:
        return ("<p class='kommfit-good'>✓ Der Beitrags-Check findet nichts. Er kennt typische Fälle, nicht alle – "
                "Ihr eigener Blick bleibt wichtig.</p>")
    rows = "".join(f"<li><b>{html.escape(f.label)}:</b> {html.escape(f.message)}</li>" for f in findings)
    count = "1 Hinweis" if len(findings) == 1 else f"{len(findings)} Hinweise"
    return f"<p class='kommfit-hint'><b>Beitrags-Check – {count}:</b></p><ul>{rows}</ul>"


# ------------------------------------------------------------------------------------------------ rules and grading
def _check_rules(platform: str | None, required: Sequence[str], forbidden: Sequence[str]) -> None:
    unknown = [c for c in required if c not in REQUIRED_RULES] + [c for c in forbidden if c not in FORBIDDEN_RULES]
    if unknown or not (required or forbidden):
        raise ValueError(f"unknown or missing rule codes: {unknown}")
    if platform:
        platform_limit(platform)


def evaluate_post(
    text: str, platform: str | None, profile: Profile, required: Sequence[str] = (), forbidden: Sequence[str] = ()
) -> list[RuleResult]:
    """Each rule with whether the text meets it: ``required`` properties present, ``forbidden`` findings absent.

    Required: 'offenlegung' (the post says the author works there), 'ich_form', 'firmenbezug'. Forbidden: any
    finding code of ``check_post`` – 'offenlegung' there means praise without disclosure.
    """
    _check_rules(platform, required, forbidden)
    results = []
    for code in required:
        if code == "offenlegung":
            found = find_disclosure(text, profile)
            passed = found is not None
            example = _quote(profile.offenlegung) + ("" if profile.offenlegung.endswith((".", "!", "?")) else ".")
            detail = (f"Sie sagen im Beitrag selbst, dass Sie dort arbeiten: {_quote(found.group())}." if found else
                      f"Im Beitrag fehlt der Hinweis, dass Sie bei {profile.name} arbeiten. Ein Satz am Anfang "
                      f"genügt, z. B. {example} Der Hinweis im Profil reicht nicht – viele sehen nur den Beitrag.")
        elif code == "ich_form":
            passed = FIRST_PERSON.search(text) is not None
            detail = ("Sie schreiben in der Ich-Form – so spricht Ihre eigene Erfahrung." if passed else
                      "Schreiben Sie in der Ich-Form über Ihre eigene Erfahrung; das wirkt echt und zeigt, dass Sie "
                      "für sich sprechen.")
        else:
            products = _product_pattern(product_terms(profile))
            passed = bool(company_pattern(profile).search(text) or (products and products.search(text)))
            detail = ("Ihr Beitrag nennt das Unternehmen oder sein Produkt." if passed else
                      "Ihr Beitrag sagt nicht, worum es geht: Nennen Sie das Unternehmen oder das Produkt.")
        results.append(RuleResult(code, REQUIRED_RULES[code], passed, detail))
    findings = check_post(text, platform, profile)
    for code in forbidden:
        hits = [f for f in findings if f.code == code]
        detail = " ".join(f.message for f in hits) if hits else "Dazu findet der Beitrags-Check nichts – gut so."
        results.append(RuleResult(code, FORBIDDEN_RULES[code], not hits, detail))
    return results


def _too_short(text: str, min_words: int) -> bool:
    return len(re.findall(r"\w+", text)) < min_words


def post_feedback(
    text: str,
    platform: str | None,
    required: Sequence[str] = ("offenlegung", "ich_form"),
    forbidden: Sequence[str] = ("personenbezug", "vertraulich", "beleidigung", "laenge"),
    min_words: int = 15,
    profile: Profile | None = None,
) -> tuple[float, str]:
    """Share of rules met and HTML feedback for a practice text (the ``feedback`` callable of a FreeText)."""
    profile = profile or active_profile().profile
    if _too_short(text, min_words):
        return 0.0, f"<p class='kommfit-hint'>Schreiben Sie mindestens {min_words} Wörter – dann prüft der " \
                    "Beitrags-Check alle Regeln.</p>"
    results = evaluate_post(text, platform, profile, required, forbidden)
    share = sum(r.passed for r in results) / len(results)
    rows = "".join(
        f"<p><span class='{'kommfit-good' if r.passed else 'kommfit-bad'}'>{'✓' if r.passed else '✗'}</span> "
        f"<b>{html.escape(r.name)}:</b> {html.escape(r.detail)}</p>"
        for r in results
    )
    return share, f"<p><b>{sum(r.passed for r in results)} von {len(results)} Regeln erfüllt.</b></p>" + rows


def _stored_text(question: object) -> str | None:
    """The saved draft, or None after printing why there is none (a text-specific message when nothing is saved)."""
    if isinstance(question, FreeText):
        snapshot = question.store.read()
        if not snapshot.problem and question.question_id not in snapshot.answers:
            say(question.plain(question.prompt))
            say()
            say("Zu dieser Frage wurde keine Antwort gespeichert – dafür gibt es 0 Punkte. Ihr Text wird beim "
                 "Schreiben automatisch gespeichert: Schreiben Sie beim nächsten Mal einfach in das Feld.")
            return None
    return stored_answer(question, FreeText)


@never_fails
def grade_post(
    question: object,
    platform: str | None,
    required: Iterable[str] = (),
    forbidden: Iterable[str] = (),
    points: float = 1.0,
    min_words: int = 15,
) -> float:
    """Grade a draft post by rules: each rule met earns an equal share of ``points``; explain every rule.

    A draft shorter than ``min_words`` words is not a post yet and earns nothing. All arguments after the question
    are literals, so the course catalog can read them without running the cell.
    """
    required, forbidden = tuple(required), tuple(forbidden)
    _check_rules(platform, required, forbidden)
    text = _stored_text(question)
    if text is None:
        return report_points(0.0, points)
    say("Ihr Entwurf: »" + " ".join(text.split()) + "«")
    if _too_short(text, min_words):
        say(f"Ihr Entwurf hat weniger als {min_words} Wörter – das ist noch kein Beitrag, den der Beitrags-Check "
             "bewerten kann. Dafür gibt es 0 Punkte.")
        return report_points(0.0, points)
    results = evaluate_post(text, platform, active_profile().profile, required, forbidden)
    for result in results:
        say(f"{'✓' if result.passed else '✗'} {result.name}: {result.detail}")
    met = sum(r.passed for r in results)
    say(f"{met} von {len(results)} Regeln erfüllt (je {german_number(round(points / len(results), 2))} Punkte).")
    return report_points(scoring.points(met / len(results), points), points)
