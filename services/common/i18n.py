"""Message catalogues in gettext's `.po`/`.mo` files, shared by the web pages and notify's mail.

A catalogue directory holds one `<lang>/LC_MESSAGES/messages.po` per language (English, the
language of the message ids, needs none): the languages offered are the files present. Each
`.po` is compiled to its `.mo` at install (`make install`, the Containerfile); if a `.mo` is
missing or older than its `.po` (a fresh clone, an edited translation), it is compiled here in
memory, and written beside the `.po` when the directory is writable.

`extract_python` is the extractor `babel.cfg` names for Python sources: besides `_("...")`,
`N_("...")` and `ngettext(...)` it finds `translator()("...")` and `t.ngettext(...)` calls.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import io
import logging
import os
import tempfile
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Literal

from babel import Locale, dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
DOMAIN = "messages"


class Catalogues:
    """The translations found under `directory` (one sub-directory per language)."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def po_path(self, language: str) -> Path:
        return self.directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"

    @functools.cached_property
    def languages(self) -> tuple[str, ...]:
        """English first, then every language that has a `.po` file, in alphabetical order."""
        found = sorted(
            p.parent.parent.name for p in self.directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        )
        return (DEFAULT_LANGUAGE, *(lang for lang in found if lang != DEFAULT_LANGUAGE))

    def supported(self, language: str | None) -> str:
        """The supported language closest to `language` ('es-AR' → 'es'), else English."""
        if not language:
            return DEFAULT_LANGUAGE
        primary = language.strip().lower().replace("_", "-").split("-")[0]
        return primary if primary in self.languages else DEFAULT_LANGUAGE

    def best(self, requested: str | None, accept: Iterable[str]) -> str:
        """The requested language if supported, else the first supported one accepted."""
        if requested in self.languages:
            return requested
        for tag in accept:
            base = tag.split("-")[0].lower()
            if base in self.languages:
                return base
        return DEFAULT_LANGUAGE

    def translations(self, language: str) -> NullTranslations:
        return _load(str(self.directory), self.supported(language))

    def compile_all(self) -> list[Path]:
        """Compile every `.po` whose `.mo` is missing or stale; returns the `.mo` written."""
        written = []
        for language in self.languages[1:]:
            po = self.po_path(language)
            mo = po.with_suffix(".mo")
            if _stale(po, mo):
                _write_atomically(mo, compile_po(po))
                written.append(mo)
        return written


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers in other processes see the old file or the new one, never half of one."""
    with tempfile.NamedTemporaryFile(
        dir=path.parent, prefix=".", suffix=".tmp", delete=False
    ) as tmp:
        tmp.write(data)
    try:
        os.replace(tmp.name, path)
    except OSError:
        os.unlink(tmp.name)
        raise


def _stale(po: Path, mo: Path) -> bool:
    return not mo.is_file() or mo.stat().st_mtime < po.stat().st_mtime


def compile_po(po: Path) -> bytes:
    """The `.mo` bytes of a `.po` file (fuzzy entries left out, as msgfmt does)."""
    with po.open("rb") as source:
        catalog = read_po(source, locale=po.parent.parent.name)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@functools.cache
def _load(directory: str, language: str) -> NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    po = Catalogues(directory).po_path(language)
    mo = po.with_suffix(".mo")
    if not po.exists():
        return NullTranslations()
    if _stale(po, mo):
        data = compile_po(po)
        try:
            _write_atomically(mo, data)
        except OSError:  # a read-only install: keep the compiled catalogue in memory
            log.info("compiled %s in memory", po)
        return Translations(io.BytesIO(data), domain=DOMAIN)
    with mo.open("rb") as fp:
        return Translations(fp, domain=DOMAIN)


# --- dates in the reader's locale -----------------------------------------------------------

DateFormat = Literal["full", "long", "medium", "short"]
MOMENT_FORMATS = ("%Y-%m-%d %H:%M UTC",)  # how notify stored instants before it formatted them


def parse_moment(value: object) -> dt.datetime | None:
    """An aware datetime from a datetime, an ISO timestamp ('...Z' too) or '2030-01-02 18:00
    UTC'; None when it is none of these."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str) and value:
        try:
            moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            for pattern in MOMENT_FORMATS:
                try:
                    moment = dt.datetime.strptime(value, pattern)
                    break
                except ValueError:
                    continue
            else:
                return None
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def format_datetime(value: object, language: str, format: DateFormat = "medium") -> str:
    """An instant as people who speak `language` read it, in UTC: '2 déc. 2026, 14:05 UTC';
    text that is not an instant comes back unchanged. Timestamps given as text (as the API
    sends them: a page of the discussion shows dozens, the same on every view) are kept."""
    if isinstance(value, str):
        return _format_text(value, language, format)
    return _format_datetime(value, language, format)


@functools.lru_cache(maxsize=4096)
def _format_text(value: str, language: str, format: DateFormat) -> str:
    return _format_datetime(value, language, format)


def _format_datetime(value: object, language: str, format: DateFormat) -> str:
    moment = parse_moment(value)
    if moment is None:
        return "" if value is None else str(value)
    locale = Locale.parse(language)
    moment = moment.astimezone(dt.UTC)
    day = dates.format_date(moment.date(), format=format, locale=locale)
    time = dates.format_time(moment.time(), format="short", locale=locale)
    pattern = str(dates.get_datetime_format(format, locale=locale))
    return pattern.replace("{1}", day).replace("{0}", f"{time} UTC")


# --- extraction (babel.cfg: `[services.common.i18n:extract_python: **.py]`) -----------------

SINGULAR = {"_", "gettext", "N_"}
PLURAL = {"ngettext"}


def _strings(args: list[ast.expr], count: int) -> tuple[str, ...] | None:
    values = [
        a.value for a in args[:count] if isinstance(a, ast.Constant) and isinstance(a.value, str)
    ]
    return tuple(values) if len(values) == count else None


def _call_kind(func: ast.expr) -> tuple[str, int] | None:
    if isinstance(func, ast.Name) and func.id in SINGULAR:
        return func.id, 1
    if isinstance(func, ast.Name | ast.Attribute):
        name = func.id if isinstance(func, ast.Name) else func.attr
        if name in PLURAL:
            return name, 2
    if (
        isinstance(func, ast.Call)
        and isinstance(func.func, ast.Name)
        and func.func.id == "translator"
    ):
        return "_", 1
    return None


Extracted = tuple[int, str, str | tuple[str, ...], list[str]]


def extract_python(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method: (lineno, funcname, message(s), comments) for each call."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        kind = _call_kind(node.func)
        if kind is None:
            continue
        strings = _strings(node.args, kind[1])
        if strings is not None:
            yield node.lineno, kind[0], strings[0] if kind[1] == 1 else strings, []
