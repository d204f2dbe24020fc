"""annotator: label news corpora for machine learning.

The public Python API lives in ``annotator.api``.
"""
from __future__ import annotations

__version__ = "0.1.0"
