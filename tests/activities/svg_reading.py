"""Reading the explorers' SVG charts in tests: the words a person sees, the shapes, and the colours' contrast."""

from __future__ import annotations

import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    """The chart as XML (fails on markup that is not well-formed, e.g. an unescaped '<' from a company name)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def text_of(text: ET.Element) -> str:
    """One text element's words, its lines joined by a space."""
    return " ".join("".join(span.itertext()) for span in text.iter(f"{NS}tspan"))


def words(root: ET.Element) -> list[str]:
    """Each text element's words, in drawing order."""
    return [text_of(text) for text in root.iter(f"{NS}text")]


def shapes(root: ET.Element, tag: str) -> list[ET.Element]:
    return list(root.iter(f"{NS}{tag}"))


def luminance(colour: str) -> float:
    """WCAG relative luminance of '#rrggbb'."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21)."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
