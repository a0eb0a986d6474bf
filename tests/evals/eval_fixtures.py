"""Known pages, lines and questions for the evals tests (imported by conftest and tests)."""

from __future__ import annotations

import json
from pathlib import Path

PDF_PAGES = [
    "Agenda item 1. Apologies for absence were received from Councillor Amber.",
    "Minute 5. Library opening hours.\nRESOLVED that the library opening hours be extended to eight in the evening from May.",
    "Minute 6. Parks.\nThe committee noted the report on parks maintenance and asked for an update in six months.",
]
TEXT_LINES = [
    "Minutes of the Scrutiny Committee",
    "",
    "1. Home to school transport",
    "The committee agreed to review the   eligibility policy",
    "for home to school transport in the autumn.",
    "",
    "2. Youth services",
    "Members asked for figures on youth club attendance.",
]
QUESTIONS = [
    {
        "id": "t-001",
        "corpus": "test",
        "question": "What was decided about library opening hours?",
        "kind": "decision",
        "answerable": True,
        "answer": "Extended to eight in the evening.",
        "evidence": [
            {
                "source": "minutes.pdf",
                "page_number": 2,
                "quote": "RESOLVED that the library opening hours be extended to eight in the evening from May.",
            }
        ],
    },
    {
        "id": "t-002",
        "corpus": "test",
        "question": "What will the committee review about school transport?",
        "kind": "commitment",
        "answerable": True,
        "answer": "The eligibility policy.",
        "evidence": [
            {
                "source": "notes.txt",
                "line": 4,
                "quote": "The committee agreed to review the eligibility policy for home to school transport",
            }
        ],
    },
    {
        "id": "t-003",
        "corpus": "test",
        "question": "How much did the new swimming pool cost?",
        "kind": "unanswerable",
        "answerable": False,
        "answer": "Not in the papers.",
        "evidence": [],
    },
]


def write_questions(path: Path, questions: list[dict]) -> Path:
    path.write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    return path
