"""Text members typed, shown as they typed it: paragraphs kept, line breaks kept, web links
clickable — and nothing else: every character is escaped first, so no text can add HTML.

`paragraphs(text)` is the `paragraphs` filter of the templates.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# http(s) links only (never javascript: or data:); a trailing full stop, comma, bracket or
# quote belongs to the sentence, not to the link.
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"


def _line(text: str) -> str:
    """One line: each piece escaped, each http(s) link an <a> whose href is the escaped URL."""
    out, at = [], 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if len(url) <= len("https://"):
            continue
        out.append(str(escape(text[at:match.start()])))
        safe = str(escape(url))
        out.append(f'<a href="{safe}" rel="nofollow noopener noreferrer">{safe}</a>')
        at = match.start() + len(url)
    out.append(str(escape(text[at:])))
    return "".join(out)


def paragraphs(text: str | None) -> Markup:
    """<p> per paragraph (a blank line between), <br> per line break inside one; links as <a>."""
    if not text:
        return Markup("")
    normal = str(text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n+", normal)]
    html = []
    for block in blocks:
        if not block.strip():
            continue
        lines = [_line(line) for line in block.split("\n")]
        html.append("<p>" + "<br>".join(lines) + "</p>")
    return Markup("\n".join(html))


def inline(text: str | None) -> Markup:
    """One line of text (a title, an option, a question in a legend): escaped, links clickable,
    line breaks kept as <br> (no paragraphs: it sits inside a heading or a label)."""
    if not text:
        return Markup("")
    normal = str(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return Markup("<br>".join(_line(line) for line in normal.split("\n")))
