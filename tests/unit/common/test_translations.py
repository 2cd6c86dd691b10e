"""The message catalogues (.po) of the web pages and of notify's mail are complete, keep their
placeholders, and list exactly the messages the code uses; a language is a `.po` file."""

from __future__ import annotations

import os
import re
import shutil
import string
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from services.common.i18n import Catalogues

ROOT = Path(__file__).resolve().parents[3]
DOMAINS = {"web": ROOT / "gateway" / "web", "notify": ROOT / "services" / "notify"}
PERCENT = re.compile(r"%\((\w+)\)[sd]")


def _catalogues():
    for name, source in DOMAINS.items():
        for language in Catalogues(source / "translations").languages[1:]:
            yield pytest.param(source, language, id=f"{name}-{language}")


def placeholders(text: str) -> set[str]:
    braces = {field for _l, field, _s, _c in string.Formatter().parse(text) if field}
    return braces | {f"%({name})" for name in PERCENT.findall(text)}


def problems(po: Path) -> list[str]:
    """What makes a .po unfit to ship: untranslated or fuzzy entries, placeholders changed."""
    with po.open("rb") as fp:
        catalog = read_po(fp)
    # What `pybabel compile` refuses (e.g. "{p} % of" read as a %-format), and so the install.
    found = [
        f"refused by compile: {message.id!r}: {'; '.join(map(str, errors))}"
        for message, errors in catalog.check()
    ]
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        if not all(texts):
            found.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = placeholders(ids[-1])
        for text in texts:
            if placeholders(text) != wanted:
                found.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    return found


def extracted(source: Path, tmp_path: Path) -> set:
    pot = tmp_path / f"{source.name}.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(source / "babel.cfg"),
            "-o",
            str(pot),
            str(source.relative_to(ROOT)),
        ]
    )
    with pot.open("rb") as fp:
        return {m.id for m in read_po(fp) if m.id}


def test_the_pages_and_the_mail_speak_the_same_languages():
    web, notify = (Catalogues(source / "translations").languages for source in DOMAINS.values())
    assert web == notify and {"en", "es", "fr"} <= set(web)


@pytest.mark.parametrize("source, language", list(_catalogues()))
def test_every_message_is_translated_with_its_placeholders(source, language):
    po = Catalogues(source / "translations").po_path(language)
    assert problems(po) == []


@pytest.mark.parametrize("source", list(DOMAINS.values()), ids=list(DOMAINS))
def test_po_files_list_exactly_the_messages_of_the_code(source, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    wanted = extracted(source, tmp_path)
    assert len(wanted) > 40  # the extraction found the code's messages
    catalogues = Catalogues(source / "translations")
    for language in catalogues.languages[1:]:
        with catalogues.po_path(language).open("rb") as fp:
            present = {m.id for m in read_po(fp) if m.id}
        assert not wanted - present, f"{language}: run `make messages`: {wanted - present}"
        assert not present - wanted, f"{language}: no longer used: {present - wanted}"


def test_the_check_finds_untranslated_fuzzy_and_changed_placeholders(tmp_path):
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
        'msgid "Round {n}"\nmsgstr "Tour {m}"\n\n'
        'msgid "Hello %(name)s,"\nmsgstr "Bonjour,"\n\n'
        '#, fuzzy\nmsgid "Home"\nmsgstr "Accueil"\n\n'
        'msgid "Log in"\nmsgstr ""\n\n'
        'msgid "{n} member"\nmsgid_plural "{n} members"\nmsgstr[0] "{n} membre"\n'
        'msgstr[1] ""\n',
        encoding="utf-8",
    )
    found = problems(po)
    assert any("placeholders differ: 'Round {n}'" in p for p in found)
    assert any("placeholders differ: 'Hello %(name)s,'" in p for p in found)
    assert "fuzzy: 'Home'" in found
    assert "untranslated: 'Log in'" in found
    assert "untranslated: '{n} member'" in found


def test_a_language_is_a_po_file_compiled_on_first_use(tmp_path):
    """A new .po is offered at once; a missing or stale .mo is (re)compiled when loaded."""
    web = DOMAINS["web"] / "translations"
    target = tmp_path / "de" / "LC_MESSAGES"
    target.mkdir(parents=True)
    text = (web / "fr" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    text = text.replace('msgstr "Accueil"', 'msgstr "Startseite"').replace(
        "Language: fr", "Language: de"
    )
    (target / "messages.po").write_text(text, encoding="utf-8")
    catalogues = Catalogues(tmp_path)
    assert catalogues.languages == ("en", "de")
    assert catalogues.best(None, ["de-AT", "fr"]) == "de"
    assert catalogues.translations("de").gettext("Home") == "Startseite"
    assert (target / "messages.mo").exists()
    assert catalogues.supported("pt-BR") == "en"


def test_a_stale_mo_is_recompiled(tmp_path):
    shutil.copytree(DOMAINS["notify"] / "translations" / "fr", tmp_path / "fr")
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    mo = po.with_suffix(".mo")
    mo.unlink(missing_ok=True)
    assert Catalogues(tmp_path).compile_all() == [mo]
    po.write_text(
        po.read_text(encoding="utf-8").replace('"Votez ici :"', '"Votez donc ici :"'),
        encoding="utf-8",
    )
    os.utime(mo, (po.stat().st_mtime - 10, po.stat().st_mtime - 10))
    assert Catalogues(tmp_path).translations("fr").gettext("Vote here:") == "Votez donc ici :"


def test_a_catalogue_that_cannot_be_written_is_compiled_in_memory(tmp_path):
    """A read-only install (the container's root filesystem) still speaks the language."""
    shutil.copytree(DOMAINS["notify"] / "translations" / "es", tmp_path / "es")
    mo = tmp_path / "es" / "LC_MESSAGES" / "messages.mo"
    mo.unlink(missing_ok=True)
    mo.mkdir()  # where the .mo would go nothing can be written
    assert Catalogues(tmp_path).translations("es").gettext("Vote here:") == "Vota aquí:"
    assert sorted(p.name for p in mo.parent.iterdir()) == ["messages.mo", "messages.po"]
