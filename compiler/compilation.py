"""The result of a compile: the rules, what was read, and the plan resolved and checked from it.

Every stage after resolution (checks, presentation, writers, `diff`, `extract`)
takes a Compilation and nothing else; it lives in its own module so those
stages depend on this data, not on the pipeline that made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING

from .coverage import Coverage, coverage
from .diagnostics import Severity
from .model import Plan
from .progress import Progress, progress
from .records import SubmissionRecords
from .ruleset import Rules

if TYPE_CHECKING:
    import networkx as nx

    from .charts import Charts


@dataclass
class Compilation:
    rules: Rules
    records: list[SubmissionRecords]
    plan: Plan
    as_of: date = field(default_factory=date.today)
    graph: nx.MultiDiGraph | None = None  # the plan's dependency graph, as the resolver built it

    def __post_init__(self) -> None:
        if self.graph is None:  # a Compilation put together by hand (tests, tools): build it here, once
            from .resolve.graph import build_graph

            self.graph = build_graph(self.plan, self.rules)

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.plan.diagnostics if d.severity is Severity.ERROR)

    @cached_property
    def coverage(self) -> Coverage:
        """The one coverage analysis of the plan: the checks report its gaps, the gap report shows it."""
        return coverage(self.rules, self.plan)

    @cached_property
    def progress(self) -> Progress:
        """The one progress analysis (achievement, RAG, direction of travel, action statuses): plan.json,
        the logframe, the plan, the partner appendices, the gap report and the progress report show it."""
        return progress(self.rules, self.plan)

    @cached_property
    def charts(self) -> Charts:
        """Trend charts, each drawn once and shared by the documents (matplotlib imported only when asked)."""
        from .charts import Charts

        return Charts()
