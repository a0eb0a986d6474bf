"""Failure analysis: which questions a system got wrong, grouped into categories, and what came back."""

from __future__ import annotations

from collections import Counter
from typing import Any

CUTOFF = 5  # a retrieval failure is no gold page among the first CUTOFF page-level results
SHOWN_RESULTS = 3


def retrieval_category(record: dict[str, Any]) -> str | None:
    """Why an answerable question missed at CUTOFF, or None when it did not miss."""
    if not record["answerable"]:
        return None
    rank = record["first_gold_page_rank"]
    if rank is not None and rank <= CUTOFF:
        return None
    if rank is not None and rank <= 10:
        return f"gold page ranked {CUTOFF + 1}-10"
    gold_documents = {g["page_id"].split("#")[0] for g in record["gold"] if g["page_id"]}
    top_documents = {pid.split("#")[0] for pid in record["page_ranking"][:CUTOFF]}
    if gold_documents & top_documents:
        return "right document, wrong page"
    if gold_documents & {pid.split("#")[0] for pid in record["page_ranking"]}:
        return "right document only below rank 5, wrong page"
    return "gold document not retrieved"


def answer_category(record: dict[str, Any]) -> str | None:
    """What went wrong with the /ask reply, or None when it was right."""
    if record["answerable"] and not record["answered"]:
        return "false 'not found' on an answerable question"
    if record["answerable"] and record["citation_correct"] is False:
        return "answered, but no citation on a gold page"
    if not record["answerable"] and record["answered"]:
        return "answered an unanswerable question"
    return None


def categorise(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of retrieval and answer failures, overall and by question kind."""
    retrieval = Counter(c for r in records if (c := retrieval_category(r)))
    answers = Counter(c for r in records if (c := answer_category(r)))
    by_kind: dict[str, Counter[str]] = {}
    for record in records:
        category = retrieval_category(record)
        if category:
            by_kind.setdefault(record["kind"], Counter())[category] += 1
    return {
        "retrieval": dict(retrieval.most_common()),
        "answers": dict(answers.most_common()),
        "retrieval_by_kind": {kind: dict(c.most_common()) for kind, c in sorted(by_kind.items())},
    }


def _gold_lines(record: dict[str, Any]) -> list[str]:
    lines = []
    for gold in record["gold"]:
        where = f"p.{gold['page_number']}" if gold["page_number"] is not None else f"line {gold['line']}"
        lines.append(f'  - gold: `{gold["source"]}` {where} (`{gold["page_id"]}`): "{gold["quote"][:160]}"')
    return lines


def _result_lines(record: dict[str, Any]) -> list[str]:
    lines = []
    for result in record["results"][:SHOWN_RESULTS]:
        if result["page_start"] is not None:
            pages = f"p.{result['page_start']}" + (
                f"-{result['page_end']}" if result["page_end"] not in (None, result["page_start"]) else ""
            )
        else:
            pages = f"line {result['line_start']}"
        mark = " **(gold page)**" if result["gold_page"] else ""
        section = f" [{result['section']}]" if result.get("section") else ""
        lines.append(
            f'  - #{result["rank"]} `{result["source"]}` {pages}{section}{mark}: "{result["snippet"]}"'
        )
    return lines


def failures_markdown(system: str, records: list[dict[str, Any]]) -> str:
    """failures.md: the categories, then each failed question with its gold and what came back."""
    summary = categorise(records)
    out = [f"# Failures of `{system}`", ""]
    out.append(
        f"Retrieval failures: answerable questions with no gold page in the first {CUTOFF} page-level results."
    )
    out.append("")
    for category, count in summary["retrieval"].items():
        out.append(f"- {category}: {count}")
    out += ["", "By question kind:", ""]
    for kind, counts in summary["retrieval_by_kind"].items():
        out.append(f"- {kind}: " + ", ".join(f"{c} {n}" for c, n in counts.items()))
    out += ["", "Answer failures (POST /ask):", ""]
    for category, count in summary["answers"].items():
        out.append(f"- {category}: {count}")

    out += ["", "## Retrieval failures", ""]
    for record in records:
        category = retrieval_category(record)
        if category:
            rank = record["first_gold_page_rank"]
            out.append(
                f"### {record['query_id']} ({record['kind']}): {category}"
                + (f", rank {rank}" if rank else "")
            )
            out.append(f"{record['question']}")
            out += _gold_lines(record) + _result_lines(record) + [""]
    out += ["## Answer failures", ""]
    for record in records:
        category = answer_category(record)
        if category:
            out.append(f"### {record['query_id']} ({record['kind']}): {category}")
            out.append(f"{record['question']} (evidence strength {record['evidence_strength']:.3f})")
            out += _gold_lines(record)
            for citation in record["citations"]:
                pages = f"p.{citation['page_start']}" if citation["page_start"] is not None else "no page"
                mark = "right" if citation["correct"] else "wrong"
                out.append(f'  - cited ({mark}) `{citation["source"]}` {pages}: "{citation["quote"][:160]}"')
            out.append("")
    return "\n".join(out) + "\n"
