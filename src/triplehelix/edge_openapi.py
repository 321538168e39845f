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

from triplehelix.accounts.deps import api_token, api_user, check_csrf, current_user
from triplehelix.edge import ErrorBody, ErrorItem

SCHEME = "bearerToken"
DESCRIPTIONS = {
    303: "Sign in first: Location names the sign-in page.",
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


def _takes_token(route: APIRoute) -> bool:
    return _uses(route.dependant, api_user) or _uses(route.dependant, api_token)


def refusals(route: APIRoute) -> list[int]:
    """The error statuses a route can answer, derived from its parameters and dependencies."""
    codes = {422, 503}
    if route.dependant.path_params:
        codes.add(404)
    if any(p.name == "offset" for p in route.dependant.query_params):
        codes.add(404)  # a page past the end names the last one
    token = _takes_token(route)
    if token:
        codes |= {401, 403}
    if _uses(route.dependant, check_csrf):
        codes.add(403)
    if _uses(route.dependant, current_user):
        codes |= {303, 403}
    writes = bool((route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"})
    if writes:
        codes.add(413)
    if token and writes:
        codes |= {404, 409}  # the body can name a resource that does not exist
    return sorted(codes)


# What the edge guard lets through, said in the document so that clients and generators know.
NO_CONTROL = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"


def _forbid_control(node: Any) -> None:
    """Give every plain string in the document the pattern of the edge guard."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(node):
            node["pattern"] = NO_CONTROL
        for value in node.values():
            _forbid_control(value)
    elif isinstance(node, list):
        for value in node:
            _forbid_control(value)


def _forbid_control_in_requests(schema: dict[str, Any]) -> None:
    """Parameters and request bodies, with the component schemas they use (not responses)."""
    schemas = schema.get("components", {}).get("schemas", {})
    pending: list[Any] = []
    for operations in schema["paths"].values():
        for operation in operations.values():
            pending += [operation.get("parameters", []), operation.get("requestBody", {})]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        _forbid_control(node)
        for name in _refs(node) - seen:
            seen.add(name)
            pending.append(schemas.get(name, {}))


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        own = {ref.rsplit("/", 1)[-1]} if isinstance(ref, str) else set()
        return own.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """(path as in the document, route) of every API route, inside included routers too."""
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema and context.path_format:
            yield context.path_format, route


def _error_response(code: int, api: bool) -> dict[str, Any]:
    """The API refuses with an ErrorBody; pages (and their forms) with a readable HTML page."""
    if code == 303:
        return {"description": DESCRIPTIONS[code]}
    body = (
        {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        if api
        else {"text/html": {"schema": {"type": "string"}}}
    )
    out: dict[str, Any] = {"description": DESCRIPTIONS[code], "content": body}
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
                responses[str(code)] = _error_response(code, path.startswith("/api"))
            if _takes_token(route):
                operation["security"] = [{SCHEME: []}]
    _forbid_control_in_requests(schema)


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
