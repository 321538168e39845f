"""Server-rendered pages: one Jinja2 environment over src/triplehelix/templates, shared helpers."""

from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from triplehelix import i18n
from triplehelix.i18n import format as i18n_format
from triplehelix.taxonomy import get_taxonomy

templates = Jinja2Templates(directory=str(resources.files("triplehelix").joinpath("templates")))


def _label(scheme: str, code: str) -> str:
    return get_taxonomy().label(scheme, code)


def _url_with(request: Request, **changes: Any) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        values = value if isinstance(value, list | tuple) else [value]
        params += [(key, str(v)) for v in values]
    query = urlencode(params)
    return f"{request.url.path}?{query}" if query else request.url.path


# Templates ship inside the package and never change under a running server.
templates.env.auto_reload = False
# {{ _("...") }}, {% trans %} and ngettext in templates follow the request's locale (newstyle:
# translated text is autoescaped and takes %(name)s placeholders as keyword arguments).
templates.env.add_extension("jinja2.ext.i18n")
templates.env.install_gettext_callables(  # type: ignore[attr-defined]
    i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
)
templates.env.globals["current_locale"] = i18n.current_locale
templates.env.globals["available_locales"] = i18n.available_locales
templates.env.globals["language_name"] = i18n.language_name
templates.env.filters.update(
    format_date=i18n_format.format_date,
    format_datetime=i18n_format.format_datetime,
    format_time=i18n_format.format_time,
    format_number=i18n_format.format_number,
    format_percent=i18n_format.format_percent,
    format_list=i18n_format.format_list,
)
templates.env.globals["label"] = _label
templates.env.globals["url_with"] = _url_with


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
