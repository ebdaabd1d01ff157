"""PNG charts for digests and evaluations: matplotlib without a display, and a font that draws
Chinese (Noto Sans CJK, shipped as a Python package, so a fresh machine needs no system fonts).
matplotlib is imported here only, when the first chart is drawn."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import util
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_LOCK = threading.Lock()  # pyplot's state is global; one chart at a time
# Installed fonts that draw Chinese, tried when the packaged one is missing.
_PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2")
_SYSTEM_CJK = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "PingFang SC",
)


def _packaged_font() -> Path | None:
    spec = util.find_spec("cvttf_NotoSansCJK_Regular")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        for path in Path(folder).glob("*.otf"):
            return path
    return None


@lru_cache(maxsize=1)
def font_family() -> str:
    """The family every chart uses (registered with matplotlib once)."""
    from matplotlib import font_manager

    path = _packaged_font()
    if path is not None:
        font_manager.fontManager.addfont(str(path))
        return str(font_manager.FontProperties(fname=str(path)).get_name())
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in _SYSTEM_CJK:
        if name in names:
            return name
    log.warning("no font that draws Chinese was found: Chinese labels in charts will show as boxes")
    return "DejaVu Sans"


def _literal(text: str) -> str:
    return text.replace("$", r"\$")


@dataclass(frozen=True)
class Series:
    """One line or bar series: a label and a value per day (None: no figure that day)."""

    label: str
    values: Sequence[float | None]
    kind: str = "line"  # line | bar
    right: bool = False  # on the right-hand axis
    dashed: bool = False  # a reference such as a target


def daily_spec(
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    *,
    left_label: str = "",
    right_label: str = "",
    note: str = "",
    labels: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The arguments of `daily` as plain JSON, for a chart the delivery worker draws when it is sent
    (`scheduling.uploads.daily_payload`); `daily_from_spec` draws it."""
    return {
        "title": title,
        "days": [d.isoformat() for d in days],
        "series": [
            {"label": s.label, "values": list(s.values), "kind": s.kind, "right": s.right, "dashed": s.dashed}
            for s in series
        ],
        "left_label": left_label,
        "right_label": right_label,
        "note": note,
        "labels": list(labels) if labels is not None else None,
    }


def daily_from_spec(spec: dict[str, Any]) -> bytes:
    """`daily` drawn from the JSON of `daily_spec`."""
    return daily(
        str(spec["title"]),
        [date.fromisoformat(d) for d in spec["days"]],
        [
            Series(
                str(s["label"]),
                [None if v is None else float(v) for v in s["values"]],
                str(s.get("kind", "line")),
                bool(s.get("right", False)),
                bool(s.get("dashed", False)),
            )
            for s in spec["series"]
        ],
        left_label=str(spec.get("left_label", "")),
        right_label=str(spec.get("right_label", "")),
        note=str(spec.get("note", "")),
        labels=[str(x) for x in spec["labels"]] if spec.get("labels") is not None else None,
    )


def daily(
    title: str,
    days: Sequence[date],
    series: Sequence[Series],
    *,
    left_label: str = "",
    right_label: str = "",
    note: str = "",
    labels: Sequence[str] | None = None,
) -> bytes:
    """A trend: bars and lines over days (or periods, named by `labels`), optionally with a second
    axis. Returns PNG bytes."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    family = font_family()
    # Names are user text: a "$" must stay a dollar sign, not start matplotlib's math mode.
    title, left_label, right_label, note = (_literal(x) for x in (title, left_label, right_label, note))
    series = [Series(_literal(s.label), s.values, s.kind, s.right, s.dashed) for s in series]
    with (
        _LOCK,
        matplotlib.rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [family, "DejaVu Sans"],
                "axes.unicode_minus": False,
            }
        ),
    ):
        fig, left = plt.subplots(figsize=(8, 4.2), dpi=110)
        try:
            right: Any = left.twinx() if any(s.right for s in series) else None
            x = list(range(len(days)))
            bars = [s for s in series if s.kind == "bar"]
            width = 0.8 / max(1, len(bars))
            colors = {id(s): _PALETTE[i % len(_PALETTE)] for i, s in enumerate(series)}
            for index, s in enumerate(bars):
                axis = right if s.right else left
                offset = (index - (len(bars) - 1) / 2) * width
                axis.bar(
                    [i + offset for i in x],
                    [v or 0 for v in s.values],
                    width=width,
                    label=s.label,
                    color=colors[id(s)],
                    alpha=0.6,
                )
            for s in series:
                if s.kind != "line":
                    continue
                axis = right if s.right else left
                axis.plot(
                    x,
                    [float("nan") if v is None else v for v in s.values],
                    marker="o",
                    label=s.label,
                    color=colors[id(s)],
                    linestyle="--" if s.right or s.dashed else "-",
                )
            # Axes start at zero: a trend that starts mid-axis looks steeper than it is.
            left.set_ylim(bottom=0)
            if right is not None:
                right.set_ylim(bottom=0)
            left.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
            left.set_title(title)
            left.set_ylabel(left_label)
            if right is not None:
                right.set_ylabel(right_label)
            step = max(1, len(days) // 10)
            names = (
                [_literal(label) for label in labels]
                if labels is not None
                else [d.strftime("%m-%d") for d in days]
            )
            left.set_xticks(x[::step], names[::step])
            handles, labels = left.get_legend_handles_labels()
            if right is not None:
                more = right.get_legend_handles_labels()
                handles, labels = handles + more[0], labels + more[1]
            if handles:
                left.legend(handles, labels, loc="upper left", fontsize=8)
            if note:
                fig.text(0.01, 0.01, note, fontsize=7, color="#555555")
            left.grid(axis="y", alpha=0.3)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png")
            return out.getvalue()
        finally:
            plt.close(fig)


def bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, unit: str = ""
) -> bytes:
    """Grouped horizontal bars, one group per label (e.g. budget, expected and spent per line)."""
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot as plt

    family = font_family()
    title, unit = _literal(title), _literal(unit)
    labels = [_literal(label) for label in labels]
    with (
        _LOCK,
        matplotlib.rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [family, "DejaVu Sans"],
                "axes.unicode_minus": False,
            }
        ),
    ):
        height = max(2.5, 0.6 * len(labels) * max(1, len(series)) / 2 + 1.2)
        fig, axis = plt.subplots(figsize=(8, height), dpi=110)
        try:
            width = 0.8 / max(1, len(series))
            for index, (name, values) in enumerate(series):
                offset = (index - (len(series) - 1) / 2) * width
                axis.barh(
                    [i + offset for i in range(len(labels))],
                    list(values),
                    height=width,
                    label=_literal(name),
                    color=_PALETTE[index % len(_PALETTE)],
                )
            axis.set_yticks(range(len(labels)), labels)
            axis.invert_yaxis()
            axis.xaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
            axis.set_xlabel(unit)
            axis.set_title(title)
            axis.legend(loc="lower right", fontsize=8)
            axis.grid(axis="x", alpha=0.3)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png")
            return out.getvalue()
        finally:
            plt.close(fig)
