"""What the browser tests share: asking on the page, asking the API, and the page's ways of writing text."""

from __future__ import annotations

from datetime import date

import httpx


def words(text: str) -> str:
    return " ".join(text.split())


def ask(page, base_url: str, question: str):  # type: ignore[no-untyped-def]
    """Open the page, type a question, press Enter, and wait for the answer or the not-found notice."""
    page.goto(base_url + "/")
    page.wait_for_selector("body[data-ready]")
    page.fill("#q", question)
    page.press("#q", "Enter")
    page.wait_for_selector("#answer, #not-found, #error")
    return page


def api_ask(base_url: str, question: str) -> dict:
    return httpx.post(f"{base_url}/ask", json={"question": question}, timeout=60).json()


def long_date(iso: str) -> str:
    """ "2025-01-09" as the page writes it: "9 January 2025"."""
    day = date.fromisoformat(iso[:10])
    return f"{day.day} {day:%B %Y}"
