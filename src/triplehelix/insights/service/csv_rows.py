"""The insight numbers as flat tables (header row first) for CSV download.

Headers and the few words in the cells are in the request's language; codes (stages, modalities,
organisation ids, clusters) stay codes, the same as the JSON under /api/insights."""

from __future__ import annotations

import csv
import io

from triplehelix.i18n import gettext as _
from triplehelix.insights.schemas import CoveragePublic, GrowthPublic, MapPublic, NetworkPublic

Rows = list[list[object]]


def coverage_rows(data: CoveragePublic) -> Rows:
    """Each domain's grid in turn: a header row naming the domain and its columns, its stages,
    and its totals."""
    rows: Rows = []
    for grid in data.domains:
        rows.append([_("%(domain)s stage") % {"domain": grid.domain}, *grid.columns, _("all")])
        for stage, cells, total in zip(grid.stages, grid.cells, grid.stage_totals, strict=True):
            rows.append([stage, *cells, total])
        rows.append([_("all"), *grid.column_totals, grid.organisations])
    return rows


def growth_rows(data: GrowthPublic) -> Rows:
    kinds = list(data.events)
    rows: Rows = [
        [
            _("year"),
            _("founded"),
            _("moved_in"),
            *(_("events_%(kind)s") % {"kind": k} for k in kinds),
            _("cumulative_founded"),
            _("cumulative_moved_in"),
            _("cumulative_events"),
        ]
    ]
    for i, year in enumerate(data.years):
        rows.append(
            [
                year,
                data.founded[i],
                data.moved_in[i],
                *(data.events[k][i] for k in kinds),
                data.cumulative_founded[i],
                data.cumulative_moved_in[i],
                data.cumulative_events[i],
            ]
        )
    return rows


def network_rows(data: NetworkPublic) -> Rows:
    header: list[object] = [
        "id",
        _("name"),
        "cluster",
        _("degree"),
        _("betweenness"),
        _("community"),
        _("bridge"),
    ]
    rows: Rows = [header]
    for n in sorted(data.nodes, key=lambda n: (-n.betweenness, n.id)):
        rows.append(
            [
                n.id,
                n.name,
                n.cluster or "",
                n.degree,
                n.betweenness,
                data.communities[n.community],
                _("yes") if n.bridge else _("no"),
            ]
        )
    return rows


def map_rows(data: MapPublic) -> Rows:
    rows: Rows = [["code", _("municipality"), _("organisations"), _("population")]]
    rows += [[m.code, m.name, m.organisations, m.population or ""] for m in data.municipalities]
    rows.append(["", _("outside the region"), data.outside_region, ""])
    return rows


def to_csv(rows: Rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
