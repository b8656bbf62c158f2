"""The part of a compiled plan on one agenda item (`sdp extract`): a pure selection over plan.json.

Filters combine with AND: `--topic`, `--outcome`, `--partner`, `--place`.

An **action** is selected when it passes every filter given:

- topic: its own words (text, milestones, timescale) use a term of the topic, or it names a logframe
  measure whose own words (name, definition) do. The plan says such an action moves that measure, so
  it is work on the topic. A strategy never pulls actions in: strategy names join subjects ("Drug and
  Alcohol Strategy", "Health and Wellbeing Strategy"), so matching one word of the name would sweep in
  the other half's work;
- outcome: it is under that outcome, priority or enabler;
- partner: the partner leads it or is named among its partners;
- place: it is delivered in that place or in a place within it (a district within an HCP area);
  system-wide actions reach every place and are not listed for one.

**Strategies and measures** are shown in two groups: those that match the filters themselves (a
strategy or measure on the topic, under the outcome, owned by the partner; nothing matches a place on
its own) and those the selected actions deliver or name, which are context, not the topic.

Topic terms are matched as whole words on normalised text (case, accents, punctuation folded): a
term is a phrase of words that must appear together; a term ending in `*` matches words beginning
with it. Asking for any term of a topic in rules/topics.toml asks for all its terms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .ruleset import Topic
from .text import normal


@dataclass(frozen=True)
class Query:
    topic: str | None = None
    outcome: str | None = None
    partner: str | None = None
    place: str | None = None

    def given(self) -> bool:
        return any((self.topic, self.outcome, self.partner, self.place))


@dataclass(frozen=True)
class Terms:
    """What a topic asked for is looked for as: the rules' topics it named and all their terms."""

    asked: str
    topics: tuple[str, ...]
    terms: tuple[str, ...]


@dataclass
class Extract:
    query: Query
    terms: Terms | None
    actions: list[dict] = field(default_factory=list)
    why: dict[str, list[str]] = field(default_factory=dict)  # action id -> why it was selected
    strategies: list[dict] = field(default_factory=list)  # matching the filters themselves
    linked_strategies: list[dict] = field(default_factory=list)  # delivering selected actions only
    indicators: list[dict] = field(default_factory=list)
    linked_indicators: list[dict] = field(default_factory=list)

    def ids(self) -> dict[str, list[str]]:
        """Every selected id by kind (for tests, JSON and the terminal)."""
        return {"actions": [a["id"] for a in self.actions],
                "strategies": [s["id"] for s in self.strategies],
                "linked_strategies": [s["id"] for s in self.linked_strategies],
                "indicators": [i["id"] for i in self.indicators],
                "linked_indicators": [i["id"] for i in self.linked_indicators]}


@lru_cache(maxsize=50_000)
def words(text: str) -> str:
    """Normalised text for whole-word matching: accents folded too ('café' finds 'cafe')."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return normal(folded)


def topic_terms(asked: str, topics: list[Topic]) -> Terms:
    """The terms a topic is looked for by: every term of each rules topic that `asked` names (by a
    term or its name), else `asked` itself."""
    key = words(asked)
    named = [t for t in topics if key == words(t.name) or any(_term_matches(term, key, whole=True)
                                                                for term in t.terms)]
    if not named:
        return Terms(asked, (), (asked.strip(),))
    seen: dict[str, None] = {}
    for topic in named:
        for term in topic.terms:
            seen.setdefault(term, None)
    return Terms(asked, tuple(t.name for t in named), tuple(seen))


@lru_cache(maxsize=4096)
def _pattern(term: str) -> re.Pattern[str]:
    prefix = term.rstrip().endswith("*")
    body = words(term.rstrip().rstrip("*"))
    tail = r"\w*" if prefix else ""
    return re.compile(r"(?<!\w)" + re.escape(body) + tail + r"(?!\w)")


def _term_matches(term: str, text_words: str, whole: bool = False) -> bool:
    pattern = _pattern(term)
    return bool(pattern.fullmatch(text_words) if whole else pattern.search(text_words))


def found_terms(terms: Terms, *texts: str | None) -> list[str]:
    """The topic's terms these texts use, in the rules' order."""
    joined = " | ".join(words(t) for t in texts if t)
    found: dict[str, str] = {}
    for term in terms.terms if joined else ():
        if _term_matches(term, joined):
            found.setdefault(words(term), term)
    return list(found.values())


def _action_texts(action: dict) -> list[str | None]:
    return [action.get("text"), action.get("timescale"), *(m.get("text") for m in action.get("milestones", []))]


def _indicator_texts(ind: dict) -> list[str | None]:
    return [ind.get("name"), ind.get("definition")]


def _strategy_texts(strategy: dict) -> list[str | None]:
    return [strategy.get("name"), *strategy.get("aliases", [])]


def places_within(plan: dict, place_id: str) -> set[str]:
    """The place and every place below it in the plan's place hierarchy."""
    children: dict[str | None, list[str]] = {}
    for p in plan.get("places", []):
        children.setdefault(p.get("parent"), []).append(p["id"])
    out, todo = set(), [place_id]
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo.extend(children.get(current, []))
    return out


def _outcome_ids(plan: dict, outcome: str) -> set[str]:
    """An outcome asks for itself and its priorities; a priority or enabler for itself."""
    ids = {outcome}
    for o in plan.get("outcomes", []):
        if o["id"] == outcome:
            ids |= {p["id"] for p in o.get("priorities", [])}
    return ids


def select(plan: dict, query: Query, terms: Terms | None = None) -> Extract:
    """The actions, strategies and measures of `plan` (plan.json as loaded) that `query` asks for."""
    result = Extract(query, terms if query.topic else None)
    indicators = {i["id"]: i for i in plan.get("indicators", [])}
    on_topic_ind = ({iid for iid, i in indicators.items() if found_terms(terms, *_indicator_texts(i))}
                    if query.topic and terms else set())
    outcome_ids = _outcome_ids(plan, query.outcome) if query.outcome else set()
    place_ids = places_within(plan, query.place) if query.place else set()

    for action in plan.get("actions", []):
        why = _action_reasons(action, query, terms, on_topic_ind, outcome_ids, place_ids)
        if why is not None:
            result.actions.append(action)
            result.why[action["id"]] = why

    delivered = {sid for a in result.actions for sid in a.get("strategy_ids", [])}
    named = {iid for a in result.actions for iid in a.get("indicator_ids", [])}
    for s in plan.get("strategies", []):
        if _item_matches(query, terms, _strategy_texts(s), s.get("outcome_ids", []), s.get("owner_id"), outcome_ids):
            result.strategies.append(s)
        elif s["id"] in delivered:
            result.linked_strategies.append(s)
    for iid, ind in indicators.items():
        if _item_matches(query, terms, _indicator_texts(ind), ind.get("outcome_ids", []), ind.get("owner_id"),
                         outcome_ids):
            result.indicators.append(ind)
        elif iid in named:
            result.linked_indicators.append(ind)
    return result


def _action_reasons(action: dict, query: Query, terms: Terms | None, on_topic_ind: set[str],
                    outcome_ids: set[str], place_ids: set[str]) -> list[str] | None:
    """Why the action is selected (one reason per filter), or None when a filter excludes it."""
    why: list[str] = []
    if query.topic:
        used = found_terms(terms, *_action_texts(action)) if terms else []
        measures = [i for i in action.get("indicator_ids", []) if i in on_topic_ind]
        if used:
            why.append("its wording uses " + ", ".join(f"'{t}'" for t in used))
        elif measures:
            why.append("it names the measure" + ("s " if len(measures) > 1 else " ") + ", ".join(measures))
        else:
            return None
    if query.outcome:
        under = outcome_ids & set(action.get("outcome_ids", []) + action.get("priority_ids", [])
                                  + action.get("enabler_ids", []))
        if not under:
            return None
        why.append(f"it is under {query.outcome}")
    if query.partner:
        if action.get("lead_id") == query.partner:
            why.append(f"{query.partner} leads it")
        elif query.partner in action.get("partner_ids", []):
            why.append(f"{query.partner} is a partner in it")
        else:
            return None
    if query.place:
        where = [p for p in action.get("place_ids", []) if p in place_ids]
        if not where:
            return None
        why.append("it is delivered in " + ", ".join(where))
    return why


def _item_matches(query: Query, terms: Terms | None, texts: list[str | None], item_outcomes: list[str],
                  owner: str | None, outcome_ids: set[str]) -> bool:
    """A strategy or measure matches the filters itself: nothing is in a place on its own, so a place
    filter (or no filter) leaves only what the selected actions bring in."""
    if not query.given() or query.place:
        return False
    if query.topic and not (terms and found_terms(terms, *texts)):
        return False
    if query.outcome and not (outcome_ids & set(item_outcomes)):
        return False
    if query.partner and owner != query.partner:
        return False
    return True
