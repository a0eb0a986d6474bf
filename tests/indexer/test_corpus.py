"""The bundled corpus, indexed with the real model into a persistent chromadb."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np

from indexer.config import PROJECT_ROOT
from indexer.store.filters import row_matches
from indexer.store.index import Store
from tests.conftest import CORPUS

KENT_MINUTES = "kent/cabinet__2025-03-04__originals__Minutes of Previous Meeting.pdf"
KENT_SUPPLEMENT = (
    "kent/full_council__2025-01-09__public_packs__Item 3 Supplement - English Devolution White Paper report "
    "09th-Jan-2025 10.00 County Council.pdf"
)
KENT_AGENDA = (
    "kent/full_council__2025-01-09__originals__Agenda frontsheet 09th-Jan-2025 10.00 County Council.pdf"
)
PACK_2022 = "birmingham/2022-07-20_education-childrens-social-care-os_agenda-pack.txt"


def _document(store: Store, source: str) -> dict:
    (document,) = [d for d in store.documents() if source in d["sources"]]
    return document


def _chunk_with(store: Store, source: str, words: str) -> dict:
    document = _document(store, source)
    matches = [
        c for c in store.document_chunks(document["document_id"]) if words in " ".join(c["text"].split())
    ]
    assert matches, f"no chunk of {source} contains {words!r}"
    return matches[0]


def test_every_bundled_paper_indexes(corpus_index):
    store, report = corpus_index
    assert report.failed == []
    assert report.documents == 22
    councils = {d["council"] for d in store.documents()}
    assert councils == {"Birmingham City Council", "Kent County Council"}


def test_a_text_less_page_is_reported_and_not_indexed(tmp_path):
    """The January agenda's blank second page: named in the report, absent from the index.

    Indexed here on its own, so the check holds whether or not the session's corpus index is reused.
    """
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer",
            str(CORPUS / KENT_AGENDA),
            "--store",
            str(tmp_path / "index"),
            "--json",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ | {"HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["added"] and len(report["warnings"]) == 1
    assert "1 page(s) with no text layer not indexed (pages 2)" in report["warnings"][0]
    store = Store(tmp_path / "index")
    (document,) = store.documents()
    assert 2 not in {p["page_number"] for p in store.pages(document["document_id"])}


def test_kent_chunks_carry_their_pdf_page_and_printed_label(corpus_index):
    store, _ = corpus_index
    chunk = _chunk_with(store, KENT_MINUTES, "Members agreed to refer the decision to full Council")
    assert (chunk["page_start"], chunk["page_label_start"]) == (2, "2")
    # In the public pack, PDF page 3 prints "Page 1".
    chunk = _chunk_with(store, KENT_SUPPLEMENT, "The publication of the English Devolution White Paper on 16")
    assert (chunk["page_start"], chunk["page_label_start"]) == (3, "1")
    minutes = _document(store, KENT_MINUTES)
    assert (minutes["meeting_date"], minutes["pack_date"], minutes["doc_type"]) == (
        "2025-01-30",
        "2025-03-04",
        "minutes",
    )


def test_action_notes_inside_the_july_2022_pack_are_dated_30_march_2022(corpus_index):
    store, _ = corpus_index
    chunk = _chunk_with(
        store, PACK_2022, "Clair Graham undertook to have a discussion with the lead officer for the VRU"
    )
    assert (chunk["meeting_date"], chunk["doc_type"]) == ("2022-03-30", "minutes")
    # The heading path: the pack's item (the action notes), then the minute's own heading, and no footnote.
    path = chunk["section"].split(" › ")
    assert path[-1].startswith("6 CHILD SEXUAL EXPLOITATION"), path
    assert not any("http" in title for title in path)
    # No footer fixes its page, but the agenda prints the action notes (item 6) as pack pages 5-16.
    assert chunk["line_start"] is not None
    assert (chunk["page_start"], chunk["page_end"], chunk["page_source"]) == (5, 16, "agenda")
    later = _chunk_with(store, PACK_2022, "Mike Fagan, AD, Home to School Transport")
    assert later["meeting_date"] == "2022-07-20"
    pack = _document(store, PACK_2022)
    assert (pack["meeting_date"], pack["committee"]) == (
        "2022-07-20",
        "Education and Children's Social Care Overview and Scrutiny Committee",
    )


def test_printed_footer_gives_text_pages(corpus_index):
    store, _ = corpus_index
    chunk = _chunk_with(
        store,
        "birmingham/2017-07-12_schools-children-families-os_agenda-pack.txt",
        "This Committee shall undertake the authority's statutory functions in relation to the scrutiny of flood",
    )
    assert (chunk["page_start"], chunk["page_label_start"]) == (7, "7")


def test_persistent_index_reopens_and_searches_with_the_real_model(corpus_index, real_embedder):
    store, report = corpus_index
    reopened = Store(store.store_dir)
    assert reopened.stats() == store.stats()
    assert reopened.collection.count() == report.chunks
    vector = real_embedder.encode(["home to school transport drivers"])[0]
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-3)
    hits = reopened.dense_search(vector, 5)
    rows = reopened.chunks([cid for cid, _ in hits])
    assert any("transport" in rows[cid]["text"].lower() for cid, _ in hits)
    assert reopened.model() == "all-MiniLM-L6-v2"


def test_dense_search_finds_the_exact_nearest_chunks(corpus_index, real_embedder):
    """chroma's graph search must return what a brute-force scan over the same vectors returns.

    With chroma's default graph settings about 0.5% of the true top 30 went missing for the evaluation
    questions, and which ones varied between builds (a CI run lost its top hit that way).
    """
    store, _ = corpus_index
    stored = store.collection.get(include=["embeddings"])
    matrix = np.asarray(stored["embeddings"], dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    questions = [
        json.loads(line)["question"]
        for name in ("questions_birmingham.jsonl", "questions_kent.jsonl")
        for line in (PROJECT_ROOT / "evals" / "data" / name).read_text().splitlines()
        if line.strip()
    ]
    k = 30
    missed = 0
    position = {chunk_id: i for i, chunk_id in enumerate(stored["ids"])}
    for vector in real_embedder.encode(questions):
        scores = matrix @ vector
        found = {chunk_id for chunk_id, _ in store.vectors.nearest(vector, k, None)}  # the HNSW path
        assert len(found) == k
        # A miss is a chunk of the true top k that scores above everything found in its place; a tie at the cut
        # (a paper's copy inside a pack and on its own) may go either way.
        weakest_found = min(float(scores[position[chunk_id]]) for chunk_id in found)
        missed += sum(
            1
            for i in np.argsort(-scores)[:k]
            if stored["ids"][i] not in found and float(scores[i]) > weakest_found + 1e-6
        )
        by_rule = sorted(range(len(scores)), key=lambda i: (-round(float(scores[i]), 6), stored["ids"][i]))
        exact_path = [chunk_id for chunk_id, _ in store.dense_search(vector, k)]
        assert exact_path == [stored["ids"][i] for i in by_rule[:k]]  # ties (copies) in id order
    recall = 1 - missed / (k * len(questions))
    assert recall >= 0.999, f"dense recall@{k} {recall:.4f}"


def test_filtered_dense_search_is_exact_and_keeps_to_its_filter(corpus_index, real_embedder):
    store, _ = corpus_index
    rows = store.chunks([r["chunk_id"] for r in store.db.execute("SELECT chunk_id FROM chunks")])
    vector = real_embedder.encode(["the budget for next year"])[0]
    for filters in (
        {"committee": "kent-cabinet"},
        {"doc_type": "minutes"},
        {"date_from": 20220101, "date_to": 20221231},
    ):
        found = store.dense_search(vector, 10, filters)
        assert found and all(row_matches(rows[cid], filters) for cid, _ in found)
        wanted = [cid for cid, row in rows.items() if row_matches(row, filters)]
        matrix = np.asarray(store.collection.get(ids=wanted, include=["embeddings"])["embeddings"])
        ids = store.collection.get(ids=wanted, include=[])["ids"]
        scores = matrix @ vector / np.linalg.norm(matrix, axis=1) / np.linalg.norm(vector)
        best = sorted(zip(ids, scores, strict=True), key=lambda pair: (-round(float(pair[1]), 6), pair[0]))
        assert [cid for cid, _ in found] == [cid for cid, _ in best[:10]]
