"""The /match page, and the "similar organisations" block of the organisation page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from triplehelix.directory.schemas import OrganisationDetail
from triplehelix.i18n import current_locale, lazy_gettext
from triplehelix.matching import service
from triplehelix.matching.deps import IndexDep
from triplehelix.matching.schemas import MatchPageQuery
from triplehelix.matching.service.index import index_for
from triplehelix.taxonomy import get_taxonomy
from triplehelix.web import render

router = APIRouter(tags=["matching pages"], include_in_schema=False)

# Needs to try, written in the page's language (the matcher reads Dutch needs as well).
EXAMPLES = [
    lazy_gettext("GMP production of an AAV vector for a first-in-human trial"),
    lazy_gettext("phase I study in healthy volunteers"),
    lazy_gettext("organ-on-chip toxicity model"),
    lazy_gettext("drone transport of blood samples between hospitals"),
    lazy_gettext("thermal vacuum testing of a small satellite"),
]


@router.get("/match", response_class=HTMLResponse)
def match_page(
    request: Request,
    index: IndexDep,
    query: Annotated[MatchPageQuery, Query()],
    q: str = "",
) -> HTMLResponse:
    f = query.chosen()
    filters = service.MatchFilters.of(f, f.region)
    result = service.match_need(index, q, 15, filters) if q.strip() else None
    tax, language = get_taxonomy(), current_locale()

    def named(scheme: str) -> list[tuple[str, str]]:
        return [(t.code, t.label_in(language)) for t in tax.schemes[scheme].terms]

    options = {
        "kind": named("organisation_kind") + named("facility_kind"),
        "cluster": named("cluster"),
        "stage": named("value_chain"),
        "modality": named("modality"),
    }
    chosen = {"kind": f.kind, "cluster": f.cluster, "stage": f.stage, "modality": f.modality}
    return render(
        request, "matching/match.html", q=q, result=result, options=options, chosen=chosen,
        shared=f.shared, examples=[str(e) for e in EXAMPLES], region=f.region,
    )  # fmt: skip


def similar_context(request: Request, session: Session, org: OrganisationDetail) -> dict[str, Any]:
    """Section of the organisation page (matching's `sections` in triplehelix.features)."""
    index = index_for(session, request.app.state.settings.data_dir)
    return {"similar": service.similar_organisations(index, org.id, 5)}
