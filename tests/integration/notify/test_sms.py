"""SMS through the Twilio-shaped stand-in, over real HTTP."""

from __future__ import annotations

import json

import pytest
import requests

from services.notify.mail import PermanentFailure
from services.notify.sms import TwilioSms
from services.notify.sms_standin import SmsStandIn
from tests.support.wait import wait_for


def _sms_on(notify, member_id: str, category: str = "polls") -> None:
    answer = notify.client.put(
        "/api/v1/notifications/preferences",
        json={"categories": {category: {"sms": True}}},
        headers=notify.token(member_id),
    )
    assert answer.status_code == 200


def test_sms_reaches_the_standin_and_no_phone_means_no_attempt(notify):
    notify.member("m-phone", "phone@example.org", phone="+34 600-123-456", language="es")
    notify.member("m-nophone", "nophone@example.org")
    notify.member("m-badphone", "badphone@example.org", phone="600 123")  # not E.164
    for member in ("m-phone", "m-nophone", "m-badphone"):
        _sms_on(notify, member)

    notify.poll_opened("Asamblea")
    notify.sms.drain()

    [message] = notify.standin.messages
    assert message["to"] == "+34600123456"
    assert message["from"] == "+15550000000"
    assert message["account_sid"] == "ACtest"
    assert "Asamblea" in message["body"] and message["body"].startswith("Councils: nueva")
    [row] = notify.deliveries("sms")  # nobody else even got a row: no attempt at all
    assert (row["member_id"], row["status"]) == ("m-phone", "sent")
    assert row["segments"] == int(message["num_segments"]) == 2  # "ó" makes it UCS-2
    assert notify.standin.requests == 1
    prefs = notify.client.get(
        "/api/v1/notifications/preferences", headers=notify.token("m-nophone")
    ).json
    assert prefs["sms_available"] is False


def test_sms_api_errors_are_retried_then_delivered(notify):
    notify.member("m-retry", "retry@example.org", phone="+447700900123")
    _sms_on(notify, "m-retry")
    notify.standin.fail_next(503)
    notify.standin.fail_next(429)
    notify.poll_opened("Retry me")

    def delivered() -> bool:
        notify.sms.send_batch()
        return bool(notify.standin.messages)

    wait_for(delivered, 5, "the SMS to get through after the API errors")
    [row] = notify.deliveries("sms")
    assert (row["status"], row["attempts"]) == ("sent", 3)
    assert len(notify.standin.messages) == 1


def test_adapter_speaks_the_messages_api(sms_standin):
    client = TwilioSms(sms_standin.url, "ACtest", "sms-secret", "+15550000000")
    sid = client.send("+15551234567", "Hello €")
    assert sid.startswith("SM")
    listing = requests.get(
        f"{sms_standin.url}/2010-04-01/Accounts/ACtest/Messages.json",
        auth=("ACtest", "sms-secret"),
        timeout=5,
    ).json()
    assert listing["messages"][0]["body"] == "Hello €"
    with pytest.raises(PermanentFailure):
        client.send("+1", "too short a number")  # refused before any request
    wrong = requests.post(
        f"{sms_standin.url}/2010-04-01/Accounts/ACtest/Messages.json",
        data={"To": "12", "From": "x", "Body": "b"},
        auth=("ACtest", "sms-secret"),
        timeout=5,
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == 21211
    denied = requests.post(
        f"{sms_standin.url}/2010-04-01/Accounts/ACtest/Messages.json",
        data={"To": "+15551234567", "From": "x", "Body": "b"},
        auth=("ACtest", "wrong"),
        timeout=5,
    )
    assert denied.status_code == 401
    client.close()


def test_standin_keeps_an_outbox_where_it_is_told(tmp_path):
    """`make run` starts the stand-in with `--outbox $COUNCILS_RUN_DIR/sms`: the lines are
    the ones notify writes without an SMS API."""
    standin = SmsStandIn(outbox=str(tmp_path / "sms")).start()
    try:
        client = TwilioSms(standin.url, "ACdev", "dev-token", "Councils")
        sid = client.send("+15551234567", "Poll opened")
        client.close()
    finally:
        standin.stop()
    [line] = (tmp_path / "sms" / "outbox.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    assert (record["sid"], record["to"], record["body"]) == (sid, "+15551234567", "Poll opened")
