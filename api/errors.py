"""Domain errors of the API and how each becomes an HTTP status with a JSON message."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer import IndexNotFoundError, VectorStoreError


class ApiError(Exception):
    """An expected failure with a status and a message a person can act on."""

    status_code = 400

    def __init__(self, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class NotFoundError(ApiError):
    status_code = 404


class IndexUnavailableError(ApiError):
    status_code = 503


def install_error_handlers(app: FastAPI) -> None:
    """Every error answers {"error": message, "detail": ...}; bad input is a 4xx, never a 500."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.status_code)

    @app.exception_handler(IndexNotFoundError)
    async def _no_index(_: Request, exc: IndexNotFoundError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=503)

    @app.exception_handler(VectorStoreError)
    async def _no_vectors(_: Request, exc: VectorStoreError) -> JSONResponse:
        # The chroma server is down or failed: the index is unavailable for now, not broken by the request.
        return JSONResponse({"error": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return JSONResponse(
            {"error": "; ".join(problems) or "invalid request", "detail": problems}, status_code=422
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Keep the exception's headers: a 405 must say which methods are allowed (Allow, RFC 9110).
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)
