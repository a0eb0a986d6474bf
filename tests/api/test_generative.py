"""Generative answers against a local fake OpenAI-compatible server."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.main import create_app
from indexer.config import Settings
from tests.live_servers import free_port

QUESTION = "What did Clair Graham undertake to do about the VRU?"


class FakeLLM:
    """Answers chat completions with a scripted reply, and records what it was sent."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.requests: list[dict] = []
        app = FastAPI()

        @app.post("/v1/chat/completions")
        async def complete(request: Request):
            body = await request.json()
            self.requests.append(body)
            if self.status != 200:
                from fastapi.responses import JSONResponse

                return JSONResponse({"error": {"message": "boom"}}, status_code=self.status)
            return {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": body["model"],
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": self.reply},
                    }
                ],
            }

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLM]:
    with FakeLLM() as fake:
        yield fake


@pytest.fixture(scope="module")
def llm_client(corpus_index, real_embedder, llm) -> TestClient:
    store, _ = corpus_index
    # These tests are about what happens once the papers are judged to answer, so a fixed similarity
    # threshold judges that, not the answerability model, whose operating point moves with every refit on
    # dev (it is tested in test_answerability.py and measured by the evaluation).
    settings = Settings().updated(
        index={"store_dir": store.store_dir},
        api={"answer_min_score": 0.3},
        llm={"base_url": f"http://127.0.0.1:{llm.port}/v1", "model": "fake-model", "timeout_s": 5},
    )
    return TestClient(create_app(settings, store=store, embedder=real_embedder))


def test_generated_answer_keeps_valid_markers_and_drops_invented_ones(llm, llm_client):
    llm.status = 200
    llm.reply = (
        "Clair Graham undertook to discuss workshops for elected Members with the VRU lead officer [1]. "
        "She also promised a new youth centre [9]."
    )
    body = llm_client.post("/ask", json={"question": QUESTION}).json()
    assert body["answered"] and body["mode"] == "generative"
    assert "[9]" not in body["answer"] and "youth centre" not in body["answer"]
    assert [c["marker"] for c in body["citations"]] == [1]
    citation = body["citations"][0]
    passage = body["passages"][0]
    assert citation["chunk_id"] == passage["chunk_id"] and citation["quote"] in passage["text"]
    sent = llm.requests[-1]
    assert sent["model"] == "fake-model" and QUESTION in sent["messages"][-1]["content"]


def test_model_saying_not_found_gives_an_honest_not_found(llm, llm_client):
    llm.status = 200
    llm.reply = "NOT FOUND"
    body = llm_client.post("/ask", json={"question": QUESTION}).json()
    assert body["answered"] is False and body["answer"].startswith("No passage in")


def test_endpoint_failure_falls_back_to_the_extractive_answer(llm, llm_client):
    llm.status = 500
    body = llm_client.post("/ask", json={"question": QUESTION}).json()
    assert body["answered"] and body["mode"] == "extractive" and body["citations"]


def test_unreachable_endpoint_falls_back_too(corpus_index, real_embedder):
    store, _ = corpus_index
    settings = Settings().updated(
        index={"store_dir": store.store_dir},
        api={"answer_min_score": 0.3},  # as in llm_client
        llm={"base_url": f"http://127.0.0.1:{free_port()}/v1", "timeout_s": 2},
    )
    client = TestClient(create_app(settings, store=store, embedder=real_embedder))
    body = client.post("/ask", json={"question": QUESTION}).json()
    assert body["answered"] and body["mode"] == "extractive"
