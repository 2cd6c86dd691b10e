"""One page of a long list: which rows to ask the API for, and links to the pages around.

Pages ask for one row more than they show, to know whether a next page exists without
counting the whole list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request, url_for

from gateway.web.numbers import page_number


@dataclass(frozen=True)
class ListPage:
    number: int
    size: int
    param: str = "page"

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def ask(self) -> int:
        return self.size + 1

    def rows(self, fetched: list) -> tuple[list, bool]:
        """The rows to show and whether there are more after them."""
        return fetched[: self.size], len(fetched) > self.size

    def link(self, endpoint: str, number: int, **values) -> str:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if v not in ("", None)}
        args.update(values)
        args[self.param] = number
        if number == 1:
            args.pop(self.param)
        return url_for(endpoint, **args)


def list_page(size: int, param: str = "page", most: int = 10_000) -> ListPage:
    """The page asked for in the query string (a number from 1; anything else is page 1)."""
    return ListPage(page_number(request.args.get(param), most), size, param)
