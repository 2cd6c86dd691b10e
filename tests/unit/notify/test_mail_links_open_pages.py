"""Every link a mail carries opens a page of the web front end, never the API's JSON."""

from __future__ import annotations

from services.notify import links


def test_the_results_link_opens_the_polls_page_at_its_results():
    url = links.results_url("https://councils.example/", "0b6c2d9e-0000-4000-8000-000000000001")
    assert url == ("https://councils.example/polls/0b6c2d9e-0000-4000-8000-000000000001#results-h")
    assert "/api/" not in url


def test_every_link_builder_of_the_mail_points_to_a_page():
    made = [
        links.poll_url("https://c.example", "p"),
        links.results_url("https://c.example", "p"),
        links.verify_url("https://c.example", "t"),
        links.reset_url("https://c.example", "t"),
    ]
    assert all("/api/" not in url for url in made)
