"""The station's central sync service (FastAPI). ``create_app`` builds it on one SQLite store, so the CLI
(``liaison serve``), the tests and the benchmarks all run the same application.

Endpoints: ``GET /health`` (no token); ``GET /v1/session``, ``POST /v1/push``, ``GET /v1/pull``,
``POST /v1/rewind``, ``POST /v1/wiped`` (bearer token bound to one laptop). OpenAPI at ``/openapi.json``.

Every answer is JSON. Malformed requests get a 4xx naming the problem (422 for a body or query that does
not fit the schema, 413 past the body limit, 429 while an address is braked); a 500 is a bug, answered
with a request id that the JSON log records beside the stack (file and line only: exception messages can
quote personal data).
"""

import asyncio
import math
import traceback
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..domain.hlc import MAX_DRIFT_MS
from ..domain.sync_protocol import (
    HEADER_DEVICE,
    HEADER_PROTOCOL,
    HEADER_SCHEMA,
    HEADER_STARTER,
    HEADER_STARTER_KEY,
    MAX_BODY_BYTES,
    MAX_PULL_PAGE,
    MAX_SEQ,
    PROTOCOL,
    PULL_PAGE,
    ErrorBody,
    Health,
    PullPage,
    PushRequest,
    PushResult,
    Session,
    schema_fingerprint,
)
from ..store.hub import AuthError, FeedRewound, Gaps, Hub, Identity, NumbersReused, ServerBehind
from ..store.store import Store
from . import logs
from .brake import Brake
from .starters import STARTER_FROM, Starters


class ApiError(Exception):
    def __init__(
        self, status: int, error: str, headers: dict[str, str] | None = None, **detail: object
    ) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.headers = headers
        self.detail = detail


def _json(status: int, error: str, headers: dict[str, str] | None = None, **detail: Any) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": error, "detail": detail}, headers=headers)


class Guard:
    """Outermost ASGI layer: a request id, the body limit, one JSON log line per request, and a JSON 500
    (never a plain-text traceback) for anything that escapes the application."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        scope.setdefault("state", {})["request_id"] = request_id
        timer = logs.Timer()
        status = {"code": 500, "started": False}
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
            await _json(413, "body_too_large", limit=self.max_body)(scope, receive, send)
            logs.event(
                "request", method=scope["method"], path=scope["path"], status=413, ms=timer.ms, id=request_id
            )
            return
        # The body is read here, up to the limit, before the application sees any of it: FastAPI would
        # turn a failure while it reads into a generic 400, and an endpoint must never start on half a body.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_body:
                await _json(413, "body_too_large", limit=self.max_body)(scope, receive, send)
                logs.event(
                    "request",
                    method=scope["method"],
                    path=scope["path"],
                    status=413,
                    ms=timer.ms,
                    id=request_id,
                )
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def limited() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["started"] = True
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, limited, sending)
        except Exception as exc:
            logs.error(
                "internal_error",
                id=request_id,
                path=scope["path"],
                error=type(exc).__name__,
                stack=[
                    f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"
                    for f in traceback.extract_tb(exc.__traceback__)
                ],
            )
            if not status["started"]:
                await _json(500, "internal", request_id=request_id)(scope, receive, send)
            status["code"] = 500
        # The path only: no query string, no client address.
        logs.event(
            "request",
            method=scope["method"],
            path=scope["path"],
            status=status["code"],
            ms=timer.ms,
            id=request_id,
        )


class Checkpoints(BaseModel):
    checkpoints: list[
        tuple[Annotated[int, Field(ge=0, le=MAX_SEQ)], Annotated[str, Field(max_length=64)]]
    ] = Field(max_length=512)


class RewindAnswer(BaseModel):
    seq: int = Field(description="The newest checkpoint both hold: pull again from there.")


class PutsPage(BaseModel):
    puts: list[list[Any]] = Field(description="Records whole: [table, row, {field: clock}].")
    removes: list[list[str]] = Field(default=[], description="[table, id] of records that left the scope.")
    next: list[Any] | None = Field(description="Position of the next page, or null after the last.")
    top: int = Field(default=0, description="Snapshot: the feed position to pull from afterwards.")
    top_hlc: str | None = Field(default=None, description="Snapshot: the stamp of the change at ``top``.")


class ScopeStart(BaseModel):
    token: str
    changed: bool


class ScopeAck(BaseModel):
    token: str = Field(max_length=64)


class Digests(BaseModel):
    digests: dict[
        Annotated[str, Field(max_length=40)],
        dict[Annotated[str, Field(max_length=4)], Annotated[str, Field(max_length=64)]],
    ] = Field(max_length=64)


class Differ(BaseModel):
    differ: list[tuple[str, str]]


class BucketHashes(BaseModel):
    tbl: str = Field(max_length=40)
    bucket: str = Field(max_length=4)
    hashes: dict[Annotated[str, Field(max_length=64)], Annotated[int, Field(ge=0, le=2**62)]] = Field(
        max_length=200_000
    )


class BucketAnswer(BaseModel):
    puts: list[list[Any]]
    removes: list[list[str]]
    unknown: int


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorBody,
        "description": "Missing, unknown, revoked or expired token; inactive staff member.",
    },
    409: {
        "model": ErrorBody,
        "description": "Token bound to another laptop, device id taken, numbering conflicts.",
    },
    413: {"model": ErrorBody, "description": "Request body over the limit."},
    422: {"model": ErrorBody, "description": "Request does not fit the schema."},
    426: {"model": ErrorBody, "description": "Protocol or schema mismatch: update Liaison."},
    429: {"model": ErrorBody, "description": "Too many failed attempts from this address: wait."},
}
_AUTH_STATUS = {"token_other_device": 409, "device_taken": 409, "device_invalid": 400}


def create_app(
    db_path: str | Path,
    *,
    max_drift_ms: int = MAX_DRIFT_MS,
    max_body: int = MAX_BODY_BYTES,
    brake: Brake | None = None,
    passphrase: str | None = None,
    starter_from: int = STARTER_FROM,
) -> FastAPI:
    """``starter_from``: keep a starter store for new laptops once the feed holds this many changes."""
    state: dict[str, Any] = {}
    braking = brake or Brake()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = Store.open(db_path, author="server", passphrase=passphrase, index=False)
        state["hub"] = Hub(store, max_drift_ms=max_drift_ms)
        state["starters"] = Starters(store, starter_from=starter_from)
        state["starters"].refresh(state["hub"].feed.top())
        logs.event("started", schema=schema_fingerprint(), protocol=PROTOCOL, version=__version__)
        try:
            yield
        finally:
            state["hub"].close()
            store.close()
            logs.event("stopped")

    app = FastAPI(
        title="Liaison station sync service",
        version=__version__,
        lifespan=lifespan,
        description="Central service that laptops push their changes to and pull others' changes from. "
        "See docs/SYNC.md and docs/SECURITY.md.",
    )

    def hub() -> Hub:
        hub: Hub = state["hub"]
        return hub

    def starters() -> Starters:
        kept: Starters = state["starters"]
        return kept

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return _json(exc.status, exc.error, exc.headers, **exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and what, never the offending input (it may be personal data).
        problems = [
            {"loc": [str(p) for p in e.get("loc", ())], "type": e.get("type")} for e in exc.errors()[:20]
        ]
        return _json(422, "invalid_request", problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "not_found", 405: "method_not_allowed"}
        return _json(exc.status_code, names.get(exc.status_code, f"http_{exc.status_code}"))

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError) -> JSONResponse:
        return _json(400, "too_deeply_nested")

    async def checked(
        request: Request,
        authorization: Annotated[str | None, Header(max_length=512)] = None,
        protocol: Annotated[str | None, Header(alias=HEADER_PROTOCOL, max_length=16)] = None,
        schema: Annotated[str | None, Header(alias=HEADER_SCHEMA, max_length=64)] = None,
        device: Annotated[str | None, Header(alias=HEADER_DEVICE, max_length=64)] = None,
    ) -> Identity:
        if protocol != str(PROTOCOL) or schema != schema_fingerprint():
            raise ApiError(426, "upgrade_required", server_version=__version__, protocol=PROTOCOL)
        address = request.client.host if request.client else "unknown"
        wait = braking.blocked_for(address)
        if wait:
            raise ApiError(
                429, "too_many_attempts", {"Retry-After": str(math.ceil(wait))}, retry_after=math.ceil(wait)
            )
        token = (
            authorization[7:].strip()
            if authorization and authorization.lower().startswith("bearer ")
            else None
        )
        try:
            who = await run_in_threadpool(hub().authenticate, token, device)
        except AuthError as exc:
            delay, count, blocked = braking.failed(address)
            logs.event("auth_refused", code=exc.code, client=braking.label(address), failures=count)
            if blocked:
                logs.event("auth_throttled", client=braking.label(address), seconds=braking.block_s)
            if delay:
                await asyncio.sleep(delay)
            raise ApiError(_AUTH_STATUS.get(exc.code, 401), exc.code) from None
        braking.succeeded(address)
        return who

    @app.get("/health", response_model=Health)
    def health() -> dict[str, object]:
        return {"status": "ok", "protocol": PROTOCOL, "schema": schema_fingerprint(), "version": __version__}

    @app.get("/v1/session", response_model=Session, responses=_ERRORS)
    def session(who: Annotated[Identity, Depends(checked)]) -> Response:
        return Response(orjson.dumps(hub().session(who).model_dump()), media_type="application/json")

    @app.post("/v1/push", response_model=PushResult, responses=_ERRORS)
    def push(body: PushRequest, who: Annotated[Identity, Depends(checked)]) -> Response:
        if body.device is not None and body.device != who.device:
            raise ApiError(400, "device_mismatch")
        timer = logs.Timer()
        try:
            result = hub().push(who, body.changes, body.pushed_through)
        except NumbersReused as exc:
            raise ApiError(409, "numbers_reused", last_seq=exc.last_seq) from None
        except ServerBehind as exc:
            logs.event("server_behind", token=who.token_id, last_seq=exc.last_seq, pushed=body.pushed_through)
            raise ApiError(409, "server_behind", last_seq=exc.last_seq) from None
        hub().touch(who.token_id)
        if any(change.tbl == "erasures" for change in body.changes):
            starters().discard()  # it holds the person: no copy may outlive the erasure
            starters().refresh(hub().feed.top())
        logs.event(
            "push",
            token=who.token_id,
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
        who: Annotated[Identity, Depends(checked)],
        after: Annotated[int, Query(ge=0, le=MAX_SEQ)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = PULL_PAGE,
        after_hlc: Annotated[str | None, Query(max_length=64)] = None,
        gaps: Annotated[str | None, Query(max_length=2048, pattern=r"^[0-9,\-]*$")] = None,
        first: Annotated[
            bool, Query(description="The round's first page: it also carries the session.")
        ] = False,
    ) -> Response:
        if who.wipe:
            raise ApiError(410, "wipe")
        try:
            held = Gaps.parse(gaps)
        except ValueError:
            raise ApiError(
                422, "invalid_request", problems=[{"loc": ["query", "gaps"], "type": "value_error"}]
            ) from None
        timer = logs.Timer()
        try:
            body = hub().pull(who, after, limit, after_hlc=after_hlc, gaps=held, first=first)
        except FeedRewound as exc:
            logs.event("feed_rewound", token=who.token_id, after=after, top=exc.top)
            raise ApiError(409, "feed_rewound", top=exc.top) from None
        logs.event("pull", token=who.token_id, after=after, bytes=len(body), ms=timer.ms)
        return Response(body, media_type="application/json")

    @app.post("/v1/rewind", response_model=RewindAnswer, responses=_ERRORS)
    def rewind(body: Checkpoints, who: Annotated[Identity, Depends(checked)]) -> dict[str, int]:
        return {"seq": hub().feed.common_checkpoint(list(body.checkpoints))}

    def not_wiping(who: Identity) -> None:
        if who.wipe:
            raise ApiError(410, "wipe")

    @app.get("/v1/snapshot", response_model=PutsPage, responses=_ERRORS)
    def snapshot(
        who: Annotated[Identity, Depends(checked)],
        table: Annotated[int, Query(ge=0, le=64)] = 0,
        after: Annotated[str, Query(max_length=64)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = PULL_PAGE,
    ) -> Response:
        """Every record, page by page, for a whole-station laptop filling up."""
        not_wiping(who)
        if who.kit:
            raise ApiError(409, "kit_laptop")  # a kit laptop fills through its scope
        return Response(orjson.dumps(hub().snapshot(who, table, after, limit)), media_type="application/json")

    @app.get(
        "/v1/starter",
        responses={**_ERRORS, 200: {"content": {"application/octet-stream": {}}}},
        response_class=StreamingResponse,
    )
    def starter(who: Annotated[Identity, Depends(checked)]) -> StreamingResponse:
        """The starter store for a new whole-station laptop (docs/SYNC.md), 404 when none is ready."""
        not_wiping(who)
        if who.kit:
            raise ApiError(409, "kit_laptop")  # a kit laptop fills through its scope
        ready = starters().current(hub().feed.reader())
        starters().refresh(hub().feed.top())
        if ready is None:
            raise ApiError(404, "no_starter")
        path, info, key = ready
        handle = open(path, "rb")  # noqa: SIM115 - closed by the stream; held open, a rebuild cannot swap it

        def chunks() -> Iterator[bytes]:
            with handle:
                while chunk := handle.read(1 << 20):
                    yield chunk

        logs.event("starter_sent", token=who.token_id, mb=info.size >> 20)
        headers = {
            "Content-Length": str(info.size),
            HEADER_STARTER: orjson.dumps(info.model_dump(by_alias=True)).decode(),
            HEADER_STARTER_KEY: key,
        }
        return StreamingResponse(chunks(), media_type="application/octet-stream", headers=headers)

    @app.post("/v1/scope", response_model=ScopeStart, responses=_ERRORS)
    def scope(who: Annotated[Identity, Depends(checked)]) -> dict[str, Any]:
        """Compute and stage a trip-kit laptop's scope; ``changed`` false: nothing moved since it last took one."""
        not_wiping(who)
        timer = logs.Timer()
        answer = hub().scope_begin(who)
        logs.event("scope", token=who.token_id, changed=answer["changed"], ms=timer.ms)
        return answer

    @app.get("/v1/scope/page", response_model=PutsPage, responses=_ERRORS)
    def scope_page(
        who: Annotated[Identity, Depends(checked)],
        table: Annotated[int, Query(ge=0, le=64)] = 0,
        after: Annotated[str, Query(max_length=64)] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_PAGE)] = 2000,
    ) -> Response:
        not_wiping(who)
        page = hub().scope_page(who, (table, after), limit)
        return Response(orjson.dumps(page), media_type="application/json")

    @app.post("/v1/scope/ack", status_code=204, responses=_ERRORS)
    def scope_ack(body: ScopeAck, who: Annotated[Identity, Depends(checked)]) -> Response:
        not_wiping(who)
        if not hub().scope_ack(who, body.token):
            raise ApiError(409, "scope_moved")
        return Response(status_code=204)

    @app.post("/v1/digest", response_model=Differ, responses=_ERRORS)
    def digest(body: Digests, who: Annotated[Identity, Depends(checked)]) -> dict[str, Any]:
        """The (table, bucket) pairs where the laptop's records differ from what the server holds for it."""
        not_wiping(who)
        from ..store.digest import differing

        timer = logs.Timer()
        differ = differing(body.digests, hub().digests(who))
        logs.event("digest", token=who.token_id, differ=len(differ), ms=timer.ms)
        return {"differ": differ[:5000]}

    @app.post("/v1/digest/bucket", response_model=BucketAnswer, responses=_ERRORS)
    def digest_bucket(body: BucketHashes, who: Annotated[Identity, Depends(checked)]) -> Response:
        not_wiping(who)
        from ..store.digest import tables

        if body.tbl not in tables():
            raise ApiError(422, "invalid_request", problems=[{"loc": ["body", "tbl"], "type": "value_error"}])
        answer = hub().bucket(who, body.tbl, body.bucket, body.hashes)
        return Response(orjson.dumps(answer), media_type="application/json")

    @app.post("/v1/wiped", status_code=204, responses=_ERRORS)
    def wiped(who: Annotated[Identity, Depends(checked)]) -> Response:
        if not who.wipe:
            raise ApiError(409, "not_wiping")
        hub().accounts.mark_wiped(who.token_id)
        logs.event("wiped", token=who.token_id)
        return Response(status_code=204)

    app.add_middleware(Guard, max_body=max_body)
    return app
