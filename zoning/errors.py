"""Exceptions raised by zoning.

Every exception derives from :class:`ZoningError` and also from the built-in exception it
resembles, so that ``except ValueError`` keeps working for callers who do not know this
package. A "does not fit" verdict is a result, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from zoning.i18n import _, get_lang


class Severity(StrEnum):
    """How serious a data problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One problem found in user input.

    Parameters
    ----------
    where
        The layer, file or input the problem is in (``"zones"``, ``"rulebook.toml"``).
    what
        What is wrong, naming the defect (``"invalid geometry: Self-intersection"``).
    ids
        Identifiers of the offending features or rows, when there are any.
    expected
        What was expected instead.
    fix
        How to fix it.
    severity
        ``error`` stops loading; ``warning`` is reported and loading goes on.
    """

    where: str
    what: str
    ids: tuple[str, ...] = ()
    expected: str = ""
    fix: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        """Render the problem as one readable paragraph, in the current language.

        The parts (``what``, ``expected``, ``fix``) are made in the language current when the
        problem was found; the words around them are translated when it is rendered.
        """
        text = f"[{self.where}] {self.what}"
        if self.ids:
            shown = ", ".join(self.ids[:10])
            more = (
                " " + _("(+{count} more)").format(count=len(self.ids) - 10)
                if len(self.ids) > 10
                else ""
            )
            text += " — " + _("ids: {ids}").format(ids=shown + more)
        if self.expected:
            text = _end_sentence(text) + _("Expected: {expected}").format(expected=self.expected)
        if self.fix:
            text = _end_sentence(text) + _("Fix: {fix}").format(fix=self.fix)
        return text


def _end_sentence(text: str) -> str:
    """End ``text`` with a full stop (``.`` or ``。``) unless it ends with punctuation already."""
    stripped = text.rstrip()
    if stripped.endswith(("?", "!", ".", "？", "！", "。")):
        return stripped + ("" if stripped[-1] in "？！。" else " ")
    return stripped + ("。" if get_lang() == "zh" else ". ")


@dataclass
class ProblemReport:
    """An ordered collection of problems, errors and warnings together."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Add one problem."""
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        """Add several problems."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity ``error``."""
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems of severity ``warning``."""
        return [p for p in self.problems if p.severity is Severity.WARNING]

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)


def summary_line(summary: str, count: int) -> str:
    """Return "the summary (N problem(s))" in the current language.

    Examples
    --------
    >>> summary_line("the park data is invalid", 2)
    'the park data is invalid (2 problem(s))'
    """
    if not count:
        return summary
    return _("{summary} ({count} problem(s))").format(summary=summary, count=count)


class ZoningError(Exception):
    """Base class of every error raised by zoning."""


class InputError(ZoningError, ValueError):
    """User input is wrong; carries every problem found, not just the first.

    Parameters
    ----------
    summary
        One line saying what could not be done.
    problems
        Every problem found.
    """

    def __init__(self, summary: str, problems: Sequence[Problem] = ()) -> None:
        self.summary = summary
        self.problems = list(problems)
        super().__init__(self._render())

    def _render(self) -> str:
        if not self.problems:
            return self.summary
        lines = [summary_line(self.summary, len(self.problems)) + ":"]
        lines += [f"  {i}. {p}" for i, p in enumerate(self.problems, start=1)]
        return "\n".join(lines)


class ParkValidationError(InputError):
    """The park data (layers or rulebook) is invalid."""


class RulebookError(InputError):
    """The rulebook file is invalid."""


class ProjectInputError(InputError):
    """A projects file cannot be read as a whole (a single bad row is a result instead)."""


class InfeasiblePlanError(ZoningError, ValueError):
    """A phase plan cannot be made from these inputs; the message names the cause."""


class ExportError(ZoningError, OSError):
    """An export could not be written; earlier exports are left untouched."""
