"""Colours, fonts and spacing of the annotated document view.

Label colours come from the scheme (pastels on which dark text stays
readable); every other shade is derived from them here, so a scheme only
names one colour per label.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QColor, QFont, QFontMetricsF

from ..core.scheme import Scheme

TEXT = QColor("#1f2328")
BASE = QColor("#ffffff")
SELECTION = QColor("#cde1fb")
DEFAULT_LABEL_COLOR = "#d4d8de"
DEFAULT_RELATION_COLOR = "#5b6573"
ACCENT = QColor("#1a56db")
MATCH = QColor("#fff0a8")  # search matches in the text
CURRENT_MATCH = QColor("#ffc94d")


def _with_lightness(color: QColor, lightness: float, saturation_floor: float = 0.0) -> QColor:
    h, s, _l, a = color.getHslF()
    return QColor.fromHslF(max(h, 0.0), max(s, saturation_floor), lightness, a)


def _mix(color: QColor, other: QColor, amount: float) -> QColor:
    """``amount`` of ``color`` and the rest of ``other``."""
    return QColor.fromRgbF(
        color.redF() * amount + other.redF() * (1 - amount),
        color.greenF() * amount + other.greenF() * (1 - amount),
        color.blueF() * amount + other.blueF() * (1 - amount),
    )


@dataclass(frozen=True)
class LabelStyle:
    """The shades of one label colour.

    ``fill`` is the background of a confirmed span, ``soft`` of a suggestion,
    ``strong`` of a selected span; ``ink`` draws bars, borders and outlines.
    """

    fill: QColor
    soft: QColor
    strong: QColor
    ink: QColor


@lru_cache(maxsize=256)
def label_style(color: str) -> LabelStyle:
    """The shades derived from one ``#rrggbb`` label colour (invalid names fall back to grey)."""
    base = QColor(color)
    if not base.isValid():
        base = QColor(DEFAULT_LABEL_COLOR)
    _h, _s, lightness, _a = base.getHslF()
    return LabelStyle(
        fill=base,
        soft=_mix(base, BASE, 0.42),
        strong=_with_lightness(base, max(0.0, min(lightness, 0.86) - 0.1), 0.55),
        ink=_with_lightness(base, 0.34, 0.45),
    )


class StyleBook:
    """Label and relation colours of a scheme; unknown names get neutral shades."""

    def __init__(self, scheme: Scheme | None = None) -> None:
        self._labels: dict[str, str] = {}
        self._relations: dict[str, QColor] = {}
        if scheme is not None:
            self._labels = {label.name: label.color for label in scheme.labels}
            self._relations = {
                rel.name: _with_lightness(QColor(rel.color), 0.38, 0.35)
                for rel in scheme.relations
                if rel.color and QColor(rel.color).isValid()
            }
        self._default_relation = QColor(DEFAULT_RELATION_COLOR)

    def label(self, name: str) -> LabelStyle:
        return label_style(self._labels.get(name, DEFAULT_LABEL_COLOR))

    def relation(self, name: str) -> QColor:
        return self._relations.get(name, self._default_relation)


class Metrics:
    """Sizes of the annotation furniture, derived from the text font.

    Above each text line the view reserves ``under`` pixels for the lane bars
    of the line before (three lanes of ``bar_step``), one row of
    ``tag_height`` per stacked tag row, and ``arc_step`` per arc level; at
    least ``reserved`` for tags and arcs together.
    """

    MAX_TAG_ROWS = 3
    MAX_ARC_LEVELS = 8
    MAX_BAR_LANE = 2  # deeper lanes share the lowest bar

    def __init__(self, text_font: QFont) -> None:
        size = text_font.pointSizeF()
        if size <= 0:
            size = text_font.pixelSize() * 0.75
        self.tag_font = QFont(text_font)
        self.tag_font.setPointSizeF(max(6.5, size * 0.7))
        self.tag_font.setWeight(QFont.Weight.DemiBold)
        self.tag_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.3)
        self.arc_font = QFont(self.tag_font)
        self.arc_font.setWeight(QFont.Weight.Normal)
        self.arc_font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.0)
        self.tag_metrics = QFontMetricsF(self.tag_font)
        self.arc_metrics = QFontMetricsF(self.arc_font)
        self.tag_height = round(self.tag_metrics.height() + 2)
        self.tag_pad = 4.0
        self.tag_spacing = 2.0
        self.tag_gap = 3.0
        self.under = 9.0
        self.bar_step = 3.0
        self.bar_width = 2.0
        self.arc_step = round(self.arc_metrics.height() + 2)
        self.arc_pad = 3.0
        # Room every line of text keeps above it whether or not it has
        # annotations: a row of tags and an arc level, so the first spans and
        # arcs on a line fit without moving any text.
        self.reserved = self.tag_height + self.tag_spacing + self.arc_pad + self.arc_step + 1
        self._widths: dict[str, float] = {}
        self._arc_widths: dict[str, float] = {}

    def tag_width(self, text: str) -> float:
        width = self._widths.get(text)
        if width is None:
            width = self._widths[text] = math.ceil(self.tag_metrics.horizontalAdvance(text) + 2 * self.tag_pad)
        return width

    def arc_label_width(self, text: str) -> float:
        """Room for a relation label, wide enough for its bold (selected) form."""
        width = self._arc_widths.get(text)
        if width is None:
            width = self._arc_widths[text] = math.ceil(self.tag_metrics.horizontalAdvance(text) + 6)
        return width
