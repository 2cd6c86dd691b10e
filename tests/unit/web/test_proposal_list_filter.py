"""/proposals?status=…: the filter is a word of the page, not the response's HTTP status (it once
went to `render` as `status=` and the page answered "0 draft")."""

from __future__ import annotations

from tests.support.webfakes import FakeGateway, FakeResponse, web_client


class Gateway(FakeGateway):
    def request(self, method, url, json=None, params=None, headers=None, **kwargs):
        if method == "GET" and url.endswith("/api/v1/proposals"):
            self.calls.append((method, "/api/v1/proposals", json, params))
            rows = [{"id": f"p{i}", "title": f"Proposal {i}", "status": "draft"} for i in range(30)]
            return FakeResponse(200, {"proposals": rows})
        return super().request(method, url, json=json, params=params, headers=headers, **kwargs)


def test_a_filtered_list_answers_200_and_its_next_page_keeps_the_filter():
    gateway = Gateway()
    page = web_client(gateway).get("/proposals?status=draft")
    assert page.status_code == 200
    assert ("GET", "/api/v1/proposals") == gateway.calls[-1][:2]
    assert gateway.calls[-1][3]["status"] == "draft"
    assert "status=draft" in page.get_data(as_text=True)
