"""The web pages' test client, on the `gateway` fixture (a fake of the API) each module defines."""

from __future__ import annotations

import pytest

from tests.support.webfakes import web_client


@pytest.fixture()
def client(gateway):
    return web_client(gateway)
