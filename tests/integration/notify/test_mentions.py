"""Issue 15: a member mentioned in a discussion gets one mail, in their language, with a link
to the comment on its page; nobody else hears of it."""

from __future__ import annotations

PUBLIC = "http://127.0.0.1:8080"


def _text(received) -> str:
    return next(
        p.get_content() for p in received.message.walk() if p.get_content_type() == "text/plain"
    )


def test_the_mentioned_member_alone_is_told_with_a_link_to_the_comment(notify):
    notify.member("m-ana", "ana@example.org", language="fr")
    notify.member("m-bystander", "bystander@example.org")
    event = notify.handle(
        "polls.comment.mentioned",
        {
            "comment_id": "c-1",
            "subject_type": "proposal",
            "subject_id": "p-1",
            "title": "Buy a tent",
            "author_name": "Bob Martin",
            "member_ids": ["m-ana"],
        },
        "polls",
    )
    notify.handle("", {}, event=event)  # redelivered: still one message
    notify.email.drain()
    [received] = notify.sink.to("ana@example.org")
    assert received.message["Subject"] == "Bob Martin vous a mentionné : Buy a tent"
    assert f"{PUBLIC}/proposals/p-1#c-c-1" in _text(received)
    assert notify.sink.to("bystander@example.org") == []
