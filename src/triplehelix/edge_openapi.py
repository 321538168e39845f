"""The OpenAPI document says what the API really answers: the bearer security scheme on routes
that need a token, and the refusals each route can give, all with the one `ErrorBody` shape.

What a route can refuse is derived from how it is built, so a new route is described without a
list to keep: a path parameter can name nothing (404); a token route answers 401 without a token
and 403 when the person may not; a write with a token can conflict (409); every route can get 422
(a bad value, or a control character the edge guard refuses), 413 for a body over the limit, and
503 while the database is busy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from triplehelix.accounts.deps import api_user
from triplehelix.edge import ErrorBody, ErrorItem

SCHEME = "bearerToken"
DESCRIPTIONS = {
    401: "No valid personal API token (Authorization: Bearer TOKEN).",
    403: "The token's owner may not do this.",
    404: "Nothing with that id.",
    409: "Conflicts with what is stored (for a booking: the slot is taken).",
    413: "The request body is too large.",
    422: "A value is invalid; `errors` names each field.",
    503: "The database is busy; try again after Retry-After seconds.",
}


def _uses(dependant: Dependant, call: object) -> bool:
    return any(d.call is call or _uses(d, call) for d in dependant.dependencies)


def refusals(route: APIRoute) -> list[int]:
    """The error statuses a route can answer, derived from its parameters and dependencies."""
    codes = {422, 503}
    if route.dependant.path_params:
        codes.add(404)
    token = _uses(route.dependant, api_user)
    if token:
        codes |= {401, 403}
    writes = bool((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
    if writes:
        codes.add(413)
    if token and writes:
        codes.add(409)
    return sorted(codes)


def _api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """(path as in the document, route) of every API route, inside included routers too."""
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema and context.path_format:
            yield context.path_format, route


def _error_response(code: int) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    out: dict[str, Any] = {"description": DESCRIPTIONS[code],
                           "content": {"application/json": {"schema": ref}}}  # fmt: skip
    if code == 503:
        out["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return out


def _describe(schema: dict[str, Any], app: FastAPI) -> None:
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["ErrorItem"] = ErrorItem.model_json_schema()
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    body.pop("$defs", None)
    schemas["ErrorBody"] = body
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = {SCHEME: {"type": "http", "scheme": "bearer"}}
    for path, route in _api_routes(app):
        for method in route.methods or ():
            operation = schema["paths"].get(path, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for code in refusals(route):
                responses[str(code)] = _error_response(code)
            if _uses(route.dependant, api_user):
                operation["security"] = [{SCHEME: []}]


def install(app: FastAPI) -> None:
    """Replace the app's OpenAPI builder with one that adds the refusals and the security."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes,
            )  # fmt: skip
            _describe(schema, app)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
