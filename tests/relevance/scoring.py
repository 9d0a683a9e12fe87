"""nDCG@10 over graded judgments (0-3), the measure of the judged collection.

DCG uses the exponential gain ``2**grade - 1`` and a ``log2(rank + 1)`` discount;
the ideal ordering is every judged document sorted by grade. A query without a
single relevant document (no-match, boilerplate-only) scores 1.0 when the search
returns nothing and 0.0 when it returns anything: for such a query every hit is
noise, and "no results" is the right answer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

K: Final = 10


def dcg(grades: Sequence[int], k: int = K) -> float:
    return sum((2**g - 1) / math.log2(rank + 2) for rank, g in enumerate(grades[:k]))


def ndcg(ranked: Sequence[str], judgments: Mapping[str, int], k: int = K) -> float:
    """nDCG@k of ``ranked`` document keys; unjudged keys count as grade 0."""
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True), k)
    if ideal == 0:
        return 0.0 if ranked else 1.0
    return dcg([judgments.get(key, 0) for key in ranked], k) / ideal
