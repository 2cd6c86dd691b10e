"""`councils newsletter send --at`, `list`, `reschedule` and `cancel` (issue 16) against a small
real HTTP server standing in for the gateway: what is sent, what is printed, what is refused."""

from __future__ import annotations

import pytest
from flask import Flask, jsonify, request

from gateway.cli.main import main
from tests.support.http import serve

NEWSLETTER_ID = "5b1f3c1e-9d1a-4c3e-8f00-000000000001"
FILE = "subject: Christmas news\nbody: See you in January.\n"


@pytest.fixture()
def gateway(monkeypatch, tmp_path):
    """A stand-in gateway on a free port: records each call and answers as notify's API does."""
    app = Flask("fake-gateway")
    calls: list[tuple[str, str, dict | None]] = []

    @app.post("/api/v1/newsletters/preview")
    def preview():
        calls.append(("POST", request.path, request.get_json()))
        return jsonify(recipients={"email": 3}, unreachable={"email": {"opted_out": 1}})

    @app.route("/api/v1/newsletters", methods=["GET", "POST"])
    def newsletters():
        if request.method == "GET":
            calls.append(("GET", request.path, dict(request.args)))
            return jsonify(
                [
                    {
                        "id": NEWSLETTER_ID,
                        "subject": "Christmas news",
                        "status": "scheduled",
                        "send_at": "2031-12-24T09:00:00+00:00",
                        "recipients": None,
                    }
                ]
            )
        body = request.get_json()
        calls.append(("POST", request.path, body))
        if body.get("send_at", "9") < "2030":
            return jsonify(
                error={
                    "code": "send_at_past",
                    "message": "The time to send it has passed already.",
                    "fields": {"send_at": ["must be in the future"]},
                }
            ), 422
        return jsonify(id=NEWSLETTER_ID, status="scheduled", send_at=body["send_at"]), 202

    @app.patch("/api/v1/newsletters/<newsletter_id>")
    def move(newsletter_id):
        calls.append(("PATCH", request.path, request.get_json()))
        return jsonify(id=newsletter_id, send_at=request.get_json()["send_at"])

    @app.post("/api/v1/newsletters/<newsletter_id>/cancel")
    def cancel(newsletter_id):
        calls.append(("POST", request.path, None))
        if newsletter_id != NEWSLETTER_ID:
            message = "Only a scheduled newsletter that has not gone yet can be changed."
            return jsonify(error={"code": "not_scheduled", "message": message}), 409
        return jsonify(id=newsletter_id, status="cancelled")

    with serve(app) as url:
        monkeypatch.setenv("COUNCILS_URL", url)
        monkeypatch.setenv("COUNCILS_TOKEN", "token")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
        yield calls


def test_send_at_a_time_schedules_it_and_says_how_to_change_it(gateway, tmp_path, capsys):
    file = tmp_path / "news.yaml"
    file.write_text(FILE)
    assert main(["newsletter", "send", str(file), "--at", "2031-12-24T09:00", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "by email: 3 members will get it" in out
    assert f"Newsletter {NEWSLETTER_ID} scheduled for 2031-12-24T09:00:00+00:00" in out
    assert "councils newsletter reschedule" in out
    [sent] = [c[2] for c in gateway if c[:2] == ("POST", "/api/v1/newsletters")]
    assert sent["send_at"] == "2031-12-24T09:00:00+00:00"  # a time without offset is UTC


def test_a_past_or_unreadable_time_is_refused_naming_it(gateway, tmp_path, capsys):
    file = tmp_path / "news.yaml"
    file.write_text(FILE)
    assert main(["newsletter", "send", str(file), "--at", "2020-01-01T09:00", "--yes"]) != 0
    err = capsys.readouterr().err
    assert "The time to send it has passed already." in err and "send_at: must be in" in err
    assert main(["newsletter", "send", str(file), "--at", "Christmas", "--yes"]) != 0
    assert "--at: give an ISO date-time" in capsys.readouterr().err
    assert not [c for c in gateway if c[2] and c[2].get("send_at") == "Christmas"]


def test_list_reschedule_and_cancel(gateway, capsys):
    assert main(["newsletter", "list"]) == 0
    assert "scheduled  goes 2031-12-24T09:00:00+00:00  Christmas news" in capsys.readouterr().out
    assert main(["newsletter", "reschedule", NEWSLETTER_ID, "--at", "2031-12-25T10:30Z"]) == 0
    assert "now goes 2031-12-25T10:30:00+00:00" in capsys.readouterr().out
    assert gateway[-1] == (
        "PATCH",
        f"/api/v1/newsletters/{NEWSLETTER_ID}",
        {"send_at": "2031-12-25T10:30:00+00:00"},
    )
    assert main(["newsletter", "cancel", NEWSLETTER_ID]) == 0
    assert "cancelled: nobody will get it" in capsys.readouterr().out
    other = "00000000-0000-4000-8000-000000000000"
    assert main(["newsletter", "cancel", other]) != 0
    assert "can be changed" in capsys.readouterr().err
