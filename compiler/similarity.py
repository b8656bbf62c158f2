"""Pairs of texts at least `threshold` similar (rapidfuzz's token_sort_ratio), without scoring every pair.

A similarity self-join, blocked exactly: two texts can only score at or above
the threshold if their lengths are close and they share enough character
q-grams (the q-gram lemma: an edit destroys at most q of them), so each text
is indexed under only the rarest few of its q-grams (prefix filtering, as in
set-similarity joins); only texts that share one of those are scored. Unlike
blocking on words, this misses no pair the all-pairs comparison would find:
`similar_pairs` returns exactly the pairs `token_sort_ratio(a, b) >= threshold`
would, with the same scores, and costs about linear time for texts that are not
all alike. A group small enough has every pair scored in C++ instead, at a bounded
cost that beats gathering candidates (see `EVERY_PAIR_UP_TO`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process

Q = 3  # q-gram length: trigrams are rare enough to keep candidate lists short


def sorted_tokens(text: str) -> str:
    """What token_sort_ratio compares: the whitespace-separated tokens, sorted, joined by one space."""
    return " ".join(sorted(text.split()))


def _longest_partner(length: int, threshold: float) -> int:
    """The longest text that can still score `threshold` with one of `length` characters (plus slack)."""
    if threshold <= 0:
        return 2**62
    return int(length * (200.0 - threshold) / threshold) + 1


def _max_distance(length: int, threshold: float) -> int:
    """The most insertions and deletions a pair involving a text of `length` may differ by and still score."""
    return int((1.0 - threshold / 100.0) * (length + _longest_partner(length, threshold))) + 1


def _grams(text: str) -> list[tuple[str, int]]:
    """The q-grams of `text` as a set: the k-th occurrence of a q-gram is its own element."""
    seen: Counter[str] = Counter()
    out = []
    for i in range(len(text) - Q + 1):
        gram = text[i:i + Q]
        seen[gram] += 1
        out.append((gram, seen[gram]))
    return out


# Up to this many texts, every pair is scored in C++ (at most about 0.3 s for a group this size),
# which beats gathering candidates in Python; beyond it the prefix filter keeps the cost linear.
EVERY_PAIR_UP_TO = 3000


def similar_pairs(texts: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Every (i, j, score) with i < j and token_sort_ratio(texts[i], texts[j]) >= threshold.

    In order of i, then of descending score, then of j (the order rapidfuzz's extract gives).
    Scores are computed in rapidfuzz's C++ (`process.extract`, one call per text), not pair by pair
    in Python. A group of up to `EVERY_PAIR_UP_TO` texts has every pair scored there: a bounded cost,
    and less than gathering candidates when the texts are alike (templated wording keeps most
    pairs as candidates anyway); a larger group is prefix-filtered first.
    """
    keys = [sorted_tokens(t) for t in texts]
    if len(keys) < 2:
        return []
    if len(keys) <= EVERY_PAIR_UP_TO:
        return _every_pair(keys, threshold)
    grams = [_grams(k) for k in keys]
    frequency: Counter[tuple[str, int]] = Counter(g for gs in grams for g in set(gs))
    index: dict[tuple[str, int], list[int]] = {}
    unfiltered: list[int] = []  # too short for the q-gram bound to say anything: compared with every text
    prefixes: list[list[tuple[str, int]]] = []
    for i, gs in enumerate(grams):
        length = len(keys[i])
        overlap = len(gs) - Q * _max_distance(length, threshold)  # q-grams any partner must share
        if overlap <= 0:
            unfiltered.append(i)
            prefixes.append([])
            continue
        ordered = sorted(gs, key=lambda g: (frequency[g], g))
        prefix = ordered[: len(gs) - overlap + 1]
        prefixes.append(prefix)
        for g in prefix:
            index.setdefault(g, []).append(i)
    n = len(keys)
    unfiltered_set = set(unfiltered)
    longest = [_longest_partner(len(k), threshold) for k in keys]
    out: list[tuple[int, int, float]] = []
    for i in range(n):
        if i in unfiltered_set:
            candidates: set[int] = set(range(i + 1, n))
        else:
            candidates = set(unfiltered[bisect_right(unfiltered, i):])
            for g in prefixes[i]:
                postings = index[g]  # ascending: texts were indexed in order
                candidates.update(postings[bisect_right(postings, i):])
        size, reach = len(keys[i]), longest[i]
        js = [j for j in sorted(candidates) if len(keys[j]) <= reach and size <= longest[j]]
        out.extend(_scored(keys, i, js, threshold))
    return out


def _scored(keys: Sequence[str], i: int, js: Sequence[int], threshold: float) -> list[tuple[int, int, float]]:
    """(i, j, score) for the js scoring at least `threshold` against text i, best first, scored in C++."""
    if not js:
        return []
    choices = keys[js[0]:js[-1] + 1] if isinstance(js, range) else [keys[j] for j in js]
    found = [(i, js[k], score) for (_, score, k) in process.extract(keys[i], choices, scorer=fuzz.ratio,
                                                                    score_cutoff=threshold, limit=None)]
    found.sort(key=lambda f: (-f[2], f[1]))
    return found


def _every_pair(keys: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Every pair scored, one row at a time (each row one call into rapidfuzz's C++)."""
    n = len(keys)
    return [pair for i in range(n - 1) for pair in _scored(keys, i, range(i + 1, n), threshold)]
