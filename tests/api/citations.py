"""Checks every API test makes of a citation: its quote stands on the page (or in the passage) it names."""

from __future__ import annotations


def norm(text: str) -> str:
    """White space collapsed, so a quote across a PDF line break still matches its page."""
    return " ".join(text.split())


def assert_quote_on_page(client, citation: dict) -> None:  # type: ignore[no-untyped-def]
    """A quote with pages is on them (verbatim on a single page); one without is in its passage."""
    document = client.get(f"/documents/{citation['document_id']}").json()
    if citation["page_start"] is not None:
        pages = range(citation["page_start"], citation["page_end"] + 1)
        text = "\n".join(
            client.get(f"/documents/{citation['document_id']}/pages/{n}").json()["text"] for n in pages
        )
        assert citation["quote"] in text or norm(citation["quote"]) in norm(text)
        if citation["page_start"] == citation["page_end"]:
            assert citation["quote"] in text  # verbatim on its single page
    else:
        chunk = client.get(f"/chunks/{citation['chunk_id']}").json()
        assert citation["quote"] in chunk["text"]
        assert document["kind"] == "text"
