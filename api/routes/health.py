"""GET /health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from api.schemas import ERROR_RESPONSES, Health
from api.services import Services, services

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, responses={503: ERROR_RESPONSES[503]})
def health(svc: Annotated[Services, Depends(services)]) -> Health:
    store = svc.get_store()
    stats = store.stats()
    return Health(
        status="ok",
        documents=stats["documents"],
        chunks=stats["chunks"],
        model=store.model(),
        max_query_chars=svc.settings.api.max_query_chars,
        search_snapshot=store.snapshot_is_current(),
    )
