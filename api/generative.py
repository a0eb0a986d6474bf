"""Optional generative answers from an OpenAI-compatible endpoint, grounded only in retrieved passages."""

from __future__ import annotations

import logging
import re
from typing import Any

from api.answer import Quote, citation_for, sentences, terms
from api.retrieval import Hit
from indexer import Settings, Store

logger = logging.getLogger(__name__)

_MARKER = re.compile(r"\[(\d+)\]")
SYSTEM_PROMPT = (
    "You answer questions about local-government committee papers using ONLY the numbered passages given. "
    "After every sentence put the marker of the passage it comes from, like [2]. If the passages do not "
    "answer the question, reply exactly: NOT FOUND."
)


class GenerationError(Exception):
    """The endpoint failed or answered nothing usable; the caller falls back to the extractive answer."""


def generative_answer(
    settings: Settings, store: Store, question: str, hits: list[Hit]
) -> tuple[str, list[dict[str, Any]]] | None:
    """Ask the configured model; returns None when it says the passages do not answer.

    Markers that point at no passage are removed; each remaining marker is cited with the passage
    sentence closest to the answer sentence that cites it, so every quote is verbatim.
    """
    from openai import OpenAI, OpenAIError

    client = OpenAI(
        base_url=settings.llm.base_url,
        api_key=settings.llm.api_key.get_secret_value() or "none",
        timeout=settings.llm.timeout_s,
        max_retries=0,
    )
    numbered = "\n\n".join(f"[{i}] {' '.join(h.row['text'].split())}" for i, h in enumerate(hits, start=1))
    try:
        response = client.chat.completions.create(
            model=settings.llm.model or "default",
            temperature=0,
            messages=[
                {"role": "system", "content": SYSTEM_PROMPT},
                {"role": "user", "content": f"Passages:\n{numbered}\n\nQuestion: {question}"},
            ],
        )
        content = (response.choices[0].message.content or "").strip()
    except (OpenAIError, IndexError, AttributeError, ValueError) as exc:
        raise GenerationError(str(exc)) from exc
    if not content:
        raise GenerationError("empty answer")
    if content.upper().startswith("NOT FOUND"):
        return None

    citations: dict[int, dict[str, Any]] = {}
    kept_sentences = []
    for sentence in re.split(r"(?<=[.!?\]])\s+", content):
        markers = [int(m) for m in _MARKER.findall(sentence)]
        valid = [m for m in markers if 1 <= m <= len(hits)]
        cleaned = _MARKER.sub("", sentence).strip()
        if not cleaned:
            continue
        if not valid:  # a sentence that cites nothing cannot be traced: drop it
            continue
        for marker in valid:
            if marker not in citations:
                citations[marker] = _cite(store, hits[marker - 1], marker, cleaned)
        kept_sentences.append(f"{cleaned} " + " ".join(f"[{m}]" for m in dict.fromkeys(valid)))
    if not kept_sentences:
        raise GenerationError("no sentence carried a valid citation marker")
    return " ".join(kept_sentences), [citations[m] for m in sorted(citations)]


def _cite(store: Store, hit: Hit, marker: int, sentence: str) -> dict[str, Any]:
    wanted = set(terms(sentence))
    spans = sentences(hit.row["text"]) or [(0, len(hit.row["text"]))]
    start, end = max(spans, key=lambda span: len(wanted & set(terms(hit.row["text"][span[0] : span[1]]))))
    return citation_for(store, Quote(marker, hit, start, end, 0.0))
