"""Every string the pages show exists in English, Spanish and French."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

from gateway.web.i18n import CATALOGUES, LANGUAGES

WEB = Path(__file__).resolve().parents[3] / "gateway" / "web"
TEMPLATE_CALL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def _python_messages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        named = isinstance(func, ast.Name) and func.id == "_"
        called = (isinstance(func, ast.Call) and isinstance(func.func, ast.Name)
                  and func.func.id == "translator")
        first = node.args[0]
        if (named or called) and isinstance(first, ast.Constant) and isinstance(first.value,
                                                                               str):
            found.add(first.value)
    return found


def messages() -> set[str]:
    found: set[str] = set()
    for path in WEB.rglob("*.py"):
        found |= _python_messages(path)
    for path in (WEB / "templates").glob("*.html"):
        for double, single in TEMPLATE_CALL.findall(path.read_text()):
            found.add(double or single)
    return found


def test_every_message_is_translated_in_every_language():
    found = messages()
    assert len(found) > 200  # the extraction works
    for language in LANGUAGES:
        if language == "en":
            continue
        missing = sorted(found - set(CATALOGUES[language]))
        assert not missing, f"{language} lacks {len(missing)}: {missing[:20]}"


def test_translations_keep_their_placeholders():
    names = string.Formatter()
    for language, catalogue in CATALOGUES.items():
        for message, text in catalogue.items():
            wanted = {f for _l, f, _s, _c in names.parse(message) if f}
            given = {f for _l, f, _s, _c in names.parse(text) if f}
            assert wanted == given, (language, message, text)
