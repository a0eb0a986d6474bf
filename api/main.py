"""The FastAPI application factory."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Mount
from starlette.types import Scope

from api.errors import install_error_handlers
from api.limits import BodyLimit
from api.routes import documents, health, records, search
from api.services import Services
from indexer import PROJECT_ROOT, Embedder, Settings, Store

UI_DIR = PROJECT_ROOT / "ui"
ROUTERS = (health, search, documents, records)


class PageMount(Mount):
    """The web page's files, for GET and HEAD of paths that are not the API's: the rest falls through to
    the API's routes, so that, say, GET or OPTIONS /ask answers 405 with ``Allow: POST``."""

    def __init__(self, path: str, app: Any, name: str, api_paths: list[re.Pattern[str]]) -> None:
        super().__init__(path, app=app, name=name)
        self.api_paths = api_paths

    def matches(self, scope: Scope) -> tuple[Match, MutableMapping[str, Any]]:
        if scope["type"] == "http" and (
            scope["method"] not in ("GET", "HEAD") or any(p.match(scope["path"]) for p in self.api_paths)
        ):
            return Match.NONE, {}
        return super().matches(scope)


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
    app.add_middleware(BodyLimit)
    for module in ROUTERS:
        app.include_router(module.router)
    if UI_DIR.is_dir():
        api_paths = [
            route.path_regex
            for module in ROUTERS
            for route in module.router.routes
            if isinstance(route, APIRoute)
        ]
        files = StaticFiles(directory=UI_DIR, html=True)
        app.router.routes.append(PageMount("/", app=files, name="ui", api_paths=api_paths))
    return app


def create_served_app() -> FastAPI:
    """The app of ``python -m api``, built from the environment by each worker process (uvicorn imports
    this factory by name), with the model loaded before the first request."""
    app = create_app(Settings())
    app.state.services.get_embedder()
    return app
