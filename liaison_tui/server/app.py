"""The station's central sync service (FastAPI). ``create_app`` builds it on one SQLite store, so the CLI
(``liaison serve``), the tests and the benchmarks all run the same application.

Endpoints: ``GET /health`` (no token), ``POST /v1/push`` and ``GET /v1/pull`` (bearer token bound to a
laptop), OpenAPI at ``/openapi.json`` and ``/docs``. Every sync request carries the protocol version and the
schema fingerprint; a mismatch answers 426 so that an old laptop is told to upgrade and keeps its queue.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from .. import __version__
from ..domain.hlc import MAX_DRIFT_MS
from ..domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    MAX_PULL_PAGE,
    PROTOCOL,
    PULL_PAGE,
    ErrorBody,
    Health,
    PullPage,
    PushRequest,
    PushResult,
    schema_fingerprint,
)
from ..store.hub import AuthError, Hub, NumbersReused, TokenInfo
from ..store.store import Store
from . import logs


class ApiError(Exception):
    def __init__(self, status: int, error: str, **detail: object) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.detail = detail


_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Missing, unknown, revoked or expired token."},
    409: {"model": ErrorBody, "description": "The token is bound to another laptop."},
    426: {"model": ErrorBody, "description": "Protocol or schema mismatch: update Liaison."},
}


def create_app(db_path: str | Path, *, max_drift_ms: int = MAX_DRIFT_MS) -> FastAPI:
    state: dict[str, Hub] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(db_path, author="server")
        state["hub"] = Hub(store, max_drift_ms=max_drift_ms)
        logs.event("started", schema=schema_fingerprint(), protocol=PROTOCOL, version=__version__)
        try:
            yield
        finally:
            store.close()
            logs.event("stopped")

    app = FastAPI(
        title="Liaison station sync service",
        version=__version__,
        lifespan=lifespan,
        description="Central service that laptops push their changes to and pull others' changes "
        "from. See docs/SYNC.md.",
    )

    def hub() -> Hub:
        return state["hub"]

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"error": exc.error, "detail": exc.detail})

    @app.middleware("http")
    async def _log_requests(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        timer = logs.Timer()
        response = await call_next(request)
        # The path only: no query string, no client address.
        logs.event(
            "request", method=request.method, path=request.url.path, status=response.status_code, ms=timer.ms
        )
        return response

    def checked(
        authorization: Annotated[str | None, Header()] = None,
        protocol: Annotated[str | None, Header(alias=HEADER_PROTOCOL)] = None,
        schema: Annotated[str | None, Header(alias=HEADER_SCHEMA)] = None,
        device: Annotated[str | None, Header(alias=HEADER_DEVICE)] = None,
    ) -> TokenInfo:
        if protocol != str(PROTOCOL) or schema != schema_fingerprint():
            raise ApiError(426, "upgrade_required", server_version=__version__, protocol=PROTOCOL)
        token = (
            authorization[7:].strip()
            if authorization and authorization.lower().startswith("bearer ")
            else None
        )
        try:
            return hub().authenticate(token, device)
        except AuthError as exc:
            status = 409 if exc.code == "token_other_device" else 401
            logs.event("auth_refused", code=exc.code)
            raise ApiError(status, exc.code) from None

    @app.get("/health", response_model=Health)
    def health() -> dict[str, object]:
        return {"status": "ok", "protocol": PROTOCOL, "schema": schema_fingerprint(), "version": __version__}

    @app.post("/v1/push", response_model=PushResult, responses=_ERRORS)
    def push(body: PushRequest, auth: Annotated[TokenInfo, Depends(checked)]) -> Response:
        if body.device != auth.client_device:
            raise ApiError(400, "device_mismatch")
        timer = logs.Timer()
        try:
            result = hub().push(auth.client_device, body.changes)
        except NumbersReused as exc:
            raise ApiError(409, "numbers_reused", last_seq=exc.last_seq) from None
        hub().touch(auth.id)
        logs.event(
            "push",
            token=auth.id,
            changes=len(body.changes),
            refused=len(result.refused),
            conflicts=result.conflicts,
            clamped=len(result.clamped),
            replayed=result.replayed,
            through=result.acked_through,
            ms=timer.ms,
        )
        return Response(orjson.dumps(result.model_dump()), media_type="application/json")

    @app.get("/v1/pull", response_model=PullPage, responses=_ERRORS)
    def pull(
        auth: Annotated[TokenInfo, Depends(checked)],
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = PULL_PAGE,
    ) -> Response:
        timer = logs.Timer()
        body = hub().pull(auth.client_device, after, limit)
        logs.event("pull", token=auth.id, after=after, bytes=len(body), ms=timer.ms)
        return Response(body, media_type="application/json")

    return app
