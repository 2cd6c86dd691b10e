"""A poll file (YAML or JSON) into the API's poll body, checked locally first."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

from gateway.cli.common import CliError

DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DURATION = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")


def read_document(path: str) -> dict:
    if path == "-":
        text, suffix = sys.stdin.read(), ""
    else:
        file = Path(path)
        if not file.exists():
            raise CliError(f"{path}: no such file")
        text, suffix = file.read_text(), file.suffix.lower()
    if suffix in (".yaml", ".yml") or (suffix != ".json" and not text.lstrip().startswith("{")):
        import yaml

        from gateway.cli.documents import load_yaml

        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            raise CliError(f"{path}: not valid YAML: {exc}") from exc
    else:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise CliError(f"{path}: not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected a poll (a mapping with title, questions, ...)")
    return data


def instant(value, field: str, now: dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return moment.isoformat()
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(23, 59), dt.UTC).isoformat()
    text = str(value)
    if DATE_ONLY.match(text):
        return instant(dt.date.fromisoformat(text), field, now)
    match = DURATION.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2)
        delta = {
            "d": dt.timedelta(days=amount),
            "h": dt.timedelta(hours=amount),
            "m": dt.timedelta(minutes=amount),
        }[unit]
        return (now + delta).isoformat()
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise CliError(
            f"{field}: give an ISO date-time (2030-05-01T18:00:00Z) or a "
            f"duration such as 7d, 12h, 30m; got {text!r}"
        ) from exc
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).isoformat()


def poll_from_document(
    data: dict, now: dt.datetime | None = None, methods: dict[str, dict] | None = None
) -> dict:
    """The API's poll body from a file's document (closes_in/opens_in, scope by default)."""
    now = now or dt.datetime.now(dt.UTC)
    body = {k: v for k, v in data.items() if k not in ("closes_in", "opens_in")}
    if "closes_in" in data and "closes_at" not in data:
        body["closes_at"] = data["closes_in"]
    if "opens_in" in data and "opens_at" not in data:
        body["opens_at"] = data["opens_in"]
    problems = []
    if not body.get("title"):
        problems.append("title: missing")
    if "closes_at" not in body:
        problems.append("closes_at (or closes_in): missing")
    questions = body.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append("questions: give a list of at least one question")
        questions = []
    for i, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            problems.append(f"questions[{i}]: expected a mapping")
            continue
        for key in ("text", "method"):
            if not question.get(key):
                problems.append(f"questions[{i}].{key}: missing")
        # polls' table of methods says which have fixed options; without it the server checks
        entry = (methods or {}).get(str(question.get("method")))
        own_options = methods is not None and not (entry or {}).get("options")
        if own_options and len(question.get("options") or []) < 2:
            problems.append(f"questions[{i}].options: give at least two options")
        if "options" in question:
            question["options"] = [str(o) for o in question["options"]]
    if problems:
        raise CliError("the poll file has problems:\n  " + "\n  ".join(problems))
    body.setdefault("scope", {"type": "organisation"})
    if isinstance(body["scope"], str):
        body["scope"] = {"type": body["scope"]}
    body["closes_at"] = instant(body["closes_at"], "closes_at", now)
    if body.get("opens_at") is not None:
        body["opens_at"] = instant(body["opens_at"], "opens_at", now)
    return body
