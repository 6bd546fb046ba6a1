"""The web application: routes, request limits and the worker pool. `create_app` takes every
setting as an argument (the policy folder, the limits), so tests and `pos serve` build the
same app."""

from __future__ import annotations

import asyncio
import multiprocessing
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pebble import ProcessPool
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import PosError
from ..policy.resources import given
from .payload import API_VERSION, kinds
from .worker import check_request

STATIC = Path(__file__).parent / "static"


class CheckRequest(BaseModel):
    """A case to check: its text in the case language, or its JSON form (docs/web.md)."""

    case: str | dict = Field(description="the case file's text, or the case as a JSON object "
                                         "(GET /v1/schema/{jurisdiction} describes it)")
    filename: str = Field("case.pos", max_length=200, pattern=r"^[^\n\r/\\]*$",
                          description="the name errors and derivations cite; never opened")
    settings: dict[str, str] = Field(default_factory=dict,
                                     description="readings of ambiguous text for this check (NAME: VALUE)")


class WhyNotRequest(CheckRequest):
    """A case and a finding it does not derive, named as `pos explain --why-not` takes it."""

    finding: str = Field(max_length=500, description='e.g. "approval legislative_council"')


class Limits(BaseModel):
    max_bytes: int = 512 * 1024  #: the largest request body accepted
    seconds: float = 20.0  #: the longest one check may take
    workers: int = 1  #: processes checking requests in parallel
    recycle_after: int = 200  #: requests a worker serves before it is replaced


class _BodyLimit:
    """Refuses a request body over the limit with 413, whether or not it declares its length:
    the body is read (never past the limit) before the app sees it, then handed on whole."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or {}).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            return await self._refuse(scope, send)
        body, more = b"", True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, receive, send)  # the client went away
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_bytes:
                return await self._refuse(scope, send)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        response = JSONResponse({"detail": f"the request is larger than {self.max_bytes:,} bytes"}, 413)
        await response(scope, _nothing, send)


async def _nothing() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def create_app(policies: Path | None = None, limits: Limits | None = None) -> FastAPI:
    """The app serving the policies in `policies` (None: chosen once, as the CLI would): every
    route and every worker is passed that folder, whatever the environment says later."""
    limits = limits or Limits()
    root = given(policies)
    pool: dict[str, ProcessPool] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # workers from a fork server, not forked from this threaded process: a fork taken while
        # another thread holds a lock deadlocks the child (check.py's pool hung so)
        pool["checks"] = ProcessPool(max_workers=limits.workers, max_tasks=limits.recycle_after,
                                     context=multiprocessing.get_context("forkserver"))
        yield
        pool.pop("checks").stop()

    app = FastAPI(title="pos-logic", version=__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
                  description="What the law requires of a purchase-of-service contract, and why.")

    @app.post("/v1/check", summary="Check a case", responses={
        200: {"description": "the findings (`case`) or the case's input errors (`errors`, 422)"},
        408: {"description": "the check took longer than the server's time limit"},
        413: {"description": "the request is larger than the server's size limit"}})
    async def check(request: CheckRequest):
        return await run(request.case, request.filename, request.settings)

    @app.post("/v1/why-not", summary="Why a case does not derive a finding", responses={
        200: {"description": "`text`: the rules that could derive it, each condition holding or failing"},
        408: {"description": "the check took longer than the server's time limit"}})
    async def why_not(request: WhyNotRequest):
        return await run(request.case, request.filename, request.settings, request.finding)

    async def run(*args):
        future = pool["checks"].schedule(check_request, (root, *args), timeout=limits.seconds)
        try:
            out = await asyncio.wrap_future(future)
        except (TimeoutError, FutureTimeout):
            raise HTTPException(408, f"the check took longer than {limits.seconds:g} s and was stopped") from None
        if "errors" in out:
            return JSONResponse(out, 422)
        if "query_error" in out:
            return JSONResponse({"detail": out["query_error"]}, 422)
        if "policy_error" in out:
            return JSONResponse(out, 500)
        return out

    @app.get("/v1/schema/{jurisdiction}", summary="The JSON Schema of a jurisdiction's JSON cases")
    def schema(jurisdiction: str):
        from ..language.casejson import json_schema
        from ..language.schema import jurisdictions

        known = jurisdictions(root)
        if jurisdiction not in known:
            raise HTTPException(404, f"unknown jurisdiction {jurisdiction!r}; known: {', '.join(known)}")
        return json_schema(jurisdiction, root)

    @app.get("/v1/rules", summary="The rule catalog: id, citation, sentence of every finding rule")
    def rules():
        from ..tools.catalog import catalog
        from ..policy.policy import load_policy
        from ..language.schema import jurisdictions

        try:
            return {j: catalog(load_policy(j, root)) for j in jurisdictions(root)}
        except PosError as err:
            raise HTTPException(500, str(err)) from None

    @app.get("/v1/meta", summary="Versions, jurisdictions and the finding kinds in checklist order")
    def meta():
        from ..language.schema import jurisdictions

        return {"version": API_VERSION, "tool": __version__, "jurisdictions": jurisdictions(root), "kinds": kinds()}

    @app.get("/v1/examples", summary="The bundled example cases, to start from")
    def examples():
        from ..policy.resources import examples_dir

        return [{"name": p.name, "text": p.read_text(encoding="utf-8")}
                for p in sorted(examples_dir().glob("*.pos"))]

    @app.get("/", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(_BodyLimit, max_bytes=limits.max_bytes)
    return app
