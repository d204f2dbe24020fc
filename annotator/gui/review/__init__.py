"""The review (adjudication) window: annotators' versions side by side in one
view, conflicts stepped through by key, and the gold set edited in place."""
from __future__ import annotations
