"""The insight pictures, drawn with matplotlib (Agg, no window): coverage grid, growth, network and
region map. Each function takes the service's output and returns a Figure; marks carry SVG ids
(`cell-…`, `bar-…`, `nodes-…`, `municipality-…`) so tests and pages can find them.
"""

from __future__ import annotations

import math
from typing import Any, cast

import networkx as nx
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon, Rectangle

from triplehelix.i18n import current_locale, ngettext
from triplehelix.i18n import gettext as _
from triplehelix.i18n.format import format_number
from triplehelix.insights.schemas import (
    CoveragePublic,
    DomainCoverage,
    GrowthPublic,
    MapPublic,
    NetworkPublic,
)
from triplehelix.insights.service import geo
from triplehelix.insights.service.chartkit import (
    CLUSTER_STYLE,
    FONT,
    INK,
    KIND_STYLE,
    MUTED,
    SEQUENTIAL,
    Label,
    new_figure,
    place_labels,
)
from triplehelix.taxonomy import get_taxonomy


def coverage_chart(data: CoveragePublic) -> Figure:
    """One grid per domain, stacked: its stages down, its second axis across; each cell's count
    in it, shaded by count, and linked to the directory list of exactly those organisations."""
    heights = [max(len(g.stages), 1) + 4.5 for g in data.domains] or [3.0]
    fig = new_figure(10, 0.42 * sum(heights) + 0.6)
    if not data.domains:
        ax = fig.add_subplot()
        ax.axis("off")
        text = _("No organisations %(scope)s.") % {"scope": data.scope.phrase}
        ax.text(0, 0.5, text, fontsize=FONT + 1)
        return fig
    axes = fig.subplots(len(data.domains), 1, gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, grid in zip(axes[:, 0], data.domains, strict=True):
        _grid_axes(ax, grid, data.scope.phrase)
    return fig


def _grid_axes(ax: Any, grid: DomainCoverage, phrase: str) -> None:
    rows, cols = len(grid.stages), len(grid.columns)
    peak = max((max(r) for r in grid.cells if r), default=0) or 1
    cmap, norm = colormaps[SEQUENTIAL], Normalize(0, peak)
    for i, stage in enumerate(grid.stages):
        for j, column in enumerate(grid.columns):
            n = grid.cells[i][j]
            face = cmap(0.15 + 0.85 * norm(n)) if n else "white"
            cell = Rectangle((j, i), 1, 1, facecolor=face, edgecolor="#cccccc", linewidth=0.6)
            cell.set_gid(f"cell-{grid.domain}-{stage}-{column}")
            cell.set_url(grid.links[i][j])
            ax.add_patch(cell)
            dark = n and norm(n) > 0.55
            ax.text(
                j + 0.5,
                i + 0.5,
                str(n) if n else "·",
                ha="center",
                va="center",
                fontsize=FONT,
                color="white" if dark else (INK if n else "#999999"),
            )
    for i, total in enumerate(grid.stage_totals):
        ax.text(
            cols + 0.15, i + 0.5, str(total), ha="left", va="center", fontsize=FONT - 1, color=MUTED
        )
    ax.text(cols + 0.15, -0.25, _("all"), ha="left", va="bottom", fontsize=FONT - 1, color=MUTED)
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_xticks([j + 0.5 for j in range(cols)])
    ax.set_yticks([i + 0.5 for i in range(rows)], grid.stage_labels, fontsize=FONT)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    ax.set_xticklabels(
        grid.column_labels, rotation=35, ha="left", rotation_mode="anchor", fontsize=FONT
    )
    for side in ax.spines.values():
        side.set_visible(False)
    title = ngettext(
        "%(domain)s %(scope)s: stages by %(axis)s (%(num)s organisation)",
        "%(domain)s %(scope)s: stages by %(axis)s (%(num)s organisations)",
        grid.organisations,
    ) % {
        "domain": grid.domain_label,
        "scope": phrase,
        "axis": grid.axis_label.lower(),
        "num": format_number(grid.organisations),
    }
    ax.set_title(
        title,
        fontsize=FONT + 1,
        loc="left",
        pad=12,
    )


def growth_chart(data: GrowthPublic) -> Figure:
    """Three panels on one time axis: founded and moved in per year, cumulative totals, and a
    strip of events per kind per year."""
    fig = new_figure(10, 7.2)
    top, mid, low = fig.subplots(3, 1, sharex=True, height_ratios=[1.2, 1, 1.3])
    years = data.years
    blue, orange = CLUSTER_STYLE["lbsp"][0], CLUSTER_STYLE["nl-space-campus"][0]
    for year, f, mv in zip(years, data.founded, data.moved_in, strict=True):
        if f:
            top.bar(year, f, color=blue, width=0.8, gid=f"bar-founded-{year}")
        if mv:
            top.bar(
                year,
                mv,
                bottom=f,
                color=orange,
                width=0.8,
                hatch="///",
                edgecolor="white",
                gid=f"bar-moved_in-{year}",
            )
    top.set_ylabel(_("organisations"), fontsize=FONT)
    top.legend(
        handles=[
            Rectangle((0, 0), 1, 1, color=blue, label=_("founded")),
            Rectangle((0, 0), 1, 1, fc=orange, hatch="///", ec="white", label=_("moved in")),
        ],
        fontsize=FONT,
        loc="upper left",
        frameon=False,
    )
    top.set_title(
        _("Growth %(scope)s") % {"scope": data.scope.phrase}, fontsize=FONT + 1, loc="left"
    )
    mid.step(
        years, data.cumulative_founded, where="post", color=blue, label=_("organisations founded")
    )
    mid.step(
        years,
        data.cumulative_moved_in,
        where="post",
        color=orange,
        linestyle="--",
        label=_("organisations moved in"),
    )
    mid.step(
        years, data.cumulative_events, where="post", color=INK, linestyle=":", label=_("events")
    )
    mid.set_ylabel(_("cumulative"), fontsize=FONT)
    mid.legend(fontsize=FONT, loc="upper left", frameon=False)
    _event_strip(low, data)
    for ax in (top, mid, low):
        ax.tick_params(labelsize=FONT)
        ax.spines[["top", "right"]].set_visible(False)
    b = data.before
    if years and any(b.values()):
        cumulative = _(
            "Cumulative totals (counting %(founded)s founded, %(moved_in)s moved in and "
            "%(events)s events before %(year)s)"
        ) % {
            "founded": format_number(b["founded"]),
            "moved_in": format_number(b["moved_in"]),
            "events": format_number(b["events"]),
            "year": years[0],
        }
    else:
        cumulative = _("Cumulative totals")
    mid.set_title(cumulative, fontsize=FONT, loc="left")
    return fig


def _event_strip(ax: Any, data: GrowthPublic) -> None:
    taxonomy = get_taxonomy()
    kinds = list(data.events)
    peak = max((max(v) for v in data.events.values() if v), default=0) or 1
    cmap = colormaps[SEQUENTIAL]
    for i, kind in enumerate(kinds):
        for year, n in zip(data.years, data.events[kind], strict=True):
            if n:
                ax.add_patch(
                    Rectangle(
                        (year - 0.45, i - 0.45),
                        0.9,
                        0.9,
                        gid=f"event-{kind}-{year}",
                        facecolor=cmap(0.3 + 0.7 * n / peak),
                        edgecolor="none",
                    )
                )
                if n > 1:
                    ax.text(
                        year,
                        i,
                        str(n),
                        ha="center",
                        va="center",
                        fontsize=FONT - 2,
                        color="white" if n / peak > 0.5 else INK,
                    )
    ax.set_yticks(
        range(len(kinds)),
        [taxonomy.label("event_kind", k, current_locale()) for k in kinds],
        fontsize=FONT,
    )
    ax.set_ylim(len(kinds) - 0.5, -0.5)
    ax.set_title(_("Events per kind (number shown where more than one)"), fontsize=FONT, loc="left")
    if data.years:
        ax.set_xlim(data.years[0] - 1, data.years[-1] + 1)


def cluster_legend(shown: set[str | None], markersize: float) -> list[Line2D]:
    """The legend entries of the clusters a picture shows, in `CLUSTER_STYLE` order, each in its
    colour and marker ("No cluster" for None)."""
    language = current_locale()
    return [
        Line2D(
            [],
            [],
            marker=mk,
            color="none",
            markerfacecolor=c,
            markeredgecolor=INK,
            markersize=markersize,
            label=get_taxonomy().label("cluster", cl, language) if cl else _("No cluster"),
        )
        for cl, (c, mk) in CLUSTER_STYLE.items()
        if cl in shown
    ]


def network_layout(data: NetworkPublic, seed: int = 7) -> dict[str, tuple[float, float]]:
    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in data.nodes)
    graph.add_edges_from((e.source, e.target) for e in data.edges)
    if not graph:
        return {}
    k = 2.8 / math.sqrt(max(graph.number_of_nodes(), 1))
    pos = nx.spring_layout(graph, k=k, seed=seed, iterations=200)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def network_chart(data: NetworkPublic, label_count: int = 24) -> Figure:
    """Organisations coloured (and shaped) by cluster, sized by degree; edges by relation kind;
    the bridges and most central organisations named."""
    taxonomy, language = get_taxonomy(), current_locale()
    fig = new_figure(11, 9)
    ax = fig.add_subplot()
    pos = network_layout(data)
    for kind in data.kinds:
        segments = [(pos[e.source], pos[e.target]) for e in data.edges if e.kind == kind]
        if segments:
            colour, style = KIND_STYLE.get(kind, (MUTED, "-"))
            lines = LineCollection(
                segments, colors=colour, linestyles=style, linewidths=0.8, alpha=0.7
            )
            lines.set_gid(f"edges-{kind}")
            ax.add_collection(lines)
    for cluster, (colour, marker) in CLUSTER_STYLE.items():
        members = [n for n in data.nodes if n.cluster == cluster]
        if not members:
            continue
        ax.scatter(
            [pos[n.id][0] for n in members],
            [pos[n.id][1] for n in members],
            s=[18 + 14 * n.degree for n in members],
            c=colour,
            marker=marker,
            edgecolors=INK,
            linewidths=0.5,
            zorder=3,
            gid=f"nodes-{cluster or 'none'}",
        )
    ranked = sorted(data.nodes, key=lambda n: (not n.bridge, -n.betweenness, -n.degree))
    place_labels(fig, ax, [Label(*pos[n.id], n.name) for n in ranked[:label_count]])
    ax.set_axis_off()
    ax.margins(0.04)
    handles = cluster_legend({n.cluster for n in data.nodes}, markersize=7)
    handles += [
        Line2D(
            [],
            [],
            color=KIND_STYLE.get(k, (MUTED, "-"))[0],
            linestyle=cast(Any, KIND_STYLE.get(k, (MUTED, "-"))[1]),
            label=taxonomy.label("relation_kind", k, language),
        )
        for k in data.kinds
        if any(e.kind == k for e in data.edges)
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=5, fontsize=FONT, frameon=False)
    ax.set_title(
        _(
            "Relations between %(nodes)s organisations (%(edges)s relations); "
            "size = number of links, named: bridges and most central"
        )
        % {"nodes": format_number(len(data.nodes)), "edges": format_number(len(data.edges))},
        fontsize=FONT + 1,
        loc="left",
    )
    return fig


def map_chart(data: MapPublic) -> Figure:
    """Municipalities shaded by number of organisations, organisations as points, campuses as
    stars; a plain lon/lat plot with the aspect corrected for 52° north (no tiles)."""
    campuses = {c.cluster: (c.name, c.at) for c in geo.sites().campuses.values()}
    rings = {mu.code: mu.rings for mu in geo.municipalities()}
    fig = new_figure(8.5, 9)
    ax = fig.add_subplot()
    counts = {m.code: m for m in data.municipalities}
    peak = max((m.organisations for m in data.municipalities), default=0) or 1
    cmap = colormaps["Greys"]
    labels = []
    for code, polys in rings.items():
        m = counts[code]
        for k, ring in enumerate(polys):
            patch = Polygon(
                ring,
                closed=True,
                facecolor=cmap(0.05 + 0.3 * m.organisations / peak),
                edgecolor="#555555",
                linewidth=1.0,
                gid=f"municipality-{code}-{k}",
            )
            ax.add_patch(patch)
        cx, cy = geo.centroid(max(polys, key=len))
        count = ngettext("%(num)s organisation", "%(num)s organisations", m.organisations) % {
            "num": format_number(m.organisations)
        }
        labels.append(Label(cx, cy, f"{m.name}\n{count}"))
    fanned = geo.spread([(o.lon, o.lat) for o in data.organisations])
    for cluster, (colour, marker) in CLUSTER_STYLE.items():
        pts = [fanned[i] for i, o in enumerate(data.organisations) if o.cluster == cluster]
        if pts:
            ax.scatter(
                [p[0] for p in pts],
                [p[1] for p in pts],
                s=11,
                c=colour,
                marker=marker,
                edgecolors=INK,
                linewidths=0.3,
                zorder=3,
                gid=f"organisations-{cluster or 'none'}",
            )
    # An open star on top, so the organisations at the campus stay visible inside it.
    ax.scatter(
        [at[0] for _, at in campuses.values()],
        [at[1] for _, at in campuses.values()],
        s=700,
        marker="*",
        facecolors="none",
        edgecolors=INK,
        linewidths=1.6,
        zorder=4,
        gid="campuses",
    )
    ax.set_aspect(1 / math.cos(math.radians(52.2)))
    ax.autoscale_view()
    ax.set_axis_off()
    if data.focus in rings:  # centred on one municipality, with a margin around it
        xs = [x for ring in rings[data.focus] for x, _ in ring]
        ys = [y for ring in rings[data.focus] for _, y in ring]
        pad = 0.25 * max(max(xs) - min(xs), max(ys) - min(ys))
        ax.set_xlim(min(xs) - pad, max(xs) + pad)
        ax.set_ylim(min(ys) - pad, max(ys) + pad)
    placed = place_labels(fig, ax, labels, size=FONT, avoid=fanned)
    if data.focus is None:
        _campus_labels(ax, campuses)

    handles = cluster_legend({o.cluster for o in data.organisations}, markersize=6)
    handles.append(
        Line2D(
            [],
            [],
            marker="*",
            color="none",
            markerfacecolor="none",
            markeredgecolor=INK,
            markersize=12,
            label=_("campus"),
        )
    )
    fig.legend(handles=handles, loc="outside lower center", ncols=4, fontsize=FONT, frameon=False)
    ax.set_title(
        _("%(inside)s organisations in the seven municipalities (%(outside)s elsewhere, not shown)")
        % {
            "inside": format_number(len(data.organisations)),
            "outside": format_number(data.outside_region),
        },
        fontsize=FONT + 1,
        loc="left",
    )
    fig.text(0.99, 0.005, data.attribution, ha="right", fontsize=FONT - 2, color=MUTED)
    if placed < len(labels):
        fig.text(
            0.01,
            0.005,
            _("Counts per municipality: see the table."),
            fontsize=FONT - 2,
            color=MUTED,
        )
    return fig


def _campus_labels(ax: Any, campuses: dict[str, tuple[str, tuple[float, float]]]) -> None:
    """Campus names in the empty margin west of the coast, each with a leader line to its star."""
    x0, x1 = ax.get_xlim()
    ax.set_xlim(x0 - 0.6 * (x1 - x0), x1)
    for name, (lon, lat) in sorted(campuses.values(), key=lambda c: -c[1][1]):
        ax.annotate(
            name,
            (lon, lat),
            xytext=(x0 - 0.55 * (x1 - x0), lat),
            ha="left",
            va="center",
            fontsize=FONT,
            color=INK,
            arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.8, "shrinkB": 9},
        )
