"""A newsletter's body as text and as HTML, alike in the mail notify sends and on the public
archive the web pages show (one module, so the two cannot drift apart).

Admins write newsletters as plain paragraphs (blank lines between them) and may mark words the
way people write mail: `**strong**`, `_emphasis_` or `*emphasis*`, and `[a link](https://…)`.
The plain-text part shows none of the markers: emphasis is the bare words, a link is
`words <address>`; the HTML shows them as `<strong>`, `<em>` and `<a>`. Paragraphs are kept
in both. Everything is escaped before any mark is turned into HTML, and a link goes only to an
http, https or mailto address (any other `[words](…)` stays text).
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

LINK = re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:)[^\s()<>\"']+)\)", re.IGNORECASE)
# A marked link, or a bare http(s) address (its trailing punctuation left out): either is kept
# whole, so no `_` or `*` inside an address is read as emphasis.
ADDRESS = re.compile(LINK.pattern + r"|\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}"
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def _paragraphs(body: str) -> list[str]:
    normal = body.replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip("\n") for p in PARAGRAPH_BREAK.split(normal) if p.strip()]


def _pieces(line: str) -> list[tuple[str, str | None, str]]:
    """The line cut into (text, None, "") and (label, address, "") or, for a bare address,
    (address, address, trailing punctuation) pieces."""
    out: list[tuple[str, str | None, str]] = []
    last = 0
    for match in ADDRESS.finditer(line):
        out.append((line[last : match.start()], None, ""))
        if match.group(1) is not None:
            out.append((match.group(1), match.group(2), ""))
        else:
            bare = match.group(0)
            core = bare.rstrip(TRAILING)
            out.append((core, core, bare[len(core) :]))
        last = match.end()
    out.append((line[last:], None, ""))
    return out


def _words_text(part: str) -> str:
    part = STRONG.sub(lambda m: m.group(1), part)
    return EMPHASIS.sub(lambda m: m.group(2), part)


def _words_html(part: str) -> str:
    escaped = str(escape(part))
    escaped = STRONG.sub(lambda m: f"<strong>{m.group(1)}</strong>", escaped)
    return EMPHASIS.sub(lambda m: f"<em>{m.group(2)}</em>", escaped)


def _inline_text(line: str) -> str:
    out = []
    for words, url, tail in _pieces(line):
        if url is None:
            out.append(_words_text(words))
        elif words == url:
            out.append(url + tail)
        else:
            label = _words_text(words)
            out.append(url if label == url else f"{label} <{url}>")
    return "".join(out)


def _inline_html(line: str) -> str:
    out = []
    for words, url, tail in _pieces(line):
        if url is None:
            out.append(_words_html(words))
        else:
            label = escape(url) if words == url else _words_html(words)
            out.append(f'<a href="{escape(url)}">{label}</a>{escape(tail)}')
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
