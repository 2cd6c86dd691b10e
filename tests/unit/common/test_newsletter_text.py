"""A newsletter's marks (`**strong**`, `_emphasis_`, `[words](address)`) in the one module the
mail and the web archive share: gone from the text, HTML in the HTML, and nothing a writer
types becomes markup of its own."""

from __future__ import annotations

from services.common.newsletter_text import as_html, as_text

BODY = (
    "Our **big** news: the _assembly_ meets.\n"
    "See [the agenda](https://example.org/agenda?x=1&y=2) or https://example.org/a_b_c.\n\n"
    "Write to [the office](mailto:office@example.org), snake_case_name kept, *one* more."
)


def test_the_text_shows_no_marker():
    assert as_text(BODY) == (
        "Our big news: the assembly meets.\n"
        "See the agenda <https://example.org/agenda?x=1&y=2> or https://example.org/a_b_c.\n\n"
        "Write to the office <mailto:office@example.org>, snake_case_name kept, one more."
    )


def test_the_html_shows_the_marks_as_html():
    html = str(as_html(BODY))
    assert html == (
        "<p>Our <strong>big</strong> news: the <em>assembly</em> meets.<br>\n"
        'See <a href="https://example.org/agenda?x=1&amp;y=2">the agenda</a> or '
        '<a href="https://example.org/a_b_c">https://example.org/a_b_c</a>.</p>\n'
        '<p>Write to <a href="mailto:office@example.org">the office</a>, snake_case_name kept, '
        "<em>one</em> more.</p>"
    )


def test_markup_typed_in_a_newsletter_stays_text():
    html = str(
        as_html(
            '<script>alert(1)</script> **<b onclick="x">bold</b>**\n'
            "[click](javascript:alert(1)) [data](data:text/html,<svg>) "
            '[quote](https://a.org/"onmouseover="alert(1)) _<i>_'
        )
    )
    assert "<script>" not in html and "<b " not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>&lt;b onclick=&#34;x&#34;&gt;bold&lt;/b&gt;</strong>" in html
    assert 'href="javascript' not in html and 'href="data' not in html
    assert "[click](javascript:alert(1))" in html  # not a link: left as the writer typed it
    assert "onmouseover=" not in html.replace("&#34;onmouseover=&#34;", "")
    assert all(href.startswith(('"https://', '"mailto:')) for href in html.split("href=")[1:])
