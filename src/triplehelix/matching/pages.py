"""The /match page, and the "similar organisations" block of the organisation page."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from triplehelix.directory.schemas import OrganisationDetail
from triplehelix.matching import service
from triplehelix.matching.deps import IndexDep
from triplehelix.matching.highlight import segments
from triplehelix.matching.index import index_for
from triplehelix.taxonomy import get_taxonomy
from triplehelix.web import render, templates

router = APIRouter(tags=["matching pages"], include_in_schema=False)
Values = Annotated[list[str], Query()]
templates.env.globals["marked_segments"] = segments

EXAMPLES = [
    "GMP production of an AAV vector for a first-in-human trial",
    "phase I study in healthy volunteers",
    "organ-on-chip toxicity model",
    "drone transport of blood samples between hospitals",
    "thermal vacuum testing of a small satellite",
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
    tax = get_taxonomy()
    options = {
        "kind": [(t.code, t.label) for t in tax.schemes["organisation_kind"].terms]
        + [(t.code, t.label) for t in tax.schemes["facility_kind"].terms],
        "cluster": [(t.code, t.label) for t in tax.schemes["cluster"].terms],
        "stage": [(t.code, t.label) for t in tax.schemes["value_chain"].terms],
        "modality": [(t.code, t.label) for t in tax.schemes["modality"].terms],
    }
    chosen = {"kind": kind, "cluster": cluster, "stage": stage, "modality": modality}
    return render(
        request, "matching/match.html", q=q, result=result, options=options, chosen=chosen,
        shared=shared, examples=EXAMPLES, region=region,
    )  # fmt: skip


def similar_context(request: Request, session: Session, org: OrganisationDetail) -> dict[str, Any]:
    """For the organisation page (directory.pages.ORGANISATION_CONTEXT_HOOKS)."""
    index = index_for(session, request.app.state.settings.data_dir)
    return {"similar": service.similar_organisations(index, org.id, 5)}
