"""Use of resources: hours booked (confirmed bookings, not maintenance), their share of the hours
the resources were open, and their cost, per resource, organisation or project, per ISO week or
per month, as rows, CSV (for recharging) and an SVG chart."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.accounts.service.labels import code_label
from triplehelix.facilities.models import Booking, Resource
from triplehelix.facilities.schemas import rules
from triplehelix.i18n import gettext as _

PER = ("resource", "organisation", "project")


@dataclass(frozen=True)
class Row:
    period: str
    group: str
    hours: float
    open_hours: float = 0.0  # open hours of the resource (per resource) or of all in scope
    cost_cents: int = 0

    @property
    def share(self) -> float | None:
        """Hours booked as a fraction of open hours (None when nothing was open)."""
        return self.hours / self.open_hours if self.open_hours else None


def period_of(moment: datetime, by: str) -> str:
    if by == "week":
        year, week, _weekday = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment:%Y-%m}"


def period_bounds(period: str, by: str) -> tuple[date, date]:
    """First day and the day after the last of a period label."""
    if by == "week":
        year, week = period.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
        return first, first + timedelta(days=7)
    first = date.fromisoformat(f"{period}-01")
    return first, date(first.year + first.month // 12, first.month % 12 + 1, 1)


def open_hours(resource: Resource, period: str, by: str) -> float:
    first, after = period_bounds(period, by)
    zone = ZoneInfo(resource.timezone)
    start, end = datetime.combine(first, time(0), zone), datetime.combine(after, time(0), zone)
    return (
        sum((b - a).total_seconds() for a, b in rules.open_intervals(resource, start, end)) / 3600
    )


def _group(booking: Booking, resource: Resource, per: str) -> str:
    if per == "resource":
        return f"{resource.name} ({resource.facility_id})"
    if per == "project":
        return booking.project_code or _("(none)")
    return booking.organisation_id or _("(none)")


def utilisation(
    session: Session, by: str = "month", per: str = "resource", facility_ids: set[str] | None = None
) -> list[Row]:
    """Hours, share of open hours and cost per (period, group); a booking counts in the period
    it starts, at the cost it carried when it was made."""
    query = (
        select(Booking, Resource)
        .join(Resource)
        .where(Booking.status == "confirmed", Booking.kind == "booking")
    )
    if facility_ids is not None:
        query = query.where(Resource.facility_id.in_(facility_ids))
    hours: dict[tuple[str, str], float] = defaultdict(float)
    cost: dict[tuple[str, str], int] = defaultdict(int)
    used: dict[str, Resource] = {}
    resource_of: dict[str, Resource] = {}
    for booking, resource in session.execute(query):
        local = booking.start_at.astimezone(ZoneInfo(resource.timezone))
        key = (period_of(local, by), _group(booking, resource, per))
        hours[key] += (booking.end_at - booking.start_at).total_seconds() / 3600
        cost[key] += booking.cost_cents or 0
        used[str(resource.id)] = resource
        resource_of[key[1]] = resource
    rows = []
    for (period, group), total in sorted(hours.items()):
        scope = [resource_of[group]] if per == "resource" else list(used.values())
        available = sum(open_hours(r, period, by) for r in scope)
        rows.append(Row(period, group, round(total, 2), round(available, 2),
                        cost[(period, group)]))  # fmt: skip
    return rows


def as_csv(rows: list[Row], per: str) -> str:

    out = io.StringIO()
    writer = csv.writer(out)
    # Column names in the request's language; the values stay machine-readable (dot decimals).
    header = [_("period"), code_label(per), _("hours"), _("open_hours")]
    writer.writerow([*header, _("share_of_open_hours"), _("cost_eur")])
    for row in rows:
        share = "" if row.share is None else f"{row.share:.4f}"
        writer.writerow([row.period, row.group, f"{row.hours:g}", f"{row.open_hours:g}", share,
                         f"{row.cost_cents / 100:.2f}"])  # fmt: skip
    return out.getvalue()


def as_svg(rows: list[Row], title: str) -> str:
    """Stacked bars: hours per period, one colour per resource, organisation or project."""
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
    ax.set_ylabel(_("hours booked"))
    ax.set_title(title)
    if groups:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    fig.tight_layout()
    out = io.StringIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    return out.getvalue()
