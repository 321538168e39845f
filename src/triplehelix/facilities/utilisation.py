"""Use of resources: hours booked (confirmed bookings, not maintenance) per resource and per
organisation, per ISO week or per month, as rows, CSV and an SVG chart."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.facilities.models import Booking, Resource


@dataclass(frozen=True)
class Row:
    period: str
    group: str
    hours: float


def period_of(moment: datetime, by: str) -> str:
    if by == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment:%Y-%m}"


def utilisation(
    session: Session, by: str = "month", per: str = "resource", facility_ids: set[str] | None = None
) -> list[Row]:
    """Hours per (period, resource or organisation); a booking counts in the period it starts."""
    query = (
        select(Booking, Resource.name, Resource.facility_id)
        .join(Resource)
        .where(Booking.status == "confirmed", Booking.kind == "booking")
    )
    if facility_ids is not None:
        query = query.where(Resource.facility_id.in_(facility_ids))
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for booking, name, facility_id in session.execute(query):
        group = (
            f"{name} ({facility_id})" if per == "resource" else booking.organisation_id or "(none)"
        )
        hours = (booking.end_at - booking.start_at).total_seconds() / 3600
        totals[(period_of(booking.start_at, by), group)] += hours
    return [Row(p, g, round(h, 2)) for (p, g), h in sorted(totals.items())]


def as_csv(rows: list[Row], per: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", per, "hours"])
    for row in rows:
        writer.writerow([row.period, row.group, f"{row.hours:g}"])
    return out.getvalue()


def as_svg(rows: list[Row], title: str) -> str:
    """Stacked bars: hours per period, one colour per resource or organisation."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    periods = sorted({r.period for r in rows})
    groups = sorted({r.group for r in rows})
    hours = {(r.period, r.group): r.hours for r in rows}
    fig, ax = plt.subplots(figsize=(8, 3.6))
    bottom = [0.0] * len(periods)
    for group in groups:
        values = [hours.get((p, group), 0.0) for p in periods]
        ax.bar(periods, values, bottom=bottom, label=group)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("hours booked")
    ax.set_title(title)
    if groups:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    return out.getvalue()
