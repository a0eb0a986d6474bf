"""Documents: metadata, pages, passages and the original files (only files registered in the index)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse

from api.citations import citation_url
from api.document_schemas import ChunkContext, DocumentDetail, DocumentsResponse, PageText
from api.errors import NotFoundError
from api.schemas import ERROR_RESPONSES, NOT_FOUND
from api.services import Services, services
from indexer import DocumentRow

router = APIRouter(tags=["documents"], responses=ERROR_RESPONSES)
FILE_TYPES: dict[str, dict[str, Any]] = {"application/pdf": {}, "text/plain": {}, "text/markdown": {}}
DocumentId = Annotated[str, Path(pattern=r"^[0-9a-f]{16}$", description="Document id (content hash).")]
_MEDIA_TYPES = {".pdf": "application/pdf", ".md": "text/markdown; charset=utf-8"}


def _public(document: DocumentRow) -> dict[str, Any]:
    return {key: value for key, value in document.items() if not key.startswith("_") and key != "structure"}


def _document(svc: Services, document_id: str) -> DocumentRow:
    document = svc.get_store().document(document_id)
    if document is None:
        raise NotFoundError(f"no document {document_id} in the index")
    return document


@router.get("/documents", response_model=DocumentsResponse)
def list_documents(svc: Annotated[Services, Depends(services)]) -> dict[str, Any]:
    documents = [_public(d) for d in svc.get_store().documents()]
    return {"documents": documents, "count": len(documents)}


@router.get("/documents/{document_id}", response_model=DocumentDetail, responses=NOT_FOUND)
def get_document(svc: Annotated[Services, Depends(services)], document_id: DocumentId) -> dict[str, Any]:
    """Metadata, pages (numbers and labels) and sections of a document."""
    document = _document(svc, document_id)
    pages = [
        {key: page[key] for key in ("page_index", "page_number", "page_label", "page_source", "line_start")}
        | {"chars": len(page["text"])}
        for page in svc.get_store().pages(document_id)
    ]
    return _public(document) | {
        "pages": pages,
        "sections": document["structure"]["sections"],
        "parts": document["structure"]["parts"],
        "file_url": f"/documents/{document_id}/file",
    }


@router.get(
    "/documents/{document_id}/file",
    response_class=FileResponse,
    responses={**NOT_FOUND, 200: {"content": FILE_TYPES, "description": "The file, as indexed."}},
)
def get_file(svc: Annotated[Services, Depends(services)], document_id: DocumentId) -> FileResponse:
    """The original file as indexed, so that #page=N opens the cited page."""
    _document(svc, document_id)
    path = svc.get_store().file_path(document_id)
    if path is None:
        raise NotFoundError(f"the file of document {document_id} is no longer on disk; re-run the indexer")
    media_type = _MEDIA_TYPES.get(path.suffix.lower(), "text/plain; charset=utf-8")
    return FileResponse(path, media_type=media_type, filename=path.name, content_disposition_type="inline")


@router.get("/documents/{document_id}/pages/{page_number}", response_model=PageText, responses=NOT_FOUND)
def get_page(
    svc: Annotated[Services, Depends(services)],
    document_id: DocumentId,
    page_number: Annotated[int, Path(ge=1)],
) -> dict[str, Any]:
    """The text of one page, by its 1-based PDF page number."""
    _document(svc, document_id)
    for page in svc.get_store().pages(document_id):
        if page["page_number"] == page_number:
            return {"document_id": document_id, **page}
    raise NotFoundError(
        f"document {document_id} has no page {page_number} with text (or its pages are unknown)"
    )


@router.get("/chunks/{chunk_id}", response_model=ChunkContext, responses=NOT_FOUND)
def get_chunk(
    svc: Annotated[Services, Depends(services)],
    chunk_id: Annotated[str, Path(pattern=r"^[0-9a-f]{16}-\d{4,}$")],
) -> dict[str, Any]:
    """A passage with the text around it (its page, or nearby text when pages are unknown) for highlighting."""
    store = svc.get_store()
    row = store.chunks([chunk_id]).get(chunk_id)
    if row is None:
        raise NotFoundError(f"no passage {chunk_id} in the index")
    pages = store.pages(row["document_id"])
    full_text = "\n".join(p["text"] for p in pages)
    first = max((p for p in pages if p["char_start"] <= row["char_start"]), key=lambda p: p["char_start"])
    last = max((p for p in pages if p["char_start"] < row["char_end"]), key=lambda p: p["char_start"])
    if first["page_number"] is not None:
        context_start, context_end = first["char_start"], last["char_start"] + len(last["text"])
    else:
        context_start = max(0, full_text.rfind("\n\n", 0, max(0, row["char_start"] - 1500)))
        context_end = full_text.find("\n\n", min(len(full_text), row["char_end"] + 1500))
        context_end = len(full_text) if context_end < 0 else context_end
    return {
        **{k: v for k, v in row.items() if k not in ("embed_text",)},
        "url": citation_url(row),
        "context": full_text[context_start:context_end],
        "highlight_start": row["char_start"] - context_start,
        "highlight_end": row["char_end"] - context_start,
    }
