"""The polite client: a pause between requests, back-off and Retry-After, timeouts, conditional GETs, temp files."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest

from indexer.harvest.client import PoliteClient
from indexer.harvest.errors import FetchError
from tests.indexer.harvest.replica import Fault, Replica, etag_for

REPORT = "Cabinet Report 4 March 2025"


def test_one_request_at_a_time_with_the_delay_between_them(replica: Replica):
    with PoliteClient(delay_s=0.25) as client:
        for _ in range(3):
            client.get(f"{replica.base_url}/mgListCommittees.aspx")
    times = [entry.at_s for entry in replica.log]
    assert len(times) == 3 and all(later - earlier >= 0.2 for earlier, later in itertools.pairwise(times))


def test_429_waits_as_long_as_retry_after_says_but_never_past_the_cap():
    answers = iter(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(503, headers={"Retry-After": "900"}),
        ]
    )
    slept: list[float] = []

    def reply(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(200, content=b"<committees/>"))

    transport = httpx.MockTransport(reply)
    with PoliteClient(
        delay_s=0, backoff_s=1, max_backoff_s=60, sleep=slept.append, transport=transport
    ) as client:
        fetched = client.get("https://council.example/mgWebService.asmx/GetCommittees")
    assert fetched.status == 200 and fetched.body == b"<committees/>"
    assert slept == [7.0, 60.0] and client.requests == 3


def test_retries_give_up_with_one_line_naming_the_last_reason():
    transport = httpx.MockTransport(lambda request: httpx.Response(502))
    with (
        PoliteClient(delay_s=0, retries=2, sleep=lambda s: None, transport=transport) as client,
        pytest.raises(FetchError) as caught,
    ):
        client.get("https://council.example/ieListMeetings.aspx?CId=1&Year=0")
    assert caught.value.reason == "HTTP 502 (after 3 attempts)" and client.requests == 3


def test_a_404_is_not_retried(replica: Replica):
    with PoliteClient(delay_s=0) as client, pytest.raises(FetchError, match="HTTP 404"):
        client.get(f"{replica.base_url}/nowhere.aspx")
    assert len(replica.log) == 1


def test_a_timeout_is_retried_then_reported(replica: Replica, tmp_path: Path):
    replica.faults[REPORT] = Fault("stall", stall_s=2.0)
    with (
        PoliteClient(delay_s=0, timeout_s=0.3, retries=1, backoff_s=0.01) as client,
        pytest.raises(FetchError, match=r"timed out \(ReadTimeout\) \(after 2 attempts\)"),
    ):
        client.download(replica.doc_url(REPORT), tmp_path / "tmp")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_connection_dropped_mid_body_is_retried_and_leaves_no_part_file(replica: Replica, tmp_path: Path):
    replica.faults[REPORT] = Fault("drop", times=1)
    with PoliteClient(delay_s=0, backoff_s=0.01) as client:
        fetched = client.download(replica.doc_url(REPORT), tmp_path / "tmp")
    assert fetched.temp_path is not None and fetched.temp_path.read_bytes() == replica.doc(REPORT).body
    assert list((tmp_path / "tmp").iterdir()) == [fetched.temp_path]
    assert [entry.status for entry in replica.log] == [200, 200]  # the first one cut short


def test_conditional_requests_send_the_validators_and_a_304_has_no_body(replica: Replica, tmp_path: Path):
    url = replica.doc_url(REPORT)
    with PoliteClient(delay_s=0) as client:
        first = client.download(url, tmp_path)
        again = client.download(url, tmp_path, etag=first.etag, last_modified=first.last_modified)
        by_date = client.download(url, tmp_path, last_modified=first.last_modified)
    assert first.etag == etag_for(replica.doc(REPORT).body) and first.last_modified
    assert again.not_modified and again.temp_path is None and by_date.not_modified
    assert replica.log[1].headers["If-None-Match"] == first.etag
    assert replica.log[2].headers["If-Modified-Since"] == first.last_modified


def test_only_web_addresses_are_fetched():
    with PoliteClient(delay_s=0) as client, pytest.raises(FetchError, match="not an http"):
        client.get("file:///etc/passwd")


def test_a_redirect_loop_is_one_line_not_a_traceback():
    loop = httpx.MockTransport(lambda request: httpx.Response(302, headers={"Location": str(request.url)}))
    with (
        PoliteClient(delay_s=0, transport=loop) as client,
        pytest.raises(FetchError, match="too many redirects"),
    ):
        client.get("https://council.example/mgListCommittees.aspx")
