"""Pages speak the reader's language: plural rules, dates, numbers and lists the local way."""

from __future__ import annotations

from gateway.web import WebSettings, create_web_app
from gateway.web.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from gateway.web.results import _names
from tests.support.webfakes import POLL, FakeGateway


def test_plural_forms_follow_each_language():
    en, fr, es = Translator("en"), Translator("fr"), Translator("es")
    member = ("{n} member", "{n} members")
    assert [en.ngettext(*member, n) for n in (0, 1, 2)] == ["0 members", "1 member", "2 members"]
    # French counts 0 and 1 as singular; Spanish only 1.
    assert [fr.ngettext(*member, n) for n in (0, 1, 2)] == ["0 membre", "1 membre", "2 membres"]
    assert [es.ngettext(*member, n) for n in (0, 1, 2)] == ["0 miembros", "1 miembro", "2 miembros"]
    assert fr.ngettext(*member, 1_000_000) == "1\u202f000\u202f000 membres"
    assert (
        fr.ngettext("Winner: {names}", "Winners: {names}", 2, names="A et B") == "Gagnants : A et B"
    )


def test_dates_numbers_and_lists_in_the_readers_locale():
    fr, en, es = Translator("fr"), Translator("en"), Translator("es")
    moment = "2026-12-02T14:05:00Z"
    assert fr.when(moment) == "2 déc. 2026, 14:05 UTC"
    assert es.format_date("2026-03-04T23:00:00-02:00") == "5 de marzo de 2026"
    assert en.when(moment).startswith("Dec 2, 2026") and en.when(moment).endswith("UTC")
    assert fr.when("not a date") == "not a date" and fr.when(None) == ""
    assert fr.format_decimal(1234.5) == "1\u202f234,5" and en.format_decimal(1234.5) == "1,234.5"
    assert fr.format_decimal(3.0) == "3"
    assert fr.format_percent(0.25) == "25\u00a0%" and en.format_percent(0.25) == "25%"
    assert fr.format_list(["A", "B", "C"]) == "A, B et C"
    assert es.format_list(["A", "B"]) == "A y B"
    assert _names(en, ["A", "B", "C"]) == "A, B, and C" and _names(en, ["A"]) == "A"


def test_the_languages_offered_are_the_catalogues_present():
    assert LANGUAGES[0] == "en" and {"es", "fr"} <= set(LANGUAGES)
    assert {LANGUAGE_NAMES[code] for code in ("en", "es", "fr")} == {
        "English",
        "Español",
        "Français",
    }


def test_a_french_home_page_has_french_dates_plurals_and_numbers():
    app = create_web_app(
        WebSettings(secret_key="test", gateway_url="http://gw"), http=FakeGateway()
    )
    page = app.test_client().get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "1 question" in text and "1 questions" not in text
    assert "clôture le 1 janv. 2030, 00:00 UTC" in text
    assert "4 membres" in text
    poll = app.test_client().get(f"/polls/{POLL['id']}", headers={"Accept-Language": "fr"})
    assert "0 membre sur 3 a voté." in poll.get_data(as_text=True)  # 0 is singular in French
    english = app.test_client().get("/", headers={"Accept-Language": "en"})
    assert "Jan 1, 2030" in english.get_data(as_text=True)


def test_figures_follow_the_language_of_the_request():
    from gateway.web.charts import fmt

    app = create_web_app(
        WebSettings(secret_key="test", gateway_url="http://gw"), http=FakeGateway()
    )
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert fmt(2.5) == "2,5" and fmt(1 / 3) == "0,33" and fmt(4.0) == "4"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert fmt(2.5) == "2.5"
    assert fmt(1234.5) == "1,234.5"  # outside a request: English
