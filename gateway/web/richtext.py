"""Members' text as HTML, safely: paragraphs kept (CRLF or LF, blank lines between them), line
breaks inside a paragraph kept, http(s) addresses made into links, and `@Name` mentions linked
to the member's page. Everything else is escaped: no markup a member types reaches the page."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

URL = re.compile(r"\bhttps?://[^\s<>\"']+", re.IGNORECASE)
TRAILING = ".,;:!?)]}'\""
MENTION = re.compile(r"(?<![\w@])@([^\W_][\w.]{0,59})")


def _link(url: str) -> str:
    core = url.rstrip(TRAILING)
    tail = url[len(core) :]
    return (
        f'<a href="{escape(core)}" rel="nofollow noopener noreferrer ugc">'
        f"{escape(core)}</a>{escape(tail)}"
    )


def _mentions_in(text: str, mentions: dict[str, str]) -> str:
    """Escaped text with known mentions linked to /members/<id>."""
    out, last = [], 0
    for match in MENTION.finditer(text):
        written = match.group(1).rstrip(".")
        member_id = mentions.get(written.lower())
        if member_id is None:
            continue
        end = match.start(1) + len(written)
        out.append(str(escape(text[last : match.start()])))
        out.append(f'<a class="mention" href="/members/{escape(member_id)}">@{escape(written)}</a>')
        last = end
    out.append(str(escape(text[last:])))
    return "".join(out)


def _inline(text: str, mentions: dict[str, str]) -> str:
    out, last = [], 0
    for match in URL.finditer(text):
        out.append(_mentions_in(text[last : match.start()], mentions))
        out.append(_link(match.group(0)))
        last = match.end()
    out.append(_mentions_in(text[last:], mentions))
    return "".join(out)


def paragraphs(text: str | None, mentions: list[dict] | None = None) -> Markup:
    """`text` as <p> paragraphs; `mentions` as the API gives them ([{member_id, handle}])."""
    if not text:
        return Markup("")
    known = {m["handle"].lower(): str(m["member_id"]) for m in mentions or []}
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = [b.strip("\n") for b in re.split(r"\n[ \t]*\n+", normal) if b.strip()]
    html = []
    for block in blocks:
        lines = [_inline(line, known) for line in block.split("\n")]
        html.append("<p>" + "<br>\n".join(lines) + "</p>")
    return Markup("\n".join(html))


def inline(text: str | None) -> Markup:
    """One line of text (a title, an option, a question in a legend): escaped, links clickable,
    line breaks kept as <br> (no paragraphs: it sits inside a heading or a label)."""
    if not text:
        return Markup("")
    normal = str(text).replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    return Markup("<br>".join(_inline(line, {}) for line in normal.split("\n")))
