"""What participants see around the quizzes: texts with profile placeholders and the company's channels and contacts.

Everything here returns HTML strings or widgets and never raises in front of participants: a broken company profile
is shown as a friendly German notice and the module carries on with the default company, so a workshop never stalls
on a typo in ``kurs.toml``.
"""

from __future__ import annotations

import functools
import html
import os
import re
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets

from ..core import runtime
from ..core.headless import quiet_when_grading
from ..core.profile import PROFILE_ENV, Profile, ProfileError, default_profile_path, load_profile
from .access import ACCESS_CSS

STYLE = """<style>
.kommfit-quiz { border-left: 4px solid #1f6f8b; padding: 0.4em 0.9em 0.6em 0.9em; margin: 0.6em 0 1.2em 0;
  background: #f6fafb; max-width: 52em; }
.kommfit-quiz .kommfit-prompt { font-size: 1.02em; }
.kommfit-quiz .widget-radio-box { width: 100%; }
.kommfit-quiz .widget-radio-box label, .kommfit-quiz .widget-checkbox label.widget-label-basic {
  display: flex !important; align-items: flex-start; gap: 0.55em; height: auto !important;
  line-height: 1.35 !important; padding: 0.3em 0; white-space: normal !important; overflow: visible !important; }
.kommfit-quiz .widget-radio-box label { flex-direction: row-reverse; justify-content: flex-end; }
.kommfit-quiz .widget-radio-box input, .kommfit-quiz .widget-checkbox input {
  float: none !important; flex: 0 0 auto; margin: 0.15em 0 0 0 !important; height: auto !important; }
.kommfit-quiz .widget-checkbox span { white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; }
.kommfit-quiz .widget-checkbox { width: 100%; height: auto !important; }
.kommfit-quiz .widget-html-content { line-height: 1.45; }
.kommfit-quiz .kommfit-prompt p { margin: 0.3em 0 0.5em 0; }
.kommfit-reach-table { border-collapse: collapse; margin: 0.5em 0; }
.kommfit-reach-table th, .kommfit-reach-table td { padding: 0.2em 0.9em; text-align: right;
  border-bottom: 1px solid #d5e0e4; }
.kommfit-good { color: #1b6e2a; } .kommfit-bad { color: #a3261b; } .kommfit-hint { color: #8a5a00; }
.kommfit-feedback p { margin: 0.35em 0; }
.kommfit-notice { border: 1px solid #d9a400; background: #fff8e1; padding: 0.5em 0.8em; }
""" + ACCESS_CSS + "</style>"


@dataclass(frozen=True)
class ActiveProfile:
    """The profile to show, and a German notice if the configured one was broken and the default is used instead."""

    profile: Profile
    problem: str | None = None


def active_profile() -> ActiveProfile:
    """The configured profile, read anew for each question (a changed kurs.toml shows at the next cell); in the
    browser once per kernel and folder (``_profile_of_this_page``)."""
    if runtime.in_browser():
        return _profile_of_this_page(Path.cwd(), os.environ.get(PROFILE_ENV))
    return _load_active_profile()


@functools.cache
def _profile_of_this_page(folder: Path, configured: str | None) -> ActiveProfile:
    """In the browser each look at a file is a round trip through the service worker and the page, and finding the
    profile takes four of them — for every question, while the page draws the module. The site's kurs.toml comes
    with the site (``kommfit lite --profile``), and a new site means a new page and kernel, so it is read once."""
    return _load_active_profile()


def _load_active_profile() -> ActiveProfile:
    """Load the configured profile; on error fall back to the default company and keep the German message."""
    try:
        return ActiveProfile(load_profile())
    except ProfileError as error:
        return ActiveProfile(load_profile(default_profile_path()), str(error))


def soft_wrap(text: str) -> str:
    """Authors wrap long texts in the source; a single line break is a space, only blank lines separate paragraphs."""
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def render_inline(text: str, profile: Profile) -> str:
    """Plain German text → safe inline HTML: placeholders filled, ``**bold**`` kept."""
    filled = html.escape(profile.fill(soft_wrap(text)), quote=False)
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", filled).replace("\n\n", "<br><br>")


def render_text(text: str, profile: Profile) -> str:
    """Like ``render_inline``, with blank lines turned into paragraphs."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "".join(f"<p>{render_inline(p, profile)}</p>" for p in paragraphs)


def notice_html(message: str) -> str:
    """A yellow notice box for problems participants should report to the facilitator."""
    return f'<div class="kommfit-notice">⚠️ {html.escape(message)}</div>'


def profile_notice(active: ActiveProfile) -> str:
    if not active.problem:
        return ""
    return notice_html(
        active.problem + " Bis das korrigiert ist, zeigt der Kurs das Beispielunternehmen. "
        "Bitte sagen Sie Ihrer Kursleitung Bescheid."
    )


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th style='text-align:left;padding:0.2em 0.8em 0.2em 0'>{h}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td style='padding:0.2em 0.8em 0.2em 0;vertical-align:top'>{c}</td>" for c in row) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def channels_html(profile: Profile) -> str:
    """The company's external channels as a table with links."""
    rows = [
        [
            f'<a href="{html.escape(c.adresse)}" target="_blank" rel="noopener">{html.escape(c.name)}</a>',
            html.escape(c.zweck),
            html.escape(c.zielgruppe),
        ]
        for c in profile.kanaele
    ]
    return _table(["Kanal", "Wofür", "Für wen"], rows)


def tools_html(profile: Profile) -> str:
    """The company's internal tools and what each one is for."""
    rows = [[f"<b>{html.escape(t.name)}</b>", html.escape(t.zweck)] for t in profile.werkzeuge]
    return _table(["Werkzeug", "Wofür"], rows)


def contacts_html(profile: Profile) -> str:
    """Who to ask: social-media team, data protection, works council."""
    labels = {"social_media": "Fragen zu Social Media", "datenschutz": "Datenschutz", "betriebsrat": "Betriebsrat"}
    rows = []
    for role, label in labels.items():
        contact = profile.kontakte[role]
        reach = " · ".join(html.escape(x) for x in (contact.email, contact.telefon) if x)
        rows.append([label, html.escape(contact.name), reach])
    return _table(["Thema", "Ansprechpartner", "Erreichbar"], rows)


class Panel(widgets.HTML):
    """An HTML widget with a short, stable text form, so notebook outputs compare equal across runs (nbval)."""

    def __init__(self, value: str, label: str) -> None:
        quiet_when_grading()
        super().__init__(value)
        self.add_class("kommfit-panel")  # kommfit's own output, e.g. for the accessibility test
        self._label = label

    def __repr__(self) -> str:
        return f"<{self._label}>"


def show_company(*parts: str) -> Panel:
    """A widget with the active company's name and the requested parts: 'kanaele', 'werkzeuge', 'kontakte'."""
    active = active_profile()
    renderers = {"kanaele": channels_html, "werkzeuge": tools_html, "kontakte": contacts_html}
    unknown = [p for p in parts if p not in renderers]
    if unknown:
        raise ValueError(f"unknown parts: {unknown}")
    body = "".join(renderers[p](active.profile) for p in parts)
    return Panel(STYLE + profile_notice(active) + body, f"Firmenprofil: {', '.join(parts)}")


def show_text(text: str, *, nur_wenn_boersennotiert: bool = False) -> Panel:
    """A paragraph that needs the company's name or contacts (markdown cells cannot read the profile).

    ``nur_wenn_boersennotiert``: the text applies to listed companies only (insider rules of the MAR); for any other
    company the panel stays empty, so nobody learns a rule that does not concern them.
    """
    active = active_profile()
    if nur_wenn_boersennotiert and not active.profile.boersennotiert:
        return Panel(profile_notice(active), "Text für börsennotierte Unternehmen (hier nicht zutreffend)")
    return Panel(profile_notice(active) + render_text(text, active.profile), "Text mit Firmenangaben")
