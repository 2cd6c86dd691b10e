"""Meetings in their own fields: place, agenda, minutes, the number present and who of the
chapter was there; recorded, corrected and deleted by its coordinators and admins only."""

from __future__ import annotations

import datetime as dt
import uuid


def _chapter_with_coordinator(api, admin):
    body = {"name": f"meet {uuid.uuid4().hex[:6]}", "level": "national", "country": "FR"}
    code, chapter = api.call("POST", "/api/v1/chapters", body, token=admin)
    assert code == 201, chapter
    people = {}
    for role in ("coordinator", "member", "outsider"):
        member_id, _, token = api.active_member(f"meet-{role}")
        if role != "outsider":
            assert api.call("POST", f"/api/v1/chapters/{chapter['id']}/join", token=token)[0] == 200
        people[role] = (member_id, token)
    grant = {"member_id": people["coordinator"][0], "role": "coordinator"}
    grant["chapter_id"] = chapter["id"]
    assert api.call("POST", "/api/v1/mandates", grant, token=admin)[0] == 201
    return chapter["id"], people


def test_a_coordinator_records_edits_and_deletes_a_meeting(api):
    chapter_id, people = _chapter_with_coordinator(api, api.admin())
    coordinator, member = people["coordinator"], people["member"]
    path = f"/api/v1/chapters/{chapter_id}/meetings"
    held = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    body = {
        "held_on": held,
        "place": "Café du Nord",
        "agenda": "Budget\nPicnic",
        "minutes": "Agreed.",
        "attendees": [member[0], coordinator[0]],
    }
    code, meeting = api.call("POST", path, body, token=coordinator[1])
    assert code == 201, meeting
    assert meeting["place"] == "Café du Nord" and meeting["agenda"] == "Budget\nPicnic"
    assert meeting["attendance"] == 2  # the members named, when no number is given
    assert {a["id"] for a in meeting["attendees"]} == {member[0], coordinator[0]}
    code, listed = api.call("GET", path, token=member[1])
    assert code == 200 and listed[0]["minutes"] == "Agreed." and len(listed[0]["attendees"]) == 2
    one = f"{path}/{meeting['id']}"
    assert api.call("GET", one, token=member[1])[1]["place"] == "Café du Nord"
    code, edited = api.call("PATCH", one, {"attendance": 14, "attendees": []}, coordinator[1])
    assert code == 200 and edited["attendance"] == 14 and edited["attendees"] == [], edited
    assert edited["place"] == "Café du Nord" and edited["updated_at"]
    # A member who does not coordinate may read, not change.
    assert api.call("PATCH", one, {"place": "Elsewhere"}, token=member[1])[0] == 403
    assert api.call("DELETE", one, token=member[1])[0] == 403
    assert api.call("DELETE", one, token=coordinator[1])[0] == 204
    assert api.call("DELETE", one, token=coordinator[1])[0] == 404
    assert api.call("GET", path, token=member[1])[1] == []
    actions = [
        e["action"]
        for e in api.call("GET", f"/api/v1/audit?chapter_id={chapter_id}", token=member[1])[1]
    ]
    assert {"meeting.recorded", "meeting.changed", "meeting.deleted"} <= set(actions)


def test_meeting_fields_are_checked_and_named(api):
    chapter_id, people = _chapter_with_coordinator(api, api.admin())
    coordinator, member, outsider = people["coordinator"], people["member"], people["outsider"]
    path = f"/api/v1/chapters/{chapter_id}/meetings"
    held = dt.date.today().isoformat()

    def refused(body, field, method="POST", where=path):
        code, reply = api.call(method, where, body, token=coordinator[1])
        assert code == 422 and field in reply["error"]["fields"], reply

    refused({"held_on": held, "attendees": [outsider[0]]}, "attendees")
    refused({"held_on": held, "attendees": ["nope"]}, "attendees")
    refused({"held_on": held, "attendance": -1}, "attendance")
    refused(
        {"held_on": held, "attendance": 1, "attendees": [member[0], coordinator[0]]}, "attendance"
    )
    refused({"held_on": held, "place": "a\nb"}, "place")
    refused({"held_on": held, "colour": "red"}, "colour")
    refused({"place": "x"}, "held_on")
    code, meeting = api.call(
        "POST", path, {"held_on": held, "attendees": [member[0]]}, token=coordinator[1]
    )
    assert code == 201, meeting
    one = f"{path}/{meeting['id']}"
    refused({"attendance": 0}, "attendance", "PATCH", one)  # one member is named present
    refused({"held_on": "2999-01-01"}, "held_on", "PATCH", one)
    elsewhere = f"/api/v1/chapters/{uuid.uuid4()}/meetings/{meeting['id']}"
    assert api.call("PATCH", elsewhere, {"place": "x"}, token=api.admin())[0] == 404
