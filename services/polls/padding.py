"""The fixed size of a poll's sealed ballots: every ballot of a poll is padded to one length.

The size is computed from the poll's questions alone (never from the answers): for each question
the longest answer it can take — the longest option name for a choice, every option for an
approval or a ranking, the longest response with a reason of the most bytes a reason may have —
plus the frame around the answers (receipt hash, weight, version, retry tag). A ballot longer
than its poll's size would be a bug in this bound: sealing refuses it (PaddingOverflow) rather
than leak a length.

Encoding: JSON with `ensure_ascii=False`, UTF-8. A reason holds at most REASON_MAX characters
and no control characters but line feeds (services/polls/answers.py refuses the others and lone
surrogates), so each of its characters takes at most 4 bytes (a line feed or a quote: 2).
"""

from __future__ import annotations

import json
import struct

from services.polls.answers import form_for

REASON_MAX = 4000
WIDEST_CHARACTER = "\U0010ffff"  # 4 bytes in UTF-8, the most any allowed character takes
FRAME_BYTES = 512  # {"r":<64 hex>,"a":[...],"w":<int>,"v":<int>,"t":<64 hex|null>} and slack
FORMAT = b"\x02"  # first plaintext byte of a padded ballot (an unpadded one starts with "{")
HEADER = struct.Struct(">I")


class PaddingOverflow(Exception):
    """A ballot longer than its poll's bound: never sealed."""


def encode(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _longest_answer(question: dict) -> int:
    qid = str(question["id"])
    options = list(question["options"])
    form = form_for(question["method"])
    candidates: list[dict] = [{"question_id": qid, "abstain": True}]
    if form == "choice":
        candidates.append({"question_id": qid, "choice": None})
        candidates += [{"question_id": qid, "choice": option} for option in options]
    elif form in ("approve", "ranking"):
        candidates.append({"question_id": qid, form: options})
    else:
        candidates.append(
            {"question_id": qid, "response": "stand_aside", "reason": WIDEST_CHARACTER * REASON_MAX}
        )
    return max(len(encode(c)) for c in candidates)


def ballot_size(questions: list[dict]) -> int:
    """Bytes of every padded plaintext of a poll with these questions."""
    answers = sum(_longest_answer(q) for q in questions) + max(0, len(questions) - 1)
    return len(FORMAT) + HEADER.size + FRAME_BYTES + answers


def pad(payload: dict, size: int) -> bytes:
    body = encode(payload)
    padded = FORMAT + HEADER.pack(len(body)) + body
    if len(padded) > size:
        raise PaddingOverflow(f"{len(padded)} > {size}")
    return padded + b"\x00" * (size - len(padded))


def unpad(plaintext: bytes) -> dict:
    if plaintext[:1] != FORMAT:  # sealed before padding existed (migration 006)
        return json.loads(plaintext)
    (length,) = HEADER.unpack_from(plaintext, len(FORMAT))
    start = len(FORMAT) + HEADER.size
    return json.loads(plaintext[start : start + length])
