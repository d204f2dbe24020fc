"""Chance-corrected agreement coefficients on count tables.

Pure functions over numpy arrays, so published worked examples test them
directly: Cohen's kappa on a confusion table, Fleiss' kappa and
Krippendorff's nominal alpha on unit-by-category count tables. Every
function returns ``None`` when the coefficient is undefined (no data, or
expected disagreement of zero because a single category was used), never
``nan``.

Rows of a unit-by-category table may carry integer ``weights``: a row with
weight ``w`` counts as ``w`` identical units. ``core.agreement`` uses that
to collapse millions of tokens into the few distinct rating patterns.
"""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np


def cohen_kappa(table: np.ndarray | Sequence[Sequence[float]]) -> float | None:
    """Cohen's kappa of a square confusion table.

    Args:
        table: ``table[i][j]`` counts the items rater A put in category ``i``
            and rater B in category ``j`` (same category order on both axes).

    Returns:
        ``(p_o - p_e) / (1 - p_e)``, or ``None`` when the table is empty or
        ``p_e == 1`` (both raters used one and the same category throughout).

    Raises:
        ValueError: the table is not square or has negative counts.
    """
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] != t.shape[1]:
        raise ValueError(f"a confusion table must be square, got shape {t.shape}")
    if (t < 0).any():
        raise ValueError("a confusion table cannot hold negative counts")
    n = t.sum()
    if n == 0:
        return None
    p_o = np.trace(t) / n
    p_e = float(np.dot(t.sum(axis=1), t.sum(axis=0))) / (n * n)
    if math.isclose(p_e, 1.0):
        return None
    return float((p_o - p_e) / (1.0 - p_e))


def binary_table(table: np.ndarray, category: int) -> np.ndarray:
    """Collapse a square confusion table to 2x2 for one category against the rest.

    Row/column 0 is ``category``, row/column 1 every other category.
    """
    t = np.asarray(table, dtype=np.float64)
    both = t[category, category]
    a_only = t[category].sum() - both
    b_only = t[:, category].sum() - both
    rest = t.sum() - both - a_only - b_only
    return np.array([[both, a_only], [b_only, rest]])


def _rows_and_weights(
    counts: np.ndarray | Sequence[Sequence[float]], weights: np.ndarray | Sequence[float] | None
) -> tuple[np.ndarray, np.ndarray]:
    c = np.asarray(counts, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError(f"a count table must be 2-D (units x categories), got shape {c.shape}")
    if (c < 0).any():
        raise ValueError("a count table cannot hold negative counts")
    w = np.ones(c.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (c.shape[0],):
        raise ValueError(f"need one weight per unit: {c.shape[0]} units, weights {w.shape}")
    return c, w


def fleiss_kappa(
    counts: np.ndarray | Sequence[Sequence[float]],
    weights: np.ndarray | Sequence[float] | None = None,
) -> float | None:
    """Fleiss' kappa of a subjects-by-categories count table.

    Args:
        counts: ``counts[i][j]`` is how many raters put subject ``i`` in
            category ``j``; every row must sum to the same number of raters.
        weights: optional multiplicity of each row.

    Returns:
        ``(P_bar - P_e) / (1 - P_e)``, or ``None`` when there are no subjects,
        fewer than two raters, or ``P_e == 1`` (one category throughout).

    Raises:
        ValueError: rows sum to different rater counts, or the inputs are malformed.
    """
    c, w = _rows_and_weights(counts, weights)
    keep = w > 0
    c, w = c[keep], w[keep]
    if c.shape[0] == 0:
        return None
    raters = c.sum(axis=1)
    n = raters[0]
    if not np.all(raters == n):
        raise ValueError("Fleiss' kappa needs the same number of raters for every subject")
    if n < 2:
        return None
    total = w.sum()
    p_i = ((c * c).sum(axis=1) - n) / (n * (n - 1))
    p_bar = float(np.dot(w, p_i) / total)
    p_j = (w @ c) / (total * n)
    p_e = float(np.dot(p_j, p_j))
    if math.isclose(p_e, 1.0):
        return None
    return float((p_bar - p_e) / (1.0 - p_e))


def nominal_alpha(
    counts: np.ndarray | Sequence[Sequence[float]],
    weights: np.ndarray | Sequence[float] | None = None,
) -> float | None:
    """Krippendorff's alpha for nominal data from a units-by-values count table.

    Args:
        counts: ``counts[u][v]`` is how many coders gave unit ``u`` the value
            ``v``; coders with a missing value simply do not count. Units with
            fewer than two values are not pairable and are ignored.
        weights: optional multiplicity of each row.

    Returns:
        ``1 - D_o / D_e`` from the coincidence matrix, or ``None`` when fewer
        than two pairable values exist or every pairable value is the same
        (expected disagreement of zero).
    """
    c, w = _rows_and_weights(counts, weights)
    m = c.sum(axis=1)
    pairable = (m >= 2) & (w > 0)
    c, w, m = c[pairable], w[pairable], m[pairable]
    if c.shape[0] == 0:
        return None
    scale = w / (m - 1)
    # o[v][k] = sum_u (n_uv * n_uk - [v == k] * n_uv) / (m_u - 1), weighted by row multiplicity.
    coincidences = (c * scale[:, None]).T @ c - np.diag(scale @ c)
    n_v = coincidences.sum(axis=0)
    n = n_v.sum()
    expected = n * n - float(np.dot(n_v, n_v))
    if n <= 1 or expected <= 0 or math.isclose(expected, 0.0):
        return None
    observed = n - float(np.trace(coincidences))
    return float(1.0 - (n - 1) * observed / expected)


def counts_from_reliability_data(
    data: np.ndarray | Sequence[Sequence[float]],
) -> tuple[np.ndarray, np.ndarray]:
    """Turn coders-by-units reliability data into a units-by-values count table.

    Args:
        data: one row per coder, one column per unit; ``nan`` marks a missing value.

    Returns:
        ``(counts, values)``: the count table (units x values) and the sorted
        distinct values that label its columns.
    """
    d = np.asarray(data, dtype=np.float64)
    if d.ndim != 2:
        raise ValueError(f"reliability data must be 2-D (coders x units), got shape {d.shape}")
    values = np.unique(d[~np.isnan(d)])
    counts = (d.T[:, :, None] == values[None, None, :]).sum(axis=1)
    return counts, values
