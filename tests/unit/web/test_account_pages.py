"""The member's account pages against a fake gateway: registration with a country's name,
the password kept and errors beside their fields, forgot/reset, /me, notifications, vouching."""

from __future__ import annotations

import re

import pytest

from gateway.web.countries import country_code
from tests.support.webfakes import ME, PENDING, RoutedGateway, csrf

PREFS = {
    "email_verified": True,
    "sms_available": False,
    "language": "en",
    "categories": {"polls": {"email": True, "sms": False}},
}


class Gateway(RoutedGateway):
    def __init__(self):
        super().__init__()
        self.answers = {
            ("POST", "/api/v1/auth/register"): (201, {"id": "m"}),
            ("GET", "/api/v1/members/me"): (200, ME),
            ("GET", "/api/v1/auth/sessions"): (
                200,
                [
                    {
                        "id": "55555555-5555-4555-8555-555555555555",
                        "started_at": "2026-12-01T10:00:00+00:00",
                        "ended": False,
                    }
                ],
            ),
            ("POST", "/api/v1/auth/password/forgot"): (202, {"status": "sent_if_registered"}),
            ("POST", "/api/v1/auth/password/reset"): (200, {"status": "reset"}),
            ("GET", "/api/v1/notifications/preferences"): (200, PREFS),
            ("GET", "/api/v1/notifications/deliveries"): (
                200,
                {
                    "items": [
                        {
                            "id": 7,
                            "kind": "verification",
                            "category": "account",
                            "channel": "email",
                            "status": "sent",
                            "created_at": "2026-12-01T10:00:00+00:00",
                            "sent_at": "2026-12-01T10:00:05+00:00",
                        }
                    ],
                    "next_before": None,
                },
            ),
            ("GET", "/api/v1/members/pending"): (
                200,
                [
                    {
                        "id": PENDING,
                        "display_name": "Newt",
                        "country": "FR",
                        "introduction": "Line one\nLine two",
                        "vouches": 0,
                        "created_at": "2026-12-01T10:00:00+00:00",
                    }
                ],
            ),
            ("POST", f"/api/v1/members/{PENDING}/vouch"): (
                409,
                {
                    "error": {
                        "code": "vouch_limit_reached",
                        "message": "You have vouched for 3 members.",
                    }
                },
            ),
        }

    def answer(self, method, path, json=None, params=None, headers=None):
        if path == "/api/v1/members/me" and not (headers or {}).get("Authorization"):
            return None
        return self.answers.get((method, path))


@pytest.fixture()
def gateway():
    return Gateway()


def sent(gateway, method, path):
    return [c[2] for c in gateway.calls if c[0] == method and c[1] == path]


def log_in(client):
    token = csrf(client.get("/login"))
    client.post("/login", data={"email": "mo@example.org", "password": "pw", "csrf_token": token})


def test_a_country_is_known_by_its_name_in_each_language_or_its_code():
    assert country_code("France") == "FR" and country_code("francia") == "FR"
    assert country_code("Slovenia") == country_code("Eslovenia") == "SI"
    assert country_code("slovénie") == "SI" and country_code("si") == "SI"
    assert country_code("Royaume-Uni") == "GB" and country_code("United Kingdom") == "GB"
    assert country_code("Narnia") is None and country_code("") is None


def test_registration_takes_the_country_by_name_and_sends_its_code(client, gateway):
    page = client.get("/register")
    text = page.get_data(as_text=True)
    assert 'list="country-names"' in text and '<option value="Slovenia">' in text
    assert 'maxlength="80"' in text and 'maxlength="2000"' in text
    answer = client.post(
        "/register",
        data={
            "csrf_token": csrf(page),
            "email": "new@example.org",
            "display_name": "New",
            "country": "Slovenia",
            "password": "a long enough password",
        },
    )
    assert answer.status_code == 302
    assert sent(gateway, "POST", "/api/v1/auth/register")[0]["country"] == "SI"


def test_a_refused_registration_keeps_the_password_and_puts_errors_beside_fields(client, gateway):
    token = csrf(client.get("/register"))
    answer = client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "new@example.org",
            "display_name": "",
            "country": "Narnia",
            "password": "kept password 123",
        },
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="display_name-error"' in text and 'id="country-error"' in text
    assert re.search(r'id="password"[^>]*value="kept password 123"', text)
    assert re.search(r'id="display_name"[^>]*autofocus', text)  # focus on the first error
    gateway.answers[("POST", "/api/v1/auth/register")] = (
        422,
        {
            "error": {
                "code": "weak_password",
                "message": "The password is too weak.",
                "fields": {"password": ["Too common."]},
            }
        },
    )
    answer = client.post(
        "/register",
        data={
            "csrf_token": token,
            "email": "new@example.org",
            "display_name": "New",
            "country": "fr",
            "password": "password123",
        },
    )
    text = answer.get_data(as_text=True)
    assert re.search(r'id="password-error">Too common\.<', text)
    assert re.search(r'id="password"[^>]*value="password123"', text)


def test_forgot_and_reset_from_the_mailed_link(client, gateway):
    token = csrf(client.get("/forgot"))
    answer = client.post("/forgot", data={"csrf_token": token, "email": "mo@example.org"})
    assert 'role="status"' in answer.get_data(as_text=True)
    assert sent(gateway, "POST", "/api/v1/auth/password/forgot") == [{"email": "mo@example.org"}]
    page = client.get("/reset?token=abc.def")
    assert 'name="token" value="abc.def"' in page.get_data(as_text=True)
    done = client.post(
        "/reset", data={"csrf_token": token, "token": "abc.def", "password": "a new long password"}
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert sent(gateway, "POST", "/api/v1/auth/password/reset") == [
        {"token": "abc.def", "password": "a new long password"}
    ]
    gateway.answers[("POST", "/api/v1/auth/password/reset")] = (
        400,
        {"error": {"code": "invalid_token", "message": "no", "fields": {"token": ["Not valid."]}}},
    )
    stale = client.post(
        "/reset", data={"csrf_token": token, "token": "old", "password": "a new long password"}
    )
    assert stale.status_code == 400 and "Ask for a new link" in stale.get_data(as_text=True)


def test_login_speaks_the_members_language_and_me_shows_the_profile(client):
    log_in(client)
    page = client.get("/me")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and '<html lang="es">' in text
    assert 'value="Eslovenia"' in text and "Cerrar sesión en todas partes" in text


def test_a_new_email_without_the_password_is_refused_beside_that_field_in_words(client, gateway):
    log_in(client)
    gateway.answers[("PATCH", "/api/v1/members/me")] = (
        422,
        {
            "error": {
                "code": "validation_failed",
                "message": "Changing the email address needs ...",
                "fields": {"current_password": ["Required to change the email address."]},
            }
        },
    )
    page = client.get("/me")
    answer = client.post(
        "/me",
        data={
            "csrf_token": csrf(page),
            "display_name": "Mo",
            "email": "new@example.org",
            "country": "Eslovenia",
            "language": "es",
            "introduction": "Hola",
        },
    )
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert sent(gateway, "PATCH", "/api/v1/members/me") == [{"email": "new@example.org"}]
    assert re.search(r'id="current_password-error">Escribe tu contraseña actual', text)
    assert re.search(r'id="current_password"[^>]*autofocus', text)


def test_notifications_link_to_an_existing_profile_and_list_what_was_sent(client):
    log_in(client)
    text = client.get("/me/notifications").get_data(as_text=True)
    links = re.findall(r'href="(/me[^"#]*)#phone"', text)
    assert links and client.get(links[0]).status_code == 200
    assert "Enlace para verificar tu dirección de correo" in text


def test_deleting_an_account_needs_the_box_ticked_and_a_vouch_limit_is_said_in_words(client):
    log_in(client)
    token = csrf(client.get("/me/delete"))
    refused = client.post("/me/delete", data={"csrf_token": token, "password": "pw"})
    assert refused.status_code == 422 and 'id="confirm-error"' in refused.get_data(as_text=True)
    listing = client.get("/members/pending").get_data(as_text=True)
    assert "Newt" in listing and 'class="pre-line">Line one\nLine two' in listing
    answer = client.post(
        f"/members/pending/{PENDING}/vouch", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Gracias" in answer.get_data(as_text=True)


def test_logout_by_link_asks_before_it_logs_out(client, gateway):
    log_in(client)
    page = client.get("/logout")
    assert page.status_code == 200 and 'action="/logout"' in page.get_data(as_text=True)
    assert client.get("/me").status_code == 200  # still logged in: a GET changes nothing
    client.post("/logout", data={"csrf_token": csrf(page)})
    assert client.get("/me").status_code == 302


def test_password_change_sessions_and_my_data(client, gateway):
    log_in(client)
    token = csrf(client.get("/me"))
    gateway.answers[("POST", "/api/v1/auth/password")] = (
        422,
        {
            "error": {
                "code": "wrong_password",
                "message": "The current password is not right.",
                "fields": {"current_password": ["Not your current password."]},
            }
        },
    )
    refused = client.post(
        "/me/password",
        data={"csrf_token": token, "current_password_change": "nope", "new_password": "x" * 12},
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="current_password_change-error">Esta no es tu contraseña actual', text)
    gateway.answers[("POST", "/api/v1/auth/password")] = (
        200,
        {"access_token": "tok2", "refresh_token": "r2"},
    )
    changed = client.post(
        "/me/password",
        data={"csrf_token": token, "current_password_change": "pw", "new_password": "x" * 12},
    )
    assert changed.status_code == 302
    client.get("/me")
    assert gateway.calls[-1][3]["Authorization"] == "Bearer tok2"  # the new tokens are kept

    gateway.answers[("GET", "/api/v1/members/me/export")] = (200, {"profile": {"id": "m"}})
    data = client.get("/me/export")
    assert "attachment" in data.headers["Content-Disposition"]
    assert data.get_json() == {"profile": {"id": "m"}}

    gateway.answers[("POST", "/api/v1/auth/logout")] = (204, None)
    client.post("/me/sessions/end-all", data={"csrf_token": token})
    assert sent(gateway, "POST", "/api/v1/auth/logout") == [
        {"refresh_token": "r2", "everywhere": True}
    ]
    assert client.get("/me").status_code == 302


def test_a_member_who_switches_language_keeps_it_in_the_profile(client, gateway):
    log_in(client)
    gateway.answers[("PATCH", "/api/v1/members/me")] = (200, {**ME, "language": "fr"})
    client.post(
        "/language", data={"csrf_token": csrf(client.get("/me")), "lang": "fr", "next": "/me"}
    )
    assert sent(gateway, "PATCH", "/api/v1/members/me") == [{"language": "fr"}]
    assert '<html lang="fr">' in client.get("/me").get_data(as_text=True)
