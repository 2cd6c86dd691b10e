"""`councils poll edit` and `councils poll cancel` against a small real HTTP server standing in
for the gateway: what is sent, what is printed, and what is refused before anything is sent."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify, request

from gateway.cli.main import main
from tests.support.http import serve

POLL_ID = "0b9f6a9e-0000-4000-8000-000000000001"


@pytest.fixture()
def gateway(monkeypatch, tmp_path):
    """A stand-in gateway on a free port: records each call and answers as the polls API."""
    app = Flask("fake-gateway")
    calls: list[tuple[str, str, dict | None]] = []

    @app.route("/api/v1/polls/<poll_id>", methods=["PATCH"])
    def edit(poll_id):
        calls.append(("PATCH", request.path, request.get_json()))
        if poll_id != POLL_ID:
            return jsonify(error={"code": "not_scheduled", "message": "The poll is open."}), 409
        body = request.get_json()
        return jsonify(
            id=poll_id,
            title=body.get("title", "Budget"),
            status="scheduled",
            opens_at="2031-01-01T00:00:00+00:00",
            closes_at=body.get("closes_at", "2031-02-01T00:00:00+00:00"),
            questions=body.get("questions") or [{}],
        )

    @app.post("/api/v1/polls/<poll_id>/cancel")
    def cancel(poll_id):
        calls.append(("POST", request.path, request.get_json()))
        return jsonify(id=poll_id, title="Budget", status="cancelled")

    with serve(app) as url:
        monkeypatch.setenv("COUNCILS_URL", url)
        monkeypatch.setenv("COUNCILS_TOKEN", "token")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        yield calls


def test_edit_sends_only_what_changes(gateway, tmp_path, capsys):
    change = tmp_path / "change.yaml"
    change.write_text(
        "title: Budget 2031\ncloses_at: 2031-03-01\nquestions:\n"
        "  - text: Pick one\n    method: plurality\n    options: [Yes, No]\n"
    )
    assert main(["poll", "edit", POLL_ID, str(change)]) == 0
    [(method, path, body)] = gateway
    assert (method, path) == ("PATCH", f"/api/v1/polls/{POLL_ID}")
    assert body == {
        "title": "Budget 2031",
        "closes_at": "2031-03-01T23:59:00+00:00",
        "questions": [{"text": "Pick one", "method": "plurality", "options": ["Yes", "No"]}],
    }
    assert f"Changed poll {POLL_ID}: Budget 2031 (scheduled" in capsys.readouterr().out


def test_edit_refuses_what_cannot_change_before_sending(gateway, tmp_path, capsys):
    change = tmp_path / "change.json"
    change.write_text('{"title": "T", "scope": {"type": "organisation"}}')
    assert main(["poll", "edit", POLL_ID, str(change)]) == 2
    assert gateway == []
    assert "cannot change: scope" in capsys.readouterr().err


def test_edit_of_an_open_poll_says_why(gateway, tmp_path, capsys):
    change = tmp_path / "change.yaml"
    change.write_text("title: Later\n")
    other = "0b9f6a9e-0000-4000-8000-000000000002"
    assert main(["poll", "edit", other, str(change)]) == 1
    assert "The poll is open. (HTTP 409, not_scheduled)" in capsys.readouterr().err


def test_cancel_sends_the_public_reason(gateway, capsys):
    assert main(["poll", "cancel", POLL_ID, "--reason", "Wrong date"]) == 0
    assert gateway == [("POST", f"/api/v1/polls/{POLL_ID}/cancel", {"reason": "Wrong date"})]
    assert "Cancelled poll" in capsys.readouterr().out
    assert main(["poll", "cancel", POLL_ID, "--reason", "  "]) == 2
    assert len(gateway) == 1
