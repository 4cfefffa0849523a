"""A sparse CRM note about an enthusiastic customer (module 09): what helps community management, what stays out.

A service technician meets a delighted customer and writes a short note in the service app. The community-management
team reads it to thank the customer, invite them or ask for a customer story — so the note needs three things: that
the customer is enthusiastic, what they liked, and whether they agreed to be contacted or to follow the channels.
Everything else is not needed for that purpose (data minimisation), and some of it is highly sensitive: health,
family, faith, political views, gossip, private contact data copied into the free text, judgements about the person.

The checker is deliberately simple and explainable: word patterns, matched sentence by sentence, no language model.
Patterns for the useful parts are broad (a participant should not lose points for a synonym), patterns for what to
avoid are specific (few false alarms). ``check_note`` is a pure function; ``note_hints`` and ``note_feedback`` render
it for the ``FreeText`` widget of a practice task; ``grade_crm_note`` scores a graded note in a hidden grade cell.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..core import scoring
from ..grading.checks import german_number, never_fails, report_points, say, stored_answer
from ..quiz.kinds import FreeText

MAX_NOTE_LENGTH = 300
_FLAGS = re.IGNORECASE
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[\w@+./-]")


@dataclass(frozen=True)
class Rule:
    """One thing a note should contain (``useful``) or leave out. A sentence counts if it matches one of ``patterns``,
    also one of ``together`` (when given), and none of ``unless``."""

    id: str
    useful: bool
    label: str
    advice: str
    patterns: tuple[str, ...]
    together: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    def evidence(self, text: str) -> tuple[str, ...]:
        """The words of ``text`` that make this rule apply (empty if it does not)."""
        found: list[str] = []
        for sentence in _SENTENCE_END.split(text):
            if self.together and not _search(self.together, sentence):
                continue
            if self.unless and _search(self.unless, sentence):
                continue
            words = _words(self.patterns, sentence)
            if words:  # the topic first, so a hint reads »Newsletter«, »möchte«
                found += [w for w in (*_words(self.together, sentence), *words) if w not in found]
        return tuple(found)


def _words(patterns: Iterable[str], sentence: str) -> list[str]:
    """The whole words of ``sentence`` matched by any of ``patterns``, each once, in the order of the patterns."""
    words: list[str] = []
    for pattern in patterns:
        for match in re.finditer(pattern, sentence, _FLAGS):
            word = _whole_word(sentence, match.start(), match.end())
            if word not in words:
                words.append(word)
    return words


def _search(patterns: Iterable[str], sentence: str) -> bool:
    return any(re.search(p, sentence, _FLAGS) for p in patterns)


def _whole_word(text: str, start: int, end: int) -> str:
    """Widen a match to the word it sits in, so a hint quotes »Hüft-OP« and not »op«."""
    while start > 0 and _WORD.match(text[start - 1]):
        start -= 1
    while end < len(text) and _WORD.match(text[end]):
        end += 1
    return text[start:end].strip(".,;:-/")


_EMAIL = r"[\w.+-]+@[\w-]+\.[\w.-]+"
_PHONE = r"(?:\+49|\b0)[\d ()/-]{6,}\d"

RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "begeistert", True, "Begeisterung",
            "Halten Sie fest, dass die Person begeistert ist – das ist der Anlass der Notiz.",
            (r"begeister", r"(?<!un)zufrieden", r"\blob", r"\bgelobt", r"\bfreut", r"\bfreude", r"\bdankbar",
             r"\bbedank", r"\bdank\b", r"\bfan\b", r"\bempfiehlt", r"\bweiterempfehl", r"\bglücklich", r"\bhappy\b",
             r"\bschwärm", r"\btoll\b", r"\bsuper\b", r"\bprima\b", r"\bklasse\b", r"\bpositiv", r"\bkompliment"),
        ),
        Rule(
            "gefallen", True, "Was gefallen hat",
            "Notieren Sie in ein paar Worten, was gelobt wurde, z. B. die schnelle Reparatur oder die gute "
            "Erklärung. Daran kann das Community-Management anknüpfen.",
            (r"reparatur", r"repariert", r"wartung", r"gewartet", r"einbau", r"eingebaut", r"inbetriebnahme",
             r"montage", r"austausch", r"getauscht", r"installation", r"installiert", r"erkl[äa]r", r"p[üu]nktlich",
             r"schnell", r"z[üu]gig", r"sauber", r"ordentlich", r"\bfreundlich", r"beratung", r"beraten",
             r"\bservice", r"kundendienst", r"\btermin", r"gefallen", r"gefiel", r"st[öo]rung", r"behoben",
             r"\bwarm", r"w[äa]rmepumpe", r"heizung", r"\banlage", r"therme", r"\bkessel", r"l[üu]ftung",
             r"\bleise", r"\btechniker", r"\beinsatz", r"\bhilfe\b", r"\bgeholfen", r"\bdefekt", r"\bf[üu]hler",
             r"\bsensor"),
        ),
        Rule(
            "einwilligung", True, "Einverständnis",
            "Schreiben Sie dazu, wozu Sie eingeladen haben (Kanäle, Newsletter) und ob die Person einverstanden "
            "ist, dass sich jemand meldet – oder ausdrücklich nicht.",
            (r"einverstanden", r"einwillig", r"zugestimmt", r"\bzustimm", r"stimmt\b.{0,20}\bzu\b", r"m[öo]chte",
             r"\bwill\b", r"\bwollte", r"\bgern", r"\bja\b", r"\bnein\b", r"\bkein", r"\bnicht\b", r"\bdarf\b",
             r"\bd[üu]rfen\b", r"erw[üu]nscht", r"\bw[üu]nscht", r"\bwunsch", r"\bselbst\b", r"\bselber\b",
             r"\binteress", r"abgelehnt", r"\blehnt", r"\bok\b", r"\bokay\b", r"\berlaubt", r"\bangemeldet"),
            together=(r"newsletter", r"\bkan[äa]l", r"social", r"instagram", r"facebook", r"linkedin", r"youtube",
                      r"\bfolg", r"\bqr", r"\bkarte\b", r"\bflyer", r"kontakt", r"\banruf", r"\bmeld",
                      r"\banmeld", r"kundenstimme", r"referenz", r"community", r"\bteam\b", r"einlad", r"eingeladen"),
        ),
        Rule(
            "gesundheit", False, "Gesundheit",
            "Angaben zur Gesundheit sind besonders sensibel und für die Community-Pflege nicht nötig. Bitte streichen.",
            (r"\bkrank", r"krankheit", r"\boperiert", r"\bhüft", r"\bkrebs", r"diabet", r"demenz", r"\bdement",
             r"rollstuhl", r"rollator",
             r"\boperation", r"\bop\b", r"krankenhaus", r"\bklinik", r"\breha\b", r"pflegebed",
             r"pflegegrad", r"pflegefall", r"medikament", r"tabletten", r"depress", r"psychisch", r"schwanger",
             r"behindert", r"behinderung", r"herzinfarkt", r"herzkrank", r"schlaganfall", r"gesundheit",
             r"\barzt", r"\bärzt", r"therapie", r"\bchemo", r"bettlägerig", r"schwerhörig", r"\bblind\b",
             r"allergi", r"\basthma", r"\bsucht", r"alkohol"),
        ),
        Rule(
            "familie", False, "Familie",
            "Familienverhältnisse helfen niemandem, die Person einzuladen oder ihr zu danken. Bitte streichen.",
            (r"\behemann", r"\behefrau", r"\bihr(em|en)? mann\b", r"\bseine[rmn]? frau\b", r"\bwitwe", r"verwitwet",
             r"geschieden", r"scheidung", r"\bgetrennt", r"\btrennung", r"\bkinder(n)?\b", r"\bkind\b", r"\bsohn",
             r"\bsöhne", r"\btochter", r"\btöchter", r"\benkel", r"schwieger", r"verstorben", r"gestorben",
             r"\bfamili(?!e\s+(?-i:[A-ZÄÖÜ][a-zäöüß]))",  # not a household's name: »Familie Obermaier«
             r"todesfall", r"beerdigung", r"hochzeit", r"lebensgef[äa]hrt", r"\bmutter\b",
             r"\bvater\b", r"\beltern\b", r"\bbruder\b", r"\bschwester\b", r"alleinerziehend", r"alleinstehend",
             r"lebt allein"),
        ),
        Rule(
            "religion", False, "Religion",
            "Glaube und Religion sind besonders sensibel und haben in einer Kundennotiz nichts zu suchen.",
            (r"religi", r"katholi", r"evangeli", r"\bmuslim", r"\bislam", r"\bjüd", r"\bjude", r"\bchrist(in|en)?\b",
             r"christlich", r"kirche", r"moschee", r"synagog", r"gottesdienst", r"\bgläubig", r"konfession",
             r"ramadan", r"zeugen jehovas", r"atheist", r"\bgebet", r"\bbetet\b", r"buddhis", r"\bhindu"),
        ),
        Rule(
            "politik", False, "Politik",
            "Politische Ansichten, Ämter und Parteien sind besonders sensibel und für den Kundenkontakt ohne Belang.",
            (r"politi", r"\bpartei", r"\bafd\b", r"\bcdu\b", r"\bcsu\b", r"\bspd\b", r"\bfdp\b", r"\bgrünen\b",
             r"\bbsw\b", r"\bdie linke\b", r"\bwählt\b", r"\bwähler", r"gewerkschaft", r"\bdemo\b", r"demonstr",
             r"regierung", r"heizungsgesetz", r"\bampel\b", r"minister", r"kanzler", r"querdenk", r"extremist",
             r"rechtsextrem", r"linksextrem", r"rechtsradikal", r"linksradikal", r"\bnazi", r"stadtrat",
             r"gemeinderat"),
        ),
        Rule(
            "klatsch", False, "Klatsch und Dritte",
            "Gerüchte und Privates – auch über Nachbarn oder andere Dritte – gehören nicht ins CRM.",
            (r"nachbar", r"gerücht", r"angeblich", r"munkel", r"tratsch", r"klatsch", r"\bschulden", r"\bpleite",
             r"insolven", r"arbeitslos", r"bürgergeld", r"\bstreit", r"affäre", r"fremdgeh", r"betrunken",
             r"\btrinkt\b", r"geldsorgen", r"geldprobleme", r"finanziell", r"\bunter uns\b", r"hat (mir|uns) erzählt"),
        ),
        Rule(
            "kontaktdaten", False, "Kontaktdaten im Freitext",
            "Telefonnummern und E-Mail-Adressen gehören, wenn überhaupt, in die Kontaktfelder – nicht in den "
            "Freitext einer Notiz.",
            (_EMAIL, _PHONE, r"handynummer", r"handy-?nr", r"mobilnummer", r"privatnummer", r"private nummer",
             r"private (e-?mail|telefon)", r"whatsapp-nummer"),
        ),
        Rule(
            "urteil", False, "Urteil über die Person",
            "Schreiben Sie, was passiert ist, nicht, wie Sie die Person finden. Faustregel: nur, was Sie ihr auch "
            "vorlesen könnten.",
            (r"\bnervig", r"\bnervt", r"anstrengend", r"schwierige[rn]? (kundin|kunde|person|mensch|typ)",
             r"unsympath", r"\bkomisch", r"\bseltsam", r"merkwürdig", r"\bgeizig", r"knauserig", r"besserwiss",
             r"\bdumm", r"unfähig", r"\bsenil", r"tüddel", r"verwirrt", r"\bnörgl", r"querulant", r"\bmecker",
             r"geschwätzig", r"quassel", r"redselig", r"verrückt", r"\bspinner", r"\bzickig", r"arrogant",
             r"unfreundlich", r"\bnaiv", r"chaotisch", r"pingelig", r"penibel", r"schrullig", r"\boma\b",
             r"\bopa\b", r"hübsch", r"attraktiv", r"\bsexy\b", r"\bfaul\b", r"\bungepflegt", r"\bmessie"),
        ),
        Rule(
            "gegenleistung", False, "Gegenleistung für Bewertung",
            "Bewertungen gegen Rabatt oder Geschenk sind unzulässig, wenn die Gegenleistung nicht offengelegt wird "
            "(OLG Hamm, 23.11.2010, 4 U 136/10). So etwas wird weder angeboten noch notiert.",
            (r"rabatt", r"gutschein", r"nachlass", r"prozent", r"\d\s?%", r"geschenk", r"pr[äa]mie", r"gratis",
             r"kostenlos", r"belohn"),
            together=(r"bewert", r"sterne", r"rezension", r"google", r"\bfeedback"),
        ),
        Rule(
            "fremdanmeldung", False, "Anmeldung für andere",
            "Für den Newsletter meldet sich die Person selbst an und bestätigt per E-Mail (Double-Opt-in, § 7 UWG). "
            "Niemand wird für andere eingetragen – dafür gibt es die Karte mit dem QR-Code.",
            (r"\b(habe|hab|haben|wurde|werde|wird|ich)\b[^.!?\n]{0,60}?\b(angemeldet|eingetragen|registriert|"
             r"abonniert|anmelden|eintragen)\b", r"\btrag\w*\b[^.!?\n]{0,40}\bein\b",
             r"\b(e-?mail|adresse)\w*\b[^.!?\n]{0,40}\b(notiert|aufgeschrieben|mitgenommen)\b"),
            together=(r"newsletter", r"verteiler", r"e-?mail-?liste"),
            unless=(r"\bsich\b",),
        ),
    )
}
USEFUL = tuple(rule.id for rule in RULES.values() if rule.useful)
AVOID = tuple(rule.id for rule in RULES.values() if not rule.useful)


@dataclass(frozen=True)
class Finding:
    """What the checker says about one rule or about the length: ``kind`` is 'useful', 'avoid' or 'length'."""

    rule: str
    label: str
    kind: str
    ok: bool
    message: str
    evidence: tuple[str, ...] = ()


def _quote(words: tuple[str, ...]) -> str:
    return ", ".join(f"»{word}«" for word in words[:3])


def check_note(
    text: str,
    useful: Iterable[str] = USEFUL,
    avoid: Iterable[str] = AVOID,
    max_length: int = MAX_NOTE_LENGTH,
) -> list[Finding]:
    """German findings for a note: each useful part present or missing, each thing to avoid found or not, the length.

    Raises ValueError for a rule id that does not exist (an author's mistake, caught by ``never_fails`` in grading).
    """
    useful, avoid = tuple(useful), tuple(avoid)
    unknown = [rule_id for rule_id in (*useful, *avoid) if rule_id not in RULES]
    if unknown:
        raise ValueError(f"unknown CRM note rules: {unknown}")
    findings = []
    for rule_id in useful:
        rule = RULES[rule_id]
        words = rule.evidence(text)
        message = f"{rule.label}: steht drin ({_quote(words)})." if words else f"{rule.label}: fehlt. {rule.advice}"
        findings.append(Finding(rule.id, rule.label, "useful", bool(words), message, words))
    for rule_id in avoid:
        rule = RULES[rule_id]
        words = rule.evidence(text)
        message = f"{rule.label}: {_quote(words)} – {rule.advice}" if words else f"{rule.label}: nichts gefunden."
        findings.append(Finding(rule.id, rule.label, "avoid", not words, message, words))
    length = len(text.strip())
    if length <= max_length:
        message = f"Länge: {length} von höchstens {max_length} Zeichen."
    else:
        message = (
            f"Länge: {length} Zeichen, also {length - max_length} zu viel. Eine CRM-Notiz ist kurz: höchstens "
            f"{max_length} Zeichen."
        )
    findings.append(Finding("laenge", "Länge", "length", length <= max_length, message))
    return findings


def note_score(findings: Iterable[Finding]) -> float:
    """The share of the points, counted like multiple choice: (useful parts present − problems) / useful parts.

    A problem is something to avoid that was found, or a note that is too long. Never below 0.
    """
    findings = list(findings)
    useful = [f for f in findings if f.kind == "useful"]
    problems = sum(not f.ok for f in findings if f.kind != "useful")
    if not useful:
        return 0.0 if problems else 1.0
    return max(0.0, (sum(f.ok for f in useful) - problems) / len(useful))


def _checklist(findings: list[Finding], live: bool) -> str:
    """The findings as an HTML list: what is in, what is missing, what should go, the length."""
    rows = []
    for finding in findings:
        if finding.kind == "avoid" and finding.ok:
            continue
        if finding.ok:
            mark, tone = "✓", "kommfit-good"
        elif finding.kind == "useful" and live:
            mark, tone = "○", "kommfit-hint"
        else:
            mark, tone = ("✗" if finding.kind == "useful" else "⚠"), "kommfit-bad"
        rows.append((finding.kind, f"<li><span class='{tone}'>{mark}</span> {html.escape(finding.message)}</li>"))
    if all(f.ok for f in findings if f.kind == "avoid"):
        clean = "<li><span class='kommfit-good'>✓</span> Nichts Sensibles oder Unnötiges gefunden.</li>"
        rows.append(("avoid", clean))
    order = {"useful": 0, "avoid": 1, "length": 2}
    return "<ul>" + "".join(row for _kind, row in sorted(rows, key=lambda r: order[r[0]])) + "</ul>"


def note_hints(text: str) -> str:
    """Live hints while a participant types a practice note (HTML for ``FreeText(hints=...)``)."""
    if not text.strip():
        return (
            "<p><i>Beim Schreiben zeigt die Prüfhilfe hier, was schon drinsteht und was besser herausbleibt.</i></p>"
        )
    return (
        "<p><b>Prüfhilfe</b> <small>(sie sucht nach Wörtern und versteht nicht alles – Ihr Urteil zählt)</small></p>"
        + _checklist(check_note(text), live=True)
    )


def note_feedback(text: str) -> tuple[float, str]:
    """The check behind 'Antwort prüfen' of a practice note: share 0–1 and HTML (``FreeText(feedback=...)``)."""
    findings = check_note(text)
    share = note_score(findings)
    if share >= 1.0:
        verdict = "<p class='kommfit-good'><b>✓ Sparsam und hilfreich – genau so eine Notiz braucht das Team.</b></p>"
    elif share > 0:
        verdict = f"<p class='kommfit-hint'><b>◐ Auf gutem Weg ({round(share * 100)} %).</b></p>"
    else:
        verdict = "<p class='kommfit-bad'><b>✗ So hilft die Notiz noch nicht.</b></p>"
    return share, verdict + _checklist(findings, live=False)


def length_hint(text: str, max_length: int = MAX_NOTE_LENGTH) -> str:
    """Only the length guide, for a graded note (whose content is checked after submission)."""
    length = len(text.strip())
    tone = "kommfit-bad" if length > max_length else ""
    guide = f"Richtwert für eine CRM-Notiz: höchstens {max_length} Zeichen (jetzt {length})."
    return f"<small class='{tone}'>{guide}</small>"


@never_fails
def grade_crm_note(
    question: object,
    required: Iterable[str],
    forbidden: Iterable[str],
    points: float = 2.0,
    max_length: int = MAX_NOTE_LENGTH,
) -> float:
    """Score a graded CRM note: each required part present earns a share, each problem costs one (never below 0)."""
    required, forbidden = tuple(required), tuple(forbidden)
    check_note("", required, forbidden, max_length)  # an unknown rule is the author's mistake: fail before reading
    if not required:
        raise ValueError("a CRM note needs at least one required rule")
    value = stored_answer(question, FreeText)
    if value is None:
        return report_points(0.0, points)
    if not value.strip():
        say("Ihre Notiz ist leer – dafür gibt es 0 Punkte.")
        return report_points(0.0, points)
    say(f"Ihre Notiz: »{' '.join(value.split())}«")
    findings = check_note(value, required, forbidden, max_length)
    for finding in findings:
        if finding.kind == "length" and all(f.ok for f in findings if f.kind == "avoid"):
            say("✓ Nichts Sensibles oder Unnötiges gefunden.")
        if finding.kind != "avoid" or not finding.ok:
            say(("✓ " if finding.ok else "✗ ") + finding.message)
    say(
        f"So wird gezählt: Jede der {len(required)} nützlichen Angaben bringt "
        f"{german_number(round(points / len(required), 2))} Punkte, jedes Problem kostet so viel wieder."
    )
    return report_points(scoring.points(note_score(findings), points), points)
