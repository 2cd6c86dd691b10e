"""The federation pages as a member walks them: search the directory, join a chapter from its
page and leave it, browse the tree a level at a time, a member's profile, the delegates and
the targets; axe on every page and state, screenshots at 1280 and 390 px wide."""

from __future__ import annotations

import datetime as dt
import uuid

import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    chapter_tree,
    elect_uncontested,
    login,
    scan,
    shot,
)

WIDTHS = (1280, 390)


def _member(api: str, admin: str, tag: str) -> tuple[str, str, str]:
    email = f"fed-{tag}-{uuid.uuid4().hex[:4]}@example.org"
    password = "Member-password-1!"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={"email": email, "password": password, "display_name": f"Noor {tag}", "country": "FR"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    me = requests.get(
        f"{api}/api/v1/members/me", headers=bearer(login(api, email, password)), timeout=10
    ).json()
    approved = requests.post(
        f"{api}/api/v1/members/{me['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return email, password, me["id"]


def _look(page, axe_source, artifacts, name: str) -> None:
    """axe at desktop width, then screenshots at each width (the page must not scroll
    sideways on a phone)."""
    scan(page, axe_source, artifacts, f"fed-{name}")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, artifacts, f"fed-{name}-{width}")
        if width < 600:
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width, name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_member_finds_joins_and_leaves_a_chapter_and_reads_the_federation(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    tag = uuid.uuid4().hex[:5]
    tree = chapter_tree(api, admin, tag)
    deadline = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    target = requests.post(
        f"{api}/api/v1/targets",
        headers=bearer(admin),
        json={"name": f"Members {tag}", "kind": "members", "target": 1000, "deadline": deadline},
        timeout=10,
    )
    assert target.status_code == 201, target.text
    email, password, member_id = _member(api, admin, tag)
    admin_id = requests.get(f"{api}/api/v1/members/me", headers=bearer(admin), timeout=10).json()[
        "id"
    ]
    election = elect_uncontested(api, admin, tree["loc"]["id"], admin_id)

    page.goto(web_url + "/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("You are logged in.").wait_for()

    # The directory: search by name, a table of what matches.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Chapters").click()
    page.get_by_role("heading", name="Chapters", level=1).wait_for()
    page.get_by_label("Name or place").fill(f"Loc {tag}")
    page.get_by_label("Level").select_option("local")
    page.get_by_label("Country", exact=True).select_option(label="France")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row").filter(has_text=f"Loc {tag}")
    assert row.count() == 1 and "Local" in row.text_content()
    _look(page, axe_source, artifacts, "directory")

    # The chapter page: breadcrumbs from the international level down, join, then leave.
    page.get_by_role("link", name=f"Loc {tag}").click()
    page.get_by_text("A recorded meeting in the last").wait_for()  # the rule, spelled out
    page.get_by_role("region", name="Delegates").get_by_role(
        "link", name="Administrator", exact=True
    ).wait_for()
    crumbs = page.get_by_role("navigation", name="Breadcrumb").text_content()
    assert crumbs.index(f"Intl {tag}") < crumbs.index(f"Nat {tag}") < crumbs.index(f"Loc {tag}")
    page.get_by_role("button", name="Join this chapter").click()
    page.get_by_text("You joined this chapter.").wait_for()
    page.get_by_text("You are a member of this chapter.").wait_for()
    assert page.get_by_role("link", name=f"Noor {tag}").count() == 1  # in the members list
    _look(page, axe_source, artifacts, "chapter-joined")
    page.get_by_role("button", name="Leave this chapter").click()
    page.get_by_text("You left this chapter.").wait_for()
    page.get_by_role("button", name="Join this chapter").wait_for()

    # A national chapter's page offers to found a local chapter; a missing name is refused
    # beside its field.
    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=f"Nat {tag}").click()
    page.get_by_text(f"Found a local chapter under Nat {tag}").click()
    page.get_by_role("button", name="Found the chapter").click()
    page.get_by_text("Give the new chapter a name.").wait_for()
    _look(page, axe_source, artifacts, "found-error")

    # The tree, a level at a time.
    page.goto(web_url + f"/chapters/tree?at={tree['intl']['id']}")
    page.get_by_role("heading", name=f"Below Intl {tag}").wait_for()
    page.get_by_text(f"Chapters under Nat {tag}").click()
    page.get_by_role("link", name=f"Loc {tag}", exact=True).wait_for()
    _look(page, axe_source, artifacts, "tree")

    # A member's profile, the delegates, the targets.
    page.goto(web_url + f"/members/{member_id}")
    page.get_by_role("heading", name=f"Noor {tag}", level=1).wait_for()
    page.get_by_text("this is you").wait_for()
    _look(page, axe_source, artifacts, "member")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Delegates").click()
    page.get_by_role("heading", name="Who represents whom").wait_for()
    row = page.get_by_role("row").filter(has_text=f"Loc {tag}")
    assert "Administrator" in row.first.text_content()
    page.get_by_role("region", name="Past elections").get_by_role(
        "link", name=election["title"]
    ).first.wait_for()
    _look(page, axe_source, artifacts, "delegates")
    row.first.get_by_role("link", name="Administrator").click()
    page.get_by_role("heading", name="Mandates").wait_for()
    assert f"Loc {tag}" in page.locator("#main").text_content()
    _look(page, axe_source, artifacts, "delegate-profile")
    page.goto(web_url + "/targets")
    card = page.locator(".card").filter(has_text=f"Members {tag}")
    assert "Active members: people who registered and were approved." in card.text_content()
    assert "days left" in card.text_content()
    _look(page, axe_source, artifacts, "targets")

    # Currents: start one through the API, join and leave it from its page.
    current = requests.post(
        f"{api}/api/v1/currents",
        headers=bearer(admin),
        json={"name": f"Greens {tag}", "description": "Gardens on every roof."},
        timeout=10,
    ).json()
    page.goto(web_url + "/currents?q=" + f"Greens {tag}")
    page.get_by_role("link", name=f"Greens {tag}").click()
    page.get_by_role("button", name="Join this current").click()
    page.get_by_text("You joined this current.").wait_for()
    _look(page, axe_source, artifacts, "current")
    page.get_by_role("button", name="Leave this current").click()
    page.get_by_text("You left this current.").wait_for()
    assert current["id"] in page.url
    # (The refused founding answers 422, which the console reports; nothing else may.)
    assert all("422" in error for error in page.console_errors), page.console_errors
