"""The discussion under a poll and the proposals, walked as members do in a real Chromium with
axe on every page and state: read, reply, like, mention, edit within the window, report, sort
best first; a moderator hides comments from the discussion and from /admin/moderation (on a
phone, through the Menu); draft, edit and withdraw a proposal; a thousand comments stay paged
and fast."""

from __future__ import annotations

import hashlib
import time
import uuid

import psycopg2
import requests

from tests.e2e.web.helpers import (
    ADMIN,
    bearer,
    closes_in,
    log_in_page,
    login,
    scan,
    shot,
    tab_to,
)
from tests.support.wait import wait_for

PASSWORD = "Member-password-1!"
WIDTHS = (1280, 390)


def _member(api: str, admin: str, name: str) -> dict:
    email = f"disc-{uuid.uuid4().hex[:8]}@example.org"
    made = requests.post(
        f"{api}/api/v1/auth/register",
        json={"email": email, "password": PASSWORD, "display_name": name, "country": "FR"},
        timeout=10,
    )
    assert made.status_code == 201, made.text
    me = requests.get(
        f"{api}/api/v1/members/me", headers=bearer(login(api, email, PASSWORD)), timeout=10
    ).json()
    approved = requests.post(
        f"{api}/api/v1/members/{me['id']}/approve", headers=bearer(admin), timeout=10
    )
    assert approved.status_code == 200, approved.text
    return {"id": me["id"], "email": email, "token": login(api, email, PASSWORD), "name": name}


def _poll(api: str, admin: str, title: str) -> dict:
    created = requests.post(
        f"{api}/api/v1/polls",
        headers=bearer(admin),
        timeout=10,
        json={
            "title": title,
            "scope": {"type": "organisation"},
            "closes_at": closes_in(2),
            "questions": [
                {"text": "Picnic on Sunday?", "method": "majority", "options": ["Yes", "No"]}
            ],
        },
    )
    assert created.status_code == 201, created.text
    return created.json()


def _log_in(page, web_url, email, password):
    log_in_page(page, web_url, email, password)
    page.get_by_text("You are logged in.").wait_for()


def _shots(page, artifacts, name):
    """The page at 1280 and 390 px wide, each scanned by axe and kept as a screenshot."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, artifacts, f"disc-{name}-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})


def _wait_for_name(api, base, comment_id, name, wait_s=30):
    """Members' names reach polls through events: wait until the discussion shows this one."""
    wait_for(
        lambda: (
            requests.get(f"{api}{base}/{comment_id}", timeout=10).json().get("author_name") == name
        ),
        wait_s,
        f"{name} to reach the polls service",
        0.3,
    )


def test_members_read_reply_like_mention_edit_report_and_sort(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    alice = _member(api, admin, "Alice Dupont")
    bob = _member(api, admin, "Bob Martin")
    poll = _poll(api, admin, f"Picnic {uuid.uuid4().hex[:4]}")
    base = f"/api/v1/polls/{poll['id']}/comments"
    body = (
        "Bring fruit.\r\nAnd water.\r\n\r\n<script>alert('x')</script> "
        "[click](javascript:alert(1)) javascript:alert(2) see https://example.org/picnic."
    )
    first = requests.post(
        api + base, json={"body": body}, headers=bearer(alice["token"]), timeout=10
    ).json()
    _wait_for_name(api, base, first["id"], "Alice Dupont")
    older = requests.post(
        api + base, json={"body": "An older thought."}, headers=bearer(alice["token"]), timeout=10
    ).json()

    _log_in(page, web_url, bob["email"], PASSWORD)
    page.goto(f"{web_url}/polls/{poll['id']}")
    item = page.locator(f"#c-{first['id']}")
    text = item.locator(".comment-body")
    assert text.locator("p").count() == 2  # the paragraph typed with CRLF is kept
    assert "<script>alert('x')</script>" in text.text_content()
    assert page.locator("#discussion script").count() == 0
    links = text.locator("a")
    assert links.count() == 1 and links.get_attribute("href") == "https://example.org/picnic"
    scan(page, axe_source, artifacts, "disc-poll")
    _shots(page, artifacts, "poll")

    # Likes Alice's comment: the count and the pressed state say so.
    item.get_by_role("button", name="Like").first.click()
    liked = page.locator(f"#c-{first['id']}").get_by_role("button", name="Like").first
    assert liked.get_attribute("aria-pressed") == "true"
    assert liked.locator(".count").text_content() == "1"

    # Replies by keyboard, mentioning her: one reply form, opened under her comment by its
    # "Reply" link (the page scrolls to it; Tab reaches its field); the mention links to her
    # page.
    assert page.locator("form#reply").count() == 0
    item.get_by_role("link", name="Reply").focus()
    page.keyboard.press("Enter")
    reply = page.locator(f"#c-{first['id']} form#reply")
    reply.wait_for()
    assert page.locator("form#reply").count() == 1
    page.keyboard.press("Tab")
    field = item.get_by_label("Your reply to Alice Dupont")
    assert field.evaluate("e => e === document.activeElement")
    scan(page, axe_source, artifacts, "disc-poll-reply")
    page.keyboard.type("Agreed, @AliceDupont. Bring tea too.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Post reply
    page.get_by_text("Your comment is posted.").wait_for()
    mention = page.locator(f"#c-{first['id']} .replies a.mention")
    assert mention.get_attribute("href") == f"/members/{alice['id']}"
    scan(page, axe_source, artifacts, "disc-poll-replied")

    # Posts a comment, then corrects it within the window.
    page.get_by_label("Your comment", exact=True).fill("Sunday suits me.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()
    mine = page.locator(".comments > li.comment").first
    assert "Sunday suits me." in mine.text_content()
    mine.get_by_role("link", name="Edit").click()
    page.get_by_role("heading", name="Edit your comment").wait_for()
    page.get_by_label("Your comment").fill("")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Write your comment.").first.wait_for()  # beside its field
    scan(page, axe_source, artifacts, "disc-edit-error")
    _shots(page, artifacts, "edit-error")
    page.get_by_label("Your comment").fill("Sunday suits me, after 11.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Your comment is updated.").wait_for()
    mine = page.locator(".comments > li.comment").first
    assert "after 11" in mine.text_content() and "edited" in mine.text_content()
    assert page.locator(f"#c-{older['id']}").get_by_role("link", name="Edit").count() == 0

    # Best first puts the liked comment on top; newest first put Bob's there.
    page.get_by_role("link", name="Best first").click()
    assert page.locator(".comments > li.comment").first.get_attribute("id") == f"c-{first['id']}"
    assert page.get_by_role("link", name="Best first").get_attribute("aria-current") == "true"
    scan(page, axe_source, artifacts, "disc-best-first")

    # Reports Alice's older comment to the moderators.
    page.locator(f"#c-{older['id']}").get_by_role("link", name="Report").click()
    assert "An older thought." in page.locator("figure.reported").text_content()
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("Say what is wrong with this comment.").first.wait_for()
    scan(page, axe_source, artifacts, "disc-report-error")
    _shots(page, artifacts, "report-error")
    page.get_by_label("What is wrong with it?").fill("Off topic.")
    page.get_by_role("button", name="Send the report").click()
    page.get_by_text("the moderators will look at this comment").wait_for()
    reports = requests.get(
        f"{api}/api/v1/comment-reports", headers=bearer(admin), timeout=10
    ).json()["reports"]
    assert any(r["comment_id"] == older["id"] and r["reasons"] == ["Off topic."] for r in reports)

    assert page.locator(f"#c-{older['id']}").get_by_role("link", name="Hide").count() == 0

    # A moderator hides it with a public reason, shown instead of its text.
    page.get_by_role("button", name="Log out").click()
    _log_in(page, web_url, *ADMIN)
    page.goto(f"{web_url}/polls/{poll['id']}")
    page.locator(f"#c-{older['id']}").get_by_role("link", name="Hide").click()
    page.get_by_role("button", name="Hide the comment").click()
    page.get_by_text("Give the reason members will read in its place.").first.wait_for()
    scan(page, axe_source, artifacts, "disc-hide-error")
    page.get_by_label("The reason members will read in its place").fill("Off topic")
    page.get_by_role("button", name="Hide the comment").click()
    page.get_by_text("The comment is hidden").wait_for()
    assert "Reason: Off topic" in page.locator(f"#c-{older['id']}").text_content()
    assert "An older thought." not in page.content()
    scan(page, axe_source, artifacts, "disc-hidden")
    _shots(page, artifacts, "poll-after")
    _moderate_from_the_desk(page, api, web_url, base, alice, bob, older, axe_source, artifacts)


def _moderate_from_the_desk(page, api, web_url, base, alice, bob, older, axe_source, artifacts):
    """On a phone the moderator opens the menu, goes to /admin/moderation and hides a reported
    comment there with a public reason; the comment hidden earlier is off the list."""
    rude = requests.post(
        api + base, json={"body": "You are all fools."}, headers=bearer(alice["token"]), timeout=10
    ).json()
    reported = requests.post(
        f"{api}{base}/{rude['id']}/report",
        json={"reason": "Insulting."},
        headers=bearer(bob["token"]),
        timeout=10,
    )
    assert reported.status_code in (200, 201), reported.text
    page.set_viewport_size({"width": 390, "height": 844})
    nav = page.get_by_role("navigation", name="Main")
    assert not nav.get_by_role("link", name="Moderation").is_visible()
    nav.get_by_text("Menu").click()
    nav.get_by_role("link", name="Moderation").click()
    page.get_by_role("heading", level=1, name="Moderation").wait_for()
    entry = page.locator(f"#report-{rude['id']}")
    assert "You are all fools." in entry.locator("blockquote").text_content()
    assert "Insulting." in entry.text_content()
    assert page.locator(f"#report-{older['id']}").count() == 0  # hidden: its reports resolved
    entry.get_by_role("button", name="Hide with a public reason").click()
    page.get_by_text("Give the reason members will read in its place.").first.wait_for()
    scan(page, axe_source, artifacts, "disc-moderation-error-390")
    _shots(page, artifacts, "moderation-error")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(f"#report-{rude['id']}").get_by_label(
        "The reason members will read in its place"
    ).fill("Insults other members")
    page.locator(f"#report-{rude['id']}").get_by_role(
        "button", name="Hide with a public reason"
    ).click()
    page.get_by_text("The comment is hidden").wait_for()
    assert page.locator(f"#report-{rude['id']}").count() == 0
    scan(page, axe_source, artifacts, "disc-moderation-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    scan(page, axe_source, artifacts, "disc-moderation")
    _shots(page, artifacts, "moderation")
    hidden = requests.get(f"{api}{base}/{rude['id']}", timeout=10).json()
    assert hidden["hidden"] and hidden["hidden_reason"] == "Insults other members"


def test_a_member_drafts_edits_and_withdraws_a_proposal(
    page, stack, web_url, axe_source, artifacts
):
    api = stack.url
    admin = login(api, *ADMIN)
    carol = _member(api, admin, "Carol Reyes")
    _log_in(page, web_url, carol["email"], PASSWORD)
    page.goto(web_url + "/proposals")
    scan(page, axe_source, artifacts, "disc-proposals")
    page.get_by_role("link", name="Draft a proposal").click()
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Give the proposal a title.").first.wait_for()
    scan(page, axe_source, artifacts, "disc-proposal-errors")
    _shots(page, artifacts, "proposal-errors")
    title = f"Buy a tent {uuid.uuid4().hex[:4]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("The question").fill("Which tent?")
    page.get_by_label("Explanation, or the consensus text").fill(
        "We camp twice a year.\n\nRenting costs more."
    )
    page.get_by_label("Options, one per line (for a question)").fill("Small\nLarge")
    page.get_by_label("The whole organisation").check()
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Your proposal is saved as a draft.").wait_for()
    page.get_by_role("heading", level=1, name=title).wait_for()
    assert page.locator(".proposal-text p").count() == 2
    assert "The admins may open it as a poll." in page.content()
    assert page.get_by_role("button", name="Open as a poll").count() == 0  # not hers to open
    scan(page, axe_source, artifacts, "disc-proposal")
    _shots(page, artifacts, "proposal")
    proposal_url = page.url

    page.get_by_role("link", name="Edit the proposal").click()
    page.get_by_label("Title").fill(title + " for four")
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_text("Your proposal is updated.").wait_for()
    page.get_by_role("heading", level=1, name=title + " for four").wait_for()

    page.get_by_label("Your comment", exact=True).fill("Large, we are growing.")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Your comment is posted.").wait_for()

    page.get_by_role("button", name="Withdraw the proposal").click()
    page.get_by_text("This proposal was withdrawn.").wait_for()
    assert page.get_by_role("link", name="Edit the proposal").count() == 0
    scan(page, axe_source, artifacts, "disc-proposal-withdrawn")

    # An admin sees the "open as a poll" action on a draft.
    draft = requests.post(
        f"{api}/api/v1/proposals",
        headers=bearer(carol["token"]),
        timeout=10,
        json={
            "title": "Meet monthly",
            "scope": {"type": "organisation"},
            "questions": [{"text": "Monthly?", "method": "majority", "options": ["Yes", "No"]}],
        },
    ).json()
    page.get_by_role("button", name="Log out").click()
    _log_in(page, web_url, *ADMIN)
    page.goto(f"{web_url}/proposals/{draft['id']}")
    page.get_by_role("button", name="Open as a poll").click()
    page.get_by_role("heading", level=1, name="Meet monthly").wait_for()
    assert "/polls/" in page.url
    page.goto(proposal_url)
    assert page.get_by_role("heading", level=1).text_content().endswith("for four")

    # In French: the discussion and the proposal speak the reader's language.
    page.locator("#lang-select").select_option("fr")
    page.get_by_role("button", name="Change").click()
    page.get_by_role("button", name="Publier le commentaire").wait_for()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Retirée" in page.locator(".badge").text_content()
    scan(page, axe_source, artifacts, "disc-proposal-fr")
    _shots(page, artifacts, "proposal-fr")
    # Back to English: the choice is kept in the admin's profile, which later tests share.
    page.locator("#lang-select").select_option("en")
    page.get_by_role("button", name="Modifier").click()
    page.get_by_role("button", name="Post comment").wait_for()


def _debate(stack, name: str, title: str, seeding: str) -> tuple[dict, dict]:
    """A member and a poll whose discussion `seeding` writes straight into polls' tables
    (`%(p)s` the poll's id, `%(a)s` the member's)."""
    admin = login(stack.url, *ADMIN)
    member = _member(stack.url, admin, name)
    poll = _poll(stack.url, admin, f"{title} {uuid.uuid4().hex[:4]}")
    with (
        psycopg2.connect(stack.env["DATABASE_URL"], options="-c search_path=polls,public") as conn,
        conn.cursor() as cur,
    ):
        cur.execute(seeding, {"p": poll["id"], "a": member["id"]})
    return member, poll


def test_a_thousand_comments_stay_paged_and_fast(page, stack, web_url, axe_source, artifacts):
    # 400 threads with 600 replies between them.
    member, poll = _debate(
        stack,
        "Dan Ng",
        "Big debate",
        "INSERT INTO comments (id, poll_id, author_id, body, created_at)"
        " SELECT gen_random_uuid(), %(p)s, %(a)s, 'Thread ' || n,"
        " now() - make_interval(secs => 1000 - n) FROM generate_series(1, 400) n;"
        " INSERT INTO comments (id, poll_id, parent_id, author_id, body)"
        " SELECT gen_random_uuid(), %(p)s, t.id, %(a)s, 'Reply ' || n"
        " FROM generate_series(1, 600) n"
        " JOIN LATERAL (SELECT id FROM comments WHERE poll_id = %(p)s AND parent_id IS NULL"
        "  ORDER BY body OFFSET (n %% 400) LIMIT 1) t ON true",
    )
    _log_in(page, web_url, member["email"], PASSWORD)
    started = time.monotonic()
    page.goto(f"{web_url}/polls/{poll['id']}")
    took = time.monotonic() - started
    assert "1,000 comments" in page.locator("#discussion-h").text_content()
    assert page.locator("#discussion > ol.comments > li.comment").count() == 20
    assert page.get_by_text("Page 1 of 20").count() == 1
    assert took < 3.0, f"the poll page took {took:.2f}s with 1,000 comments"
    scan(page, axe_source, artifacts, "disc-thousand")
    _shots(page, artifacts, "thousand")
    page.get_by_role("link", name="Next").click()
    page.get_by_text("Page 2 of 20").wait_for()
    assert page.locator("#discussion > ol.comments > li.comment").count() == 20
    assert len(page.content()) < 400_000


def _seeded_id(poll_id: str, tag: str) -> str:
    """The id `md5(poll || tag)::uuid` that the seeding SQL gives a comment."""
    return str(uuid.UUID(hashlib.md5(f"{poll_id}{tag}".encode()).hexdigest()))


def test_paging_and_deep_replies_by_keyboard_on_a_phone(
    page, stack, web_url, axe_source, artifacts
):
    """At 390 px, a reader who is not logged in pages through the threads, opens a thread's
    deep replies and a comment's other replies, and comes back, with the keyboard alone."""
    # 45 threads (Thread 1 the oldest); under Thread 1 a chain of 7 replies, each answering the
    # one before; under Thread 2, 7 replies.
    _, poll = _debate(
        stack,
        "Eva Keys",
        "Keyboard debate",
        "INSERT INTO comments (id, poll_id, author_id, body, created_at)"
        " SELECT md5(%(p)s || 't' || n)::uuid, %(p)s, %(a)s, 'Thread ' || n,"
        " now() - make_interval(secs => 1000 - n) FROM generate_series(1, 45) n;"
        " INSERT INTO comments (id, poll_id, parent_id, author_id, body, created_at)"
        " SELECT md5(%(p)s || 'c' || n)::uuid, %(p)s, CASE WHEN n = 1 THEN"
        " md5(%(p)s || 't1')::uuid ELSE md5(%(p)s || 'c' || (n - 1))::uuid END, %(a)s,"
        " 'Chain ' || n, now() - make_interval(secs => 500 - n) FROM generate_series(1, 7) n;"
        " INSERT INTO comments (id, poll_id, parent_id, author_id, body, created_at)"
        " SELECT gen_random_uuid(), %(p)s, md5(%(p)s || 't2')::uuid, %(a)s, 'Reply ' || n,"
        " now() - make_interval(secs => 400 - n) FROM generate_series(1, 7) n",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{web_url}/polls/{poll['id']}?sort=oldest")
    discussion = page.locator("#discussion")
    discussion.get_by_text("Page 1 of 3").wait_for()
    assert discussion.get_by_text("Chain 3", exact=True).count() == 1
    assert discussion.get_by_text("Chain 4", exact=True).count() == 0
    scan(page, axe_source, artifacts, "disc-keys-page1-390")

    tab_to(page, "nav.pager a[rel=next]", limit=400)
    page.keyboard.press("Enter")
    discussion.get_by_text("Page 2 of 3").wait_for()
    assert discussion.get_by_text("Thread 21", exact=True).count() == 1
    assert page.locator("#discussion > ol.comments > li.comment").count() == 20
    scan(page, axe_source, artifacts, "disc-keys-page2-390")
    tab_to(page, "nav.pager a[rel=prev]", limit=400)
    page.keyboard.press("Enter")
    discussion.get_by_text("Page 1 of 3").wait_for()

    chain3 = _seeded_id(poll["id"], "c3")
    tab_to(page, f"#c-{chain3} p.more-replies a", limit=400)
    page.keyboard.press("Enter")
    page.locator("#thread-h").wait_for()  # "Replies to Eva Keys" once her name has reached polls
    assert discussion.get_by_text("Chain 7", exact=True).count() == 1
    assert "thread=" in page.url
    scan(page, axe_source, artifacts, "disc-keys-thread-390")
    overflow = page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow, "the thread page scrolls sideways at 390 px"
    shot(page, artifacts, "disc-keys-thread-390")
    tab_to(page, "p.thread-links a", limit=40)
    page.keyboard.press("Enter")
    discussion.get_by_text("Page 1 of 3").wait_for()

    thread2 = _seeded_id(poll["id"], "t2")
    assert discussion.get_by_text("Reply 6", exact=True).count() == 0
    replies = f"#c-{thread2} > article > details.replies"
    tab_to(page, f"{replies} > summary", limit=400)  # more than three replies: folded
    page.keyboard.press("Enter")
    tab_to(page, f"{replies} > p.more-replies a", limit=40)
    assert page.evaluate("() => document.activeElement.textContent") == "Read all 7 replies"
    page.keyboard.press("Enter")
    discussion.get_by_text("Reply 7", exact=True).wait_for()
    scan(page, axe_source, artifacts, "disc-keys-replies-390")
