"""Members' text on the page: paragraphs kept, links clickable only for http(s), mentions
linked, and nothing typed becomes markup."""

from __future__ import annotations

from gateway.web.richtext import paragraphs


def test_paragraphs_survive_crlf_and_lf():
    html = paragraphs("First line\r\nsame paragraph\r\n\r\nSecond\n\n\nThird")
    assert html == "<p>First line<br>\nsame paragraph</p>\n<p>Second</p>\n<p>Third</p>"


def test_script_and_markup_are_shown_as_text():
    html = paragraphs('<script>alert(1)</script> <a href="x">y</a>')
    assert "<script>" not in html and "<a " not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_only_http_links_are_clickable_and_trailing_punctuation_stays_outside():
    html = paragraphs(
        "See https://example.org/a?b=1&c=2. Not javascript:alert(1) nor data:text/html,x"
    )
    assert (
        '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer ugc">'
        "https://example.org/a?b=1&amp;c=2</a>."
    ) in html
    assert html.count("<a ") == 1 and 'href="javascript' not in html


def test_a_quote_cannot_break_out_of_the_link():
    html = paragraphs('https://example.org/"onmouseover="alert(1)')
    assert 'onmouseover="' not in html


def test_known_mentions_link_to_the_member_and_unknown_stay_text():
    mentions = [{"member_id": "m-1", "handle": "AnaGarcía"}]
    html = paragraphs("Thanks @anagarcía. And @nobody, mail@example.org", mentions)
    assert '<a class="mention" href="/members/m-1">@anagarcía</a>.' in html
    assert "@nobody" in html and html.count("<a ") == 1
