"""Writing hints for practice texts: does a message invite, or does it push? (modules 07 and 08)

Modules 07 and 08 let participants write a short text themselves: an invitation to colleagues to join the company's
social-media activities, or a manager's first post. Such a text works when it invites rather than pushes — it says
that taking part is voluntary, offers help, opens a dialogue and speaks in the first person — and it backfires when it
carries a duty, a deadline, control, a ranking or a prize. That difference is what the two modules teach, so the
participant sees it while typing.

The checks are simple, transparent German word rules. They are hints for practice, never a grade: a rule can miss a
well-made sentence, so every hint says what it looks for, and the feedback adds an example text. All checks are pure
functions of the text, tested without a browser; ``ToneCoach`` only turns them into the HTML that
``kommfit.quiz.kinds.FreeText`` shows (live as ``hints``, on "Antwort prüfen" as ``feedback``). Nothing here stores
anything.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..quiz.display import active_profile

_FLAGS = re.IGNORECASE
_NEGATION = re.compile(r"\b(?:nicht|niemand|nie|kein\w*)\b", _FLAGS)
_SOFTENER = re.compile(
    r"\bwer (?:mag|möchte|will|lust|interesse)\b|\b(?:wenn|falls) (?:sie|du|ihr) (?:\w+ )?"
    r"(?:mögen|möchten|wollen|mögt|möchtet|wollt|magst|möchtest|willst|lust)\b|\bfreue? mich,? wenn\b|\bgerne?\b",
    _FLAGS,
)
_SHARE_VERBS = (
    r"(?:teilt|teilen|liken|likt|liked|folgt|folgen|postet|posten|kommentiert|kommentieren|vernetzt|vernetzen)"
)
_EVERYONE = r"(?:alle(?!\s+(?:\d+|zwei|drei|vier|paar|vierzehn)\b)|jede[rn]?|jedes|das ganze team)"


@dataclass(frozen=True)
class PressureRule:
    """One kind of pressure: a pattern, its German name, and whether a negation in the sentence lifts it.

    ``negatable`` is why "Es gibt keine Rangliste" is fine while "wer noch nicht geteilt hat" stays control.
    ``softenable`` lets "Ich freue mich, wenn Sie alle mir folgen" pass as the invitation it is.
    """

    name: str
    pattern: re.Pattern[str]
    negatable: bool = True
    softenable: bool = False


PRESSURE_RULES: tuple[PressureRule, ...] = tuple(
    PressureRule(name, re.compile(pattern, _FLAGS), negatable, softenable)
    for name, pattern, negatable, softenable in (
        ("Pflicht", r"\b\w*pflicht\w*|\bverbindlich\w*", True, False),
        ("Muss", r"\b(?:sie|ihr|du|alle|jede[rns]?|team) m(?:u|ü)ss\w*|\bm(?:u|ü)ss(?:t|en) (?:sie|ihr|alle)\b", True,
         False),
        ("Erwartung", r"\b(?:ich|wir) erwarten?\b|\berwarten? (?:ich|wir)\b|\bwird erwartet\b|\berwartet,? dass\b",
         True, False),
        ("Frist", r"\bbis (?:spätestens )?(?:heute|morgen|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
         r"ende|zum (?:\d+|ende|monatsende|wochenende|jahresende)|\d+)", False, False),
        ("Kontrolle", r"\b(?:kontroll\w*|nachhalten|nachgehalten|überprüf\w*)", True, False),
        ("Kontrolle", r"\b(?:schau|seh|guck|prüf|zähl)\w*\b[^.!?]*\bwer\b[^.!?]*\b(?:dabei|mitgemacht|mitmacht|teilt|"
         r"geteilt|likt|liked|gelikt|geliked|folgt|gefolgt|kommentiert|postet|gepostet)\b", True, False),
        ("Kontrolle", r"\bwer (?:schon|bereits|noch nicht|nicht|noch) (?:\w+ ){0,3}"
         r"(?:geteilt|gelikt|geliked|kommentiert|gefolgt|gepostet)\b", False, False),
        ("Rangliste", r"\b\w*(?:rangliste|ranking|bestenliste|punktestand)\w*|\bpunkte (?:sammeln|für|gibt)", True,
         False),
        ("Belohnung", r"\b\w*(?:prämie|gutschein|belohn|gewinnspiel|verlos)\w*|\bzu gewinnen\b", True, False),
        ("Vorgeschriebener Wortlaut", r"\b(?:unverändert|wortgleich|wörtlich)\b|\b1:1\b|\beins zu eins\b", True, False),
        ("Zielvereinbarung", r"\bzielvereinbarung\w*", True, False),
        ("Aufforderung an alle", rf"\b{_EVERYONE}\b[^.!?]*\b{_SHARE_VERBS}\b|\b{_SHARE_VERBS}\b[^.!?]*\b{_EVERYONE}\b",
         True, True),
    )
)

_VOLUNTARY = re.compile(
    r"\bfreiwillig\w*|\bwer (?:mag|möchte|will|lust hat|interesse hat)\b|\b(?:wenn|falls) (?:sie|du|ihr) (?:\w+ )?"
    r"(?:mögen|möchten|wollen|mögt|möchtet|wollt|magst|möchtest|willst|lust)\b|\b(?:niemand|keiner) muss\b|"
    r"\bmuss (?:niemand|keiner)\b|\bkeine pflicht\b|\bkein muss\b|\b(?:ihre|deine|eure) (?:entscheidung|sache|wahl)\b|"
    r"\bselbst entscheiden\b|\bohne (?:druck|pflicht|zwang)\b|\b(?:sie|du|ihr) m(?:u|ü)ss\w* (?:aber )?nicht\b|"
    r"\bm(?:u|ü)ss(?:en|t)? (?:sie|du|ihr) (?:aber )?nicht\b",
    _FLAGS,
)
_HELP = re.compile(
    r"\bfragen\b|\bhilf\w*|\bhelf\w*|\bunterstütz\w*|\bansprech\w*|\bsprechen sie mich an\b|\bsprich mich an\b|"
    r"\bmeld\w* (?:sie |dich |euch )?(?:sich |dich |euch )?(?:gern|bei)|\bschulung\w*|\bworkshop\w*|\bleitlinie\w*|"
    r"\bleitfaden\w*|\btipps?\b|\bsocial-media-team\w*|\bberat\w*|\S+@\S+",
    _FLAGS,
)
_DIALOGUE = re.compile(
    r"\?|\bschreib\w* (?:sie |du |ihr )?(?:mir|uns)\b|\bsprechen sie mich an\b|\bsprich mich an\b|"
    r"\b(?:ihre|deine|eure) (?:meinung|fragen|ideen|erfahrung\w*|sicht|anregungen|rückmeldung\w*|gedanken)\b|"
    r"\bkommentier\w*|\bdiskut\w*|\baustausch\w*|\bfeedback\b|\bantworte\b|\bgespräch\w*",
    _FLAGS,
)
_FIRST_PERSON = re.compile(r"\b(?:ich|mich|mir|mein|meine|meinen|meinem|meiner|meines)\b", _FLAGS)
_SENTENCE_END = re.compile(r"(?<=[.!?;:\n])\s*")
_WORD = re.compile(r"\w+")


def sentences(text: str) -> list[str]:
    """The text split into sentences (also at line breaks), without empty pieces."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def find_pressure(text: str) -> list[tuple[str, str]]:
    """Every phrase that puts readers under pressure, as (kind, phrase as written), in reading order.

    A phrase counts per sentence: a negation in the same sentence lifts negatable kinds ("Es gibt keine Pflicht"),
    and an invitation lifts a call to everyone ("Ich freue mich, wenn Sie alle mir folgen").
    """
    found: list[tuple[int, str, str]] = []
    offset = 0
    for sentence in sentences(text):
        start = text.find(sentence, offset)
        offset = start + len(sentence)
        negated = bool(_NEGATION.search(sentence))
        softened = bool(_SOFTENER.search(sentence))
        for rule in PRESSURE_RULES:
            if (rule.negatable and negated) or (rule.softenable and softened):
                continue
            for match in rule.pattern.finditer(sentence):
                found.append((start + match.start(), rule.name, match.group(0).strip()))
    seen: set[str] = set()
    result = []
    for _position, name, phrase in sorted(found):
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            result.append((name, phrase))
    return result


def says_voluntary(text: str) -> bool:
    """Does the text say that taking part is a free choice ("wer mag", "freiwillig", "niemand muss")?"""
    return bool(_VOLUNTARY.search(text))


def offers_help(text: str) -> bool:
    """Does the text offer help or name where to ask (contact, training, guidelines, questions welcome)?"""
    return bool(_HELP.search(text))


def invites_dialogue(text: str) -> bool:
    """Does the text open a conversation: a question, "schreiben Sie mir", "Ihre Meinung", "Austausch"?"""
    return bool(_DIALOGUE.search(text))


def writes_first_person(text: str) -> bool:
    """Does the writer speak as themselves ("ich", "mir", "mein …")?"""
    return bool(_FIRST_PERSON.search(text))


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Finding:
    """The result of one rule for one text: German label (what is good), advice (what to do), evidence found."""

    rule: str
    passed: bool
    label: str
    advice: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A named check with its German label and advice. ``check`` returns (passed, evidence)."""

    id: str
    label: str
    advice: str
    check: Callable[[str, int], tuple[bool, tuple[str, ...]]]


def _pressure_check(text: str, _min_words: int) -> tuple[bool, tuple[str, ...]]:
    phrases = tuple(f"„{phrase}“ ({name})" for name, phrase in find_pressure(text))
    return not phrases, phrases


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "ich_form",
            "Sie schreiben in der Ich-Form.",
            "Schreiben Sie als Sie selbst: „Ich …“, „Mir ist wichtig …“. So spricht ein Mensch, keine Abteilung.",
            lambda text, _n: (writes_first_person(text), ()),
        ),
        Rule(
            "dialog",
            "Ihr Text lädt zum Gespräch ein.",
            "Stellen Sie eine Frage oder sagen Sie, wo man Sie erreicht: „Was meinen Sie?“, „Schreiben Sie mir gern.“",
            lambda text, _n: (invites_dialogue(text), ()),
        ),
        Rule(
            "freiwillig",
            "Sie sagen, dass Mitmachen freiwillig ist.",
            "Sagen Sie ausdrücklich, dass niemand mitmachen muss, etwa mit „Wer mag, …“ oder „ganz freiwillig“.",
            lambda text, _n: (says_voluntary(text), ()),
        ),
        Rule(
            "hilfe",
            "Sie bieten Hilfe oder eine Ansprechperson an.",
            "Nennen Sie, wer bei Fragen hilft – etwa das Social-Media-Team, eine Schulung oder die Leitlinien.",
            lambda text, _n: (offers_help(text), ()),
        ),
        Rule(
            "ohne_druck",
            "Ihr Text kommt ohne Druck aus: keine Pflicht, Frist, Kontrolle, Rangliste oder Prämie.",
            "Das klingt nach Druck:",
            _pressure_check,
        ),
        Rule(
            "laenge",
            "Ihr Text hat ein paar Sätze – genug, um etwas von Ihnen zu zeigen.",
            "Erzählen Sie etwas mehr: Zwei, drei Sätze reichen, etwa warum Sie hier sind und worüber Sie schreiben "
            "möchten.",
            lambda text, n: (word_count(text) >= n, ()),
        ),
    )
}


def check_text(text: str, rules: Sequence[str], min_words: int = 20) -> list[Finding]:
    """Apply the named rules to a text, in the given order."""
    findings = []
    for rule_id in rules:
        rule = RULES[rule_id]
        passed, evidence = rule.check(text, min_words)
        findings.append(Finding(rule.id, passed, rule.label, rule.advice, evidence))
    return findings


def _finding_html(finding: Finding) -> str:
    if finding.passed:
        return f"<li><span class='kommfit-good'>✓</span> {html.escape(finding.label)}</li>"
    evidence = " " + ", ".join(html.escape(e) for e in finding.evidence) + "." if finding.evidence else ""
    tail = " Eine Einladung wirkt stärker als eine Anweisung." if finding.evidence else ""
    return f"<li><span class='kommfit-hint'>○</span> {html.escape(finding.advice)}{evidence}{tail}</li>"


class ToneCoach:
    """Hints while typing and feedback on request for one practice text (``FreeText(hints=…, feedback=…)``).

    ``rules`` are ids of ``RULES``; ``example`` is a model text shown with the feedback (profile placeholders such as
    ``{social_media}`` are filled). Why an example: word rules can only point at wording, and a good text to compare
    with teaches what they cannot.
    """

    def __init__(self, rules: Sequence[str], *, example: str = "", min_words: int = 20) -> None:
        unknown = [r for r in rules if r not in RULES]
        if unknown or not rules:
            raise ValueError(f"unknown or no rules: {unknown}; known are {sorted(RULES)}")
        self.rules = tuple(rules)
        self.min_words = min_words
        self.example = active_profile().profile.fill(example) if example else ""

    def findings(self, text: str) -> list[Finding]:
        return check_text(text, self.rules, self.min_words)

    def share(self, text: str) -> float:
        """The share of rules the text meets (0 for an empty text)."""
        if not text.strip():
            return 0.0
        findings = self.findings(text)
        return sum(f.passed for f in findings) / len(findings)

    def hints(self, text: str) -> str:
        """Live hints under the text field: what the tips look for, then ✓ or a suggestion per rule."""
        if not text.strip():
            items = "".join(f"<li>{html.escape(RULES[r].label)}</li>" for r in self.rules)
            return f"<div class='kommfit-hints'><small>Die Tipps achten darauf, ob …</small><ul>{items}</ul></div>"
        items = "".join(_finding_html(f) for f in self.findings(text))
        return f"<div class='kommfit-hints'><small>Tipps zu Ihrem Entwurf:</small><ul>{items}</ul></div>"

    def feedback(self, text: str) -> tuple[float, str]:
        """After "Antwort prüfen": the share met, each rule's result, the example text and a word of caution."""
        share = self.share(text)
        if share >= 1.0:
            verdict = "<p class='kommfit-good'><b>✓ Ihr Text lädt ein, ohne zu drängen.</b></p>"
        elif share > 0:
            verdict = (f"<p class='kommfit-hint'><b>◐ Auf einem guten Weg ({round(share * 100)} % der Tipps "
                       "umgesetzt).</b></p>")
        else:
            verdict = "<p class='kommfit-bad'><b>✗ Hier fehlt noch einiges – die Tipps unten helfen.</b></p>"
        items = "".join(_finding_html(f) for f in self.findings(text))
        example = (
            f"<p><b>Zum Vergleich – so könnte es klingen:</b></p><blockquote>{html.escape(self.example)}</blockquote>"
            if self.example
            else ""
        )
        caution = (
            "<p><small>Die Tipps achten nur auf Wörter. Lesen Sie Ihren Text zum Schluss einmal mit den Augen der "
            "Menschen, die ihn bekommen: Fühlen Sie sich eingeladen oder gedrängt?</small></p>"
        )
        return share, verdict + f"<ul>{items}</ul>" + example + caution

    def __repr__(self) -> str:
        return f"<Schreibtipps: {', '.join(self.rules)}>"
