"""The FastAPI application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.errors import install_error_handlers
from api.routes import documents, health, records, search
from api.services import Services
from indexer import PROJECT_ROOT, Embedder, Settings, Store

UI_DIR = PROJECT_ROOT / "ui"


def create_app(
    settings: Settings | None = None, store: Store | None = None, embedder: Embedder | None = None
) -> FastAPI:
    """Build the app; a store or embedder given here is used as is (tests pass fakes or shared ones)."""
    settings = settings or Settings()
    app = FastAPI(
        title="committee-papers",
        version="0.1.0",
        description="Search and cited answers over local-government committee papers.",
    )
    app.state.services = Services(settings=settings, store=store, embedder=embedder)
    install_error_handlers(app)
    for module in (health, search, documents, records):
        app.include_router(module.router)
    if UI_DIR.is_dir():
        app.mount("/", StaticFiles(directory=UI_DIR, html=True), name="ui")
    return app
