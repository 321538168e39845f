"""Drawing helpers shared by the insight charts: the palettes (Okabe-Ito for categories, with a
marker shape each so they survive greyscale printing), figure output as SVG/PNG, and label
placement that never lets two labels overlap.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # server-side only; never opens a window

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
CLUSTER_STYLE: dict[str | None, tuple[str, str]] = {
    "lbsp": ("#0072B2", "o"),
    "nl-space-campus": ("#E69F00", "s"),
    "unmanned-valley": ("#009E73", "^"),
    "medical-delta": ("#CC79A7", "D"),
    "key-region-leiden": ("#56B4E9", "v"),
    None: ("#BBBBBB", "o"),
}
# Paul Tol's "muted" scheme for relation kinds, paired with line styles for print.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "partner_of": ("#332288", "-"),
    "member_of": ("#88CCEE", "--"),
    "located_in": ("#DDCC77", ":"),
    "part_of": ("#117733", "-"),
    "founded_by": ("#CC6677", "-."),
    "hosted_by": ("#AA4499", "--"),
    "acquired_by": ("#882255", "-"),
    "spin_off_of": ("#44AA99", "-."),
}
INK = "#222222"
MUTED = "#666666"
SEQUENTIAL = "Blues"  # one hue, light to dark: reads in greyscale too
FONT = 9


def new_figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as SVG (vector, stable output) or PNG (150 dpi)."""
    buffer = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    elif fmt == "png":
        fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    else:
        raise ValueError(f"unknown picture format {fmt!r}")
    return buffer.getvalue()


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


# Offsets in points tried in turn for each label: right, left, above, below, then diagonals.
_OFFSETS = [
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (0, 7, "center", "bottom"),
    (0, -7, "center", "top"),
    (5, 5, "left", "bottom"),
    (-5, 5, "right", "bottom"),
    (5, -5, "left", "top"),
    (-5, -5, "right", "top"),
    (0, 16, "center", "bottom"),
    (0, -16, "center", "top"),
    (16, 0, "left", "center"),
    (-16, 0, "right", "center"),
    (0, 28, "center", "bottom"),
    (0, -28, "center", "top"),
    (28, 0, "left", "center"),
    (-28, 0, "right", "center"),
]


def place_labels(
    fig: Figure,
    ax: matplotlib.axes.Axes,
    labels: Sequence[Label],
    size: float = FONT - 1,
    avoid: Sequence[tuple[float, float]] = (),
) -> int:
    """Put labels next to their points, most important first, skipping any that would overlap
    one already placed, cover a point in `avoid` or leave the axes. Returns how many were placed."""
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    fig.draw_without_rendering()
    frame = ax.get_window_extent(renderer)
    dots = [tuple(p) for p in ax.transData.transform(avoid)] if len(avoid) else []
    taken: list[Bbox] = []
    placed = 0
    for item in labels:
        for dx, dy, ha, va in _OFFSETS:
            text = ax.annotate(
                item.text,
                (item.x, item.y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=size,
                color=INK,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            fits = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
            clear = not any(box.overlaps(other) for other in taken)
            if fits and clear and not any(box.contains(x, y) for x, y in dots):
                taken.append(box)
                placed += 1
                break
            text.remove()
    return placed
