"""Routes of `/api/v1/auth`: registration, login, tokens, verification, passwords."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.common.errors import ApiError
from services.common.requests import (
    client_address,
    context,
    html_page,
    identity,
    wants_html,
)
from services.members.api.security import authenticated
from services.members.schemas.accounts import (
    LoginSchema,
    LogoutSchema,
    PasswordChangeSchema,
    PasswordForgotSchema,
    PasswordResetSchema,
    RefreshSchema,
    RegisteredSchema,
    RegisterSchema,
    SessionSchema,
    StatusSchema,
    TokensSchema,
    VerifiedSchema,
    VerifyQuerySchema,
    VerifySchema,
)
from services.members.service import accounts, sessions

blp = Blueprint(
    "auth",
    __name__,
    url_prefix="/api/v1/auth",
    description="Registration, login, tokens, email verification, passwords.",
)


@blp.route("/register")
class Register(MethodView):
    @blp.arguments(RegisterSchema)
    @blp.response(201, RegisteredSchema)
    @blp.alt_response(409, description="The email address is registered already.")
    @blp.alt_response(429, description="Too many attempts from this address.")
    def post(self, data):
        """Register: a new member is pending until vouched for or approved."""
        return accounts.register(context(), data, client_ip=client_address())


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokensSchema)
    @blp.alt_response(401, description="Wrong email address or password.")
    def post(self, data):
        """Log in: a short-lived access token and a rotating refresh token."""
        return sessions.login(
            context(), data["email"], data["password"], client_ip=client_address()
        )


@blp.route("/refresh")
class Refresh(MethodView):
    @blp.arguments(RefreshSchema)
    @blp.response(200, TokensSchema)
    def post(self, data):
        """Trade a refresh token for new tokens; the old refresh token dies."""
        return sessions.refresh(context(), data["refresh_token"])


@blp.route("/logout")
class Logout(MethodView):
    @blp.arguments(LogoutSchema)
    @blp.response(204)
    def post(self, data):
        """End the session of this refresh token (or every session with `everywhere`)."""
        sessions.logout(context(), data["refresh_token"], everywhere=data["everywhere"])


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.response(200, SessionSchema(many=True))
    @authenticated
    def get(self):
        """The caller's sessions (each login and the refresh tokens it rotated through)."""
        return sessions.sessions(context(), identity())


@blp.route("/sessions/<uuid:session_id>")
class SessionById(MethodView):
    @blp.response(204)
    @authenticated
    def delete(self, session_id):
        """End one session, e.g. on a lost device: its refresh token stops working."""
        sessions.end_session(context(), identity(), session_id)


@blp.route("/verify")
class Verify(MethodView):
    @blp.arguments(VerifyQuerySchema, location="query")
    @blp.response(200, VerifiedSchema)
    def get(self, args):
        """Verify an email address with the token from the mail (the link's target). A
        browser (Accept: text/html) gets a small page instead of JSON."""
        if not wants_html():
            return accounts.verify_email(context(), args["token"])
        try:
            result = accounts.verify_email(context(), args["token"])
        except ApiError as exc:
            return html_page("Link not valid", exc.message, exc.status)
        return html_page(
            "Address verified",
            f"Thank you: {result['email']} is verified. You can close this page.",
        )

    @blp.arguments(VerifySchema)
    @blp.response(200, VerifiedSchema)
    def post(self, data):
        """Verify an email address with the token from the mail."""
        return accounts.verify_email(context(), data["token"])


@blp.route("/verify/resend")
class VerifyResend(MethodView):
    @blp.response(202, StatusSchema)
    @authenticated
    def post(self):
        """Send a new verification mail to the member's address."""
        return accounts.resend_verification(context(), identity())


@blp.route("/password")
class PasswordChange(MethodView):
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, TokensSchema)
    @authenticated
    def post(self, data):
        """Change the password; every other session ends, new tokens are returned."""
        return accounts.change_password(
            context(), identity(), data["current_password"], data["new_password"]
        )


@blp.route("/password/forgot")
class PasswordForgot(MethodView):
    @blp.arguments(PasswordForgotSchema)
    @blp.response(202, StatusSchema)
    def post(self, data):
        """Mail a reset link if the address is registered (the answer is the same if not)."""
        accounts.request_password_reset(context(), data["email"], client_ip=client_address())
        return {"status": "sent_if_registered"}


@blp.route("/password/reset")
class PasswordReset(MethodView):
    @blp.arguments(PasswordResetSchema)
    @blp.response(200, StatusSchema)
    def post(self, data):
        """Set a new password with the token from the reset mail; every session ends."""
        return accounts.reset_password(context(), data["token"], data["password"])
