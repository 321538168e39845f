"""The /match page, and the "similar organisations" block of the organisation page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from triplehelix.directory.schemas import OrganisationDetail
from triplehelix.i18n import current_locale, lazy_gettext
from triplehelix.matching import service
from triplehelix.matching.deps import IndexDep
from triplehelix.matching.service.index import index_for
from triplehelix.taxonomy import get_taxonomy
from triplehelix.web import render

router = APIRouter(tags=["matching pages"], include_in_schema=False)
Values = Annotated[list[str], Query()]

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
    q: str = "",
    kind: Values = [],  # noqa: B006 - FastAPI copies defaults per request
    cluster: Values = [],  # noqa: B006
    city: Values = [],  # noqa: B006
    stage: Values = [],  # noqa: B006
    modality: Values = [],  # noqa: B006
    shared: bool = False,
    region: Literal["in", "all"] = "in",
) -> HTMLResponse:
    def given(values: list[str]) -> list[str]:  # the form sends "" for "any"
        return [v for v in values if v]

    kind, cluster, city = given(kind), given(cluster), given(city)
    stage, modality = given(stage), given(modality)
    filters = service.MatchFilters(
        kind=kind, cluster=cluster, city=city, stage=stage, modality=modality, shared_only=shared,
        region_only=region == "in",
    )  # fmt: skip
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
    chosen = {"kind": kind, "cluster": cluster, "stage": stage, "modality": modality}
    return render(
        request, "matching/match.html", q=q, result=result, options=options, chosen=chosen,
        shared=shared, examples=[str(e) for e in EXAMPLES], region=region,
    )  # fmt: skip


def similar_context(request: Request, session: Session, org: OrganisationDetail) -> dict[str, Any]:
    """Section of the organisation page (matching's `sections` in triplehelix.features)."""
    index = index_for(session, request.app.state.settings.data_dir)
    return {"similar": service.similar_organisations(index, org.id, 5)}
