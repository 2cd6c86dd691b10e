"""Polls' table of voting methods is the only one: the voting core counts what it says, and the
web front end and the CLI read it (GET /api/v1/polls/methods through gateway/client.py)
instead of keeping copies."""

from __future__ import annotations

from gateway import client as gateway_client
from gateway.web import ballot, forms, labels, proposal_form
from gateway.web.i18n import Translator
from services.polls.answers import METHOD_TABLE, RESPONSES, form_for, methods_document
from services.polls.voting.election import BALLOT_FORMS
from tests.support.webfakes import METHODS, FakeResponse


def test_the_voting_core_counts_each_method_with_the_tables_form():
    counted = {m: e["form"] for m, e in METHOD_TABLE.items() if m in BALLOT_FORMS}
    assert counted == dict(BALLOT_FORMS)
    assert set(METHOD_TABLE) - set(BALLOT_FORMS) == {"consensus", "consensus_vote"}
    assert all(form_for(m) == e["form"] for m, e in METHOD_TABLE.items())


def test_the_published_document_is_the_table():
    document = methods_document()
    assert [e["method"] for e in document["methods"]] == list(METHOD_TABLE)
    assert METHODS == document  # what the web's test fakes serve
    consensus = next(e for e in document["methods"] if e["method"] == "consensus")
    assert consensus["options"] == list(RESPONSES) == list(ballot.RESPONSES)


def test_the_web_keeps_no_copy_and_reads_every_method_from_the_table():
    assert not hasattr(ballot, "form_of") and not hasattr(ballot, "RANKED")
    assert not hasattr(forms, "METHODS") and not hasattr(proposal_form, "METHODS")
    table = {e["method"]: e for e in METHODS["methods"]}
    questions = [{"id": m, "method": m, "options": []} for m in table]
    assert {q["method"]: q["form"] for q in ballot.with_forms(questions, table)} == {
        m: e["form"] for m, e in METHOD_TABLE.items()
    }
    assert forms.launchable(table) == [m for m, e in METHOD_TABLE.items() if e["launchable"]]
    assert "consensus" not in proposal_form.methods_of_questions(table)
    _ = Translator("en")
    assert all(labels.method_label(_, m) != m for m in table)  # every method has its words


class _Session:
    def __init__(self):
        self.calls = 0

    def request(self, method, url, **_):
        self.calls += 1
        return FakeResponse(200, METHODS)


def test_the_client_asks_for_the_table_once_per_process_for_a_while():
    gateway_client._methods.clear()
    session = _Session()
    first = gateway_client.ApiClient("http://methods-test", session).voting_methods()
    again = gateway_client.ApiClient("http://methods-test", session).voting_methods()
    assert session.calls == 1 and first == again
    assert first["stv"]["form"] == "ranking" and "seats" in first["stv"]["settings"]
