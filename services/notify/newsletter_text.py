"""A newsletter's body in each part of the mail.

Admins write newsletters as plain paragraphs (blank lines between them) and may mark words the
way people write mail: `**strong**`, `_emphasis_` or `*emphasis*`, and `[a link](https://…)`.
The plain-text part shows none of the markers: emphasis is the bare words, a link is
`words <address>`; the HTML part shows them as `<strong>`, `<em>` and `<a>`. Paragraphs are kept
in both; anything else is text (escaped in HTML).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s()<>]+)\)", re.IGNORECASE)
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def _paragraphs(body: str) -> list[str]:
    normal = body.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip("\n") for p in PARAGRAPH_BREAK.split(normal) if p.strip()]


def _inline_text(line: str) -> str:
    def words(part: str) -> str:
        part = STRONG.sub(lambda m: m.group(1), part)
        return EMPHASIS.sub(lambda m: m.group(2), part)

    out, last = [], 0
    for match in LINK.finditer(line):
        out.append(words(line[last : match.start()]))
        label, url = words(match.group(1)), match.group(2)
        out.append(url if label == url else f"{label} <{url}>")
        last = match.end()
    out.append(words(line[last:]))
    return "".join(out)


def _inline_html(line: str) -> str:
    def words(part: str) -> str:
        escaped = str(escape(part))
        escaped = STRONG.sub(lambda m: f"<strong>{m.group(1)}</strong>", escaped)
        return EMPHASIS.sub(lambda m: f"<em>{m.group(2)}</em>", escaped)

    out, last = [], 0
    for match in LINK.finditer(line):
        out.append(words(line[last : match.start()]))
        out.append(f'<a href="{escape(match.group(2))}">{words(match.group(1))}</a>')
        last = match.end()
    out.append(words(line[last:]))
    return "".join(out)


def as_text(body: str) -> str:
    """The body for the plain-text part: no markers, links as `words <address>`."""
    return "\n\n".join(
        "\n".join(_inline_text(line) for line in p.split("\n")) for p in _paragraphs(body)
    )


def as_html(body: str) -> Markup:
    """The body for the HTML part: one `<p>` a paragraph, the marks as HTML."""
    return Markup(
        "\n".join(
            "<p>" + "<br>\n".join(_inline_html(line) for line in p.split("\n")) + "</p>"
            for p in _paragraphs(body)
        )
    )
