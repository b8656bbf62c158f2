"""The near-duplicate join (compiler/similarity.py) finds exactly the pairs scoring every pair would."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from compiler.similarity import similar_pairs

WORDS = ["expand", "family", "hubs", "in", "area", "12", "13", "social", "prescribing", "a", "é", "ab", "ba",
         "smoking", "cessation", "support", "co", "produce", "x"]


def all_pairs(texts: list[str], threshold: float) -> list[tuple[int, int, float]]:
    """The reference: what D009 did before, rapidfuzz's extract over every later text."""
    out = []
    for x, text in enumerate(texts):
        for _, score, offset in process.extract(text, texts[x + 1:], scorer=fuzz.token_sort_ratio,
                                                score_cutoff=threshold, limit=None):
            out.append((x, x + 1 + offset, score))
    return out


texts_strategy = st.lists(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join), max_size=30)


@settings(max_examples=300, deadline=None)
@given(texts=texts_strategy, threshold=st.sampled_from([50, 75, 88, 92, 97, 100]))
def test_same_pairs_scores_and_order_as_all_pairs(texts, threshold):
    assert similar_pairs(texts, threshold) == all_pairs(texts, threshold)


def test_same_pairs_on_a_large_realistic_group():
    rng = random.Random(7)
    verbs = ["Expand", "Launch", "Review", "Pilot", "Embed"]
    things = ["family hubs", "social prescribing", "smoking cessation support", "falls prevention classes"]
    texts = [f"{rng.choice(verbs)} {rng.choice(things)} in area {rng.randrange(1, 40)}".lower() for _ in range(400)]
    texts += [t + "s" for t in texts[:50]] + [t.replace("a", "e", 1) for t in texts[50:100]]
    found = similar_pairs(texts, 92)
    assert found == all_pairs(texts, 92)
    assert len(found) > 100  # the case is not vacuous: many near-duplicates exist


@pytest.mark.parametrize("every_pair_up_to", [10**9, 0], ids=["every-pair-in-c++", "prefix-filtered"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=texts_strategy, threshold=st.sampled_from([0, 50, 88, 97, 100]))
def test_both_ways_of_scoring_find_the_same_pairs(monkeypatch, every_pair_up_to, texts, threshold):
    from compiler import similarity

    monkeypatch.setattr(similarity, "EVERY_PAIR_UP_TO", every_pair_up_to)
    assert similar_pairs(texts, threshold) == all_pairs(texts, threshold)
