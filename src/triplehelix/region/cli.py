"""For `triplehelix info`: organisations per domain and per municipality of the region."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triplehelix.config import Settings
from triplehelix.console import migrated_engine
from triplehelix.db import transaction
from triplehelix.directory import models as m
from triplehelix.region.schemas.gazetteer import get_gazetteer
from triplehelix.region.service import scope as region_scope
from triplehelix.taxonomy import get_taxonomy


def region_counts(session: Session) -> dict[str, object]:
    tax, gaz = get_taxonomy(), get_gazetteer()
    tag = m.OrganisationTag
    per_domain = dict(
        session.execute(
            select(tag.code, func.count()).where(tag.scheme == "domain").group_by(tag.code)
        ).all()
    )
    in_region = len(region_scope.scope_ids(session))
    total = session.scalar(select(func.count()).select_from(m.Organisation)) or 0
    return {
        "domains": {d.code: int(per_domain.get(d.code, 0)) for d in tax.domains()},
        "municipalities": {
            code: {
                "name": gaz.name(code),
                "organisations": len(region_scope.scope_ids(session, municipality=code)),
            }
            for code in gaz.region_municipalities
        },
        "in_region": in_region,
        "outside_region": total - in_region,
    }


def info(settings: Settings) -> dict[str, object]:
    with transaction(migrated_engine(settings)) as session:
        return region_counts(session)
