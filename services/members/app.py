"""The members service's app factory: `gunicorn 'services.members.app:create_app()'`."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from decimal import Decimal

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from services.common.auth import public_keys, signing_key
from services.common.config import ConfigError, Settings
from services.common.requests import CONTEXT_KEY
from services.common.revocation import DenyList
from services.common.runtime import Runtime
from services.common.web import create_service_app
from services.members.api import BLUEPRINTS
from services.members.context import MembersContext, build_context

log = logging.getLogger("councils.members")


class JsonProvider(DefaultJSONProvider):
    """ISO 8601 dates and times (Flask's default writes RFC 822 dates)."""

    @staticmethod
    def default(o):
        if isinstance(o, dt.datetime | dt.date):
            return o.isoformat()
        if isinstance(o, uuid.UUID):
            return str(o)
        if isinstance(o, Decimal):
            return int(o) if o == int(o) else float(o)
        return DefaultJSONProvider.default(o)


def create_app(runtime: Runtime | None = None) -> Flask:
    """The composition root of the API: the context (settings read once, failing fast on a bad
    rule with the variable's name) is built here and handed to every route."""
    ctx = build_context(runtime)
    _check_token_keys(ctx.settings.common)
    app = create_service_app(
        ctx.settings.common,
        title="Councils members",
        blueprints=BLUEPRINTS,
        readiness={"database": ctx.db.ping},
        observed={"bus": ctx.runtime.bus_ready},
    )
    app.json = JsonProvider(app)
    app.extensions[CONTEXT_KEY] = ctx
    # Ended sessions and suspended members, checked at once (members writes the deny-list).
    app.extensions["deny_list"] = DenyList(ctx.db, refresh_s=None)
    _bootstrap_on_first_request(app, ctx)
    return app


def _check_token_keys(settings: Settings) -> None:
    """Refuse to start with a signing key the verifiers do not know: every token issued would
    be refused. During a rotation the new public key is added everywhere first."""
    if not settings.jwt_private_key:
        raise ConfigError(
            "JWT_PRIVATE_KEY is required by the members service (it signs access tokens)"
        )
    if not settings.jwt_public_key:
        raise ConfigError(
            "JWT_PUBLIC_KEY is required by the members service (it verifies access tokens)"
        )
    kid = signing_key(settings.jwt_private_key).kid
    if kid not in public_keys(settings.jwt_public_key).by_kid:
        raise ConfigError(
            f"JWT_PUBLIC_KEY does not hold the public key of JWT_PRIVATE_KEY "
            f"(key id {kid}): add it to JWT_PUBLIC_KEY everywhere before signing "
            "with it"
        )


def _bootstrap_on_first_request(app: Flask, ctx: MembersContext) -> None:
    """Make sure the admin named by COUNCILS_ADMIN_EMAIL exists, once per process, on the first
    request (never at import or in the factory). `python -m services.members.bootstrap` does the
    same before the service starts; this is the safety net when it was not run."""
    if not ctx.settings.admin_email:
        return
    done = threading.Event()
    lock = threading.Lock()

    @app.before_request
    def _ensure_admin():
        if done.is_set():
            return
        with lock:
            if done.is_set():
                return
            from services.members.bootstrap import bootstrap_admin

            try:
                bootstrap_admin(ctx)
                done.set()
            except ConfigError as exc:  # a misconfiguration does not heal by retrying
                log.error("cannot bootstrap the admin: %s", exc)
                done.set()
            except Exception:  # noqa: BLE001 - retried on the next request; never fail this one
                log.exception("bootstrapping the admin failed; will retry")
