"""What every fit rule is made of: status codes, findings, reasons, and the rule record.

A rule (:class:`Rule`) is a function over a whole batch of (project, zone) pairs that returns
one :class:`Outcome` per rule id: a status code per pair and the finding each pair points to.
Findings that are the same for many pairs (per zone and industry code, per project) are one
shared :class:`Finding`; the helpers :func:`per_project`, :func:`per_zone_code` and
:func:`choose` broadcast them to the pairs, and :func:`site_else_vacant_land` is the one
skeleton of the rules measured at the site, else over the zone's vacant land.

Every finding carries a machine-readable ``reason`` (:class:`Reason`), so that no consumer
matches message text, and its message in both languages: ``message`` (English) and
``message_zh`` (Chinese), made from one gettext template (:class:`Template`, domain
``rules``).

>>> f = make_finding("chain", WARN, Reason.NOT_PROVIDED, ("x", "x"))
>>> f["status"], f["reason"]
('warn', 'not_provided')
"""

from __future__ import annotations

import functools
import inspect
import re
import string
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, NamedTuple, NoReturn

import numpy as np

from zoning import schema as s
from zoning._types import Bools, Codes, Floats, IntArray, Objects
from zoning.i18n import translate
from zoning.schema import FindingStatus

if TYPE_CHECKING:
    from zoning.rulebook import Rulebook
    from zoning.rules.batch import Batch
    from zoning.rules.facts import ParkFacts

# status codes, ordered by severity; the verdict is the maximum over the findings
NA: Final = -1
PASS: Final = 0
WARN: Final = 1
FAIL: Final = 2
#: the finding status of each code (PASS, WARN, FAIL)
STATUS_NAMES: Final = (FindingStatus.PASS.value, FindingStatus.WARN.value, FindingStatus.FAIL.value)
#: the code of each finding status
CODE_OF_STATUS: Final = {name: code for code, name in enumerate(STATUS_NAMES)}


class Reason(StrEnum):
    """Why a finding has its status: the ``reason`` key of a finding, for programs."""

    # any rule
    NOT_PROVIDED = "not_provided"
    INVALID_INPUT = "invalid_input"
    # industry and land-use class
    PERMITTED = "permitted"
    CONDITIONAL_INDUSTRY = "conditional_industry"
    PROHIBITED_INDUSTRY = "prohibited_industry"
    NOT_LISTED = "not_listed"
    NOT_INDUSTRIAL = "not_industrial"
    CLASS_ADMITTED = "class_admitted"
    CLASS_ABOVE_ZONE = "class_above_zone"
    CLASS3_IN_INTEGRATION_AREA = "class3_in_integration_area"
    # thresholds
    MEETS_THRESHOLD = "meets_threshold"
    BELOW_MINIMUM = "below_minimum"
    ABOVE_MAXIMUM = "above_maximum"
    WITHIN_CAPACITY = "within_capacity"
    ABOVE_CAPACITY = "above_capacity"
    # site
    IN_ZONE = "in_zone"
    OUTSIDE_EVERY_ZONE = "outside_every_zone"
    STRADDLES_ZONES = "straddles_zones"
    PARTLY_OUTSIDE_PARK = "partly_outside_park"
    IN_PARK = "in_park"
    OUTSIDE_PARK = "outside_park"
    AREA_MATCHES = "area_matches"
    AREA_DIFFERS = "area_differs"
    NO_OVERLAP = "no_overlap"
    OVERLAPS = "overlaps"
    ENOUGH_VACANT_LAND = "enough_vacant_land"
    NOT_ENOUGH_VACANT_LAND = "not_enough_vacant_land"
    NO_VACANT_LAND = "no_vacant_land"
    # distances
    FAR_ENOUGH = "far_enough"
    TOO_CLOSE = "too_close"
    NO_SENSITIVE_USE = "no_sensitive_use"
    NO_NUISANCE_PLANT = "no_nuisance_plant"
    NO_PRODUCER = "no_producer"
    WITHIN_SUPPLY_DISTANCE = "within_supply_distance"
    BEYOND_SUPPLY_DISTANCE = "beyond_supply_distance"
    # requested zone
    REQUESTED_ZONE = "requested_zone"
    OTHER_ZONE_REQUESTED = "other_zone_requested"


class Finding(dict[str, Any]):
    """One rule's outcome: a read-only dict.

    Its keys are ``rule``, ``status``, ``reason``, ``message``, ``message_zh``, ``measured``,
    ``required``, ``unit`` and ``source``.
    Identical findings (the industry rule of one code in one zone, a project's indicator
    findings on each of its zone rows) are one object shared by the rows that hold them,
    which keeps a check of 100,000 projects fast; being read-only, sharing is safe. Copy one
    with ``dict(finding)`` to change it.

    Examples
    --------
    >>> f = Finding(rule="chain", status="pass")
    >>> f["status"], isinstance(f, dict)
    ('pass', True)
    >>> f["status"] = "fail"
    Traceback (most recent call last):
    ...
    TypeError: a finding is read-only; copy it with dict(finding) to change it
    """

    __slots__ = ()

    def _read_only(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a finding is read-only; copy it with dict(finding) to change it")

    __setitem__ = _read_only
    __delitem__ = _read_only
    __ior__ = _read_only
    clear = _read_only
    pop = _read_only
    popitem = _read_only
    setdefault = _read_only
    update = _read_only

    def __reduce__(self) -> tuple[type[Finding], tuple[dict[str, Any]]]:
        """Pickle and copy as a plain mapping (the mutators are disabled)."""
        return (type(self), (dict(self),))


class Words(NamedTuple):
    """A value of a message placeholder in each language (a label, a name)."""

    en: str
    zh: str


class Template:
    """A message template in English (the gettext source) and Chinese, looked up once.

    Mark the English text with ``N_`` where the template is made, so that it is extracted
    into the ``rules`` catalogue: ``Template(N_("{n} parcels"))``. :meth:`both` fills the
    placeholders of both languages (``str.format`` names, after translating).

    Examples
    --------
    >>> Template("no sensitive use (homes, schools, clinics) in the park data").zh
    '园区数据中没有敏感用地（住宅、学校、医疗机构）'
    >>> Template("{n:,} m").both(n=1200)
    ('1,200 m', '1,200 m')
    >>> Template("the site").both()[1]
    '场地'
    >>> Template("{x} m").both(x=Words("one", "一"))
    ('one m', '一 m')
    """

    __slots__ = ("_zh", "en")

    def __init__(self, en: str) -> None:
        self.en = en
        self._zh: str | None = None

    @property
    def zh(self) -> str:
        """The Chinese template (translated on first use; the catalogue is then cached)."""
        if self._zh is None:
            self._zh = translate(self.en, "zh")
        return self._zh

    def both(self, **params: object) -> tuple[str, str]:
        """Return the message in English and Chinese, placeholders filled.

        A parameter given as :class:`Words` fills each language with its own words.
        """
        en = {k: v.en if isinstance(v, Words) else v for k, v in params.items()}
        zh = {k: v.zh if isinstance(v, Words) else v for k, v in params.items()}
        return self.en.format(**en), self.zh.format(**zh)

    def compiled(self, *names: str) -> tuple[Formatter, Formatter]:
        """Return fast formatters of both languages, taking ``names`` as positional arguments.

        For the per-row messages of large batches (see :func:`compile_template`).

        Examples
        --------
        >>> en, zh = Template("{n:,} m").compiled("n")
        >>> en(1200)
        '1,200 m'
        """
        return compile_template(self.en, names), compile_template(self.zh, names)


#: a compiled message template: the placeholders' values, positionally, to the text
Formatter = Callable[..., str]

_SPEC = re.compile(r"[\w,.%+\- ]*")


@functools.cache
def compile_template(template: str, names: tuple[str, ...]) -> Formatter:
    """Compile a ``str.format`` template into a function, as fast as an f-string.

    ``str.format`` parses its template on every call; a check of 100,000 projects makes a
    million messages in two languages. The template is parsed once here and turned into an
    f-string expression. Only plain fields named in ``names`` with simple format specs are
    accepted, so that a catalogue entry cannot inject code.

    Raises
    ------
    ValueError
        If a field is not in ``names`` or is not a plain name with a simple format spec.
    """
    pieces: list[str] = []
    for literal, field_name, spec, conversion in string.Formatter().parse(template):
        if literal:
            pieces.append(repr(literal.replace("{", "{{").replace("}", "}}")))
        if field_name is None:
            continue
        if field_name not in names or conversion or not _SPEC.fullmatch(spec or ""):
            raise ValueError(f"unsupported field {{{field_name}}} in template {template!r}")
        pieces.append(repr("{" + field_name + (":" + spec if spec else "") + "}"))
    body = " ".join(f"f{p}" for p in pieces) or "''"
    code = f"lambda {', '.join(names)}: {body}"
    function: Formatter = eval(code, {"__builtins__": {}})  # the fields are checked above
    return function


def make_finding(
    rule: str,
    code: int,
    reason: Reason,
    message: tuple[str, str],
    measured: object = None,
    required: object = None,
    unit: str | None = None,
    source: str = "",
) -> Finding:
    """Make a finding; ``message`` is ``(english, chinese)`` (see :meth:`Template.both`)."""
    return Finding(
        {
            s.RULE: str(rule),
            s.STATUS: STATUS_NAMES[code],
            s.REASON: reason.value,
            s.MESSAGE: message[0],
            s.MESSAGE_ZH: message[1],
            s.MEASURED: measured,
            s.REQUIRED: required,
            s.UNIT: unit,
            s.SOURCE: source,
        }
    )


def judge(ok: Bools, binding: Bools | bool) -> Codes:
    """PASS where ``ok``; otherwise FAIL when binding, WARN when advisory."""
    return np.where(ok, PASS, np.where(binding, FAIL, WARN)).astype(np.int8)


def judge_one(ok: bool, binding: bool) -> int:
    """:func:`judge` of one value."""
    return PASS if ok else (FAIL if binding else WARN)


def rule_source(source: str, ident: str, confidence: str, binding: bool) -> str:
    """Return the ``source`` of a finding: the citation, rulebook entry, confidence, force."""
    return f"{source} [{ident}; {confidence}; {'binding' if binding else 'advisory'}]"


def round_or_none(value: float, digits: int) -> float | None:
    """``value`` rounded, or ``None`` when it is not finite."""
    return None if not np.isfinite(value) else round(float(value), digits)


# --------------------------------------------------------------------------- per-row findings
#: renders the message of one row of :class:`Rows` in English and Chinese
Render = Callable[[int], tuple[str, str]]


@dataclass(frozen=True, eq=False)
class Rows:
    """Findings made one per row (per project or per pair), kept as columns.

    The columnar form of a long list of findings of one rule: each row's status, reason
    and values are array entries, and its messages are rendered from them (``render(i)``)
    only when the finding is read, by :meth:`finding`, the dict view of a check result or a
    table printout. A check of 100,000 projects thus formats no message it does not show.

    Parameters
    ----------
    rule
        The ``rule`` of every row.
    status
        Status code per row (:data:`PASS`, :data:`WARN` or :data:`FAIL`).
    reason
        Per row, the position of its reason in ``reasons``.
    reasons
        The reasons the rows can have.
    measured, required
        The values per row (NaN for none).
    unit, source
        One text for every row, or one per row.
    render
        The messages of row ``i``: ``(english, chinese)``.

    Examples
    --------
    >>> rows = Rows("chain", np.array([0, 1], dtype=np.int8), np.array([0, 1], dtype=np.int8),
    ...     ("far_enough", "too_close"), np.array([5.0, np.nan]), np.array([3.0, 3.0]),
    ...     "m", "rulebook", lambda i: (f"row {i}", f"第 {i} 行"))
    >>> f = rows.finding(1)
    >>> f["status"], f["reason"], f["measured"], f["message_zh"]
    ('warn', 'too_close', None, '第 1 行')
    """

    rule: str
    status: Codes
    reason: Codes
    reasons: tuple[str, ...]
    measured: Floats
    required: Floats
    unit: str | Objects
    source: str | Objects
    render: Render
    #: the findings made so far, by row (a row shared by several pairs is made once)
    made: dict[int, Finding] = field(default_factory=dict, repr=False)
    #: the columns as Python lists (see :meth:`_lists`), made when the first row is read
    plain: list[Any] = field(default_factory=list, repr=False)

    def __len__(self) -> int:
        return len(self.status)

    def text(self, column: str, i: int) -> str:
        """Return the ``unit`` or ``source`` of row ``i``."""
        value = self.unit if column == s.UNIT else self.source
        return value if isinstance(value, str) else str(value[i])

    def finding(self, i: int) -> Finding:
        """Return row ``i`` as a finding, its messages rendered now (or when first read)."""
        found = self.made.get(i)
        if found is None:
            found = self.made[i] = self._make(i)
        return found

    def _make(self, i: int) -> Finding:
        status, reason, measured, required, unit, source = self._lists()
        en, zh = self.render(i)
        return Finding(
            {
                s.RULE: self.rule,
                s.STATUS: status[i],
                s.REASON: reason[i],
                s.MESSAGE: en,
                s.MESSAGE_ZH: zh,
                s.MEASURED: measured[i],
                s.REQUIRED: required[i],
                s.UNIT: unit if isinstance(unit, str) else unit[i],
                s.SOURCE: source if isinstance(source, str) else source[i],
            }
        )

    def _lists(self) -> tuple[Any, ...]:
        """Return the columns as Python values, made once when the first finding is read."""
        if not self.plain:
            self.plain.extend(
                [
                    np.array([*STATUS_NAMES, None], dtype=object)[self.status].tolist(),
                    np.array(self.reasons, dtype=object)[self.reason].tolist(),
                    _python_numbers(self.measured),
                    _python_numbers(self.required),
                    self.unit if isinstance(self.unit, str) else list(self.unit),
                    self.source if isinstance(self.source, str) else list(self.source),
                ]
            )
        return tuple(self.plain)


def _python_numbers(values: Floats) -> list[float | None]:
    """Return the values as Python floats, ``None`` for NaN (a missing value)."""
    out = values.astype(object)
    out[np.isnan(values)] = None
    return list(out.tolist())


#: the findings an outcome points into: shared finding objects, or per-row columns
Pool = Sequence[Finding | None] | Rows


# --------------------------------------------------------------------------- outcomes
@dataclass(frozen=True)
class Outcome:
    """One rule over every pair: status code (:data:`NA` not applicable) and its finding.

    ``findings[ref[k]]`` is the finding of pair ``k`` (where its status is not :data:`NA`):
    a shared :class:`Finding` (``None`` for none), or row ``ref[k]`` of :class:`Rows`.
    """

    status: Codes
    ref: IntArray
    findings: Pool


def per_project(batch: Batch, status: Codes, findings: Sequence[Finding | None]) -> Outcome:
    """Broadcast one status and finding per project to the project's pairs."""
    return Outcome(status[batch.pp], batch.pp, findings)


def per_zone_code(batch: Batch, status: Codes, findings: Sequence[Finding | None]) -> Outcome:
    """Broadcast a table over (zone, code), flattened zone-major, to the pairs."""
    combo = batch.pz * len(batch.codes) + batch.code_index[batch.pp]
    return Outcome(status[combo], combo, findings)


def choose(mask: Bools, a: Outcome, b: Outcome) -> Outcome:
    """Take ``a`` where ``mask`` holds, ``b`` elsewhere."""
    if isinstance(a.findings, Rows) or isinstance(b.findings, Rows):
        raise TypeError("choose() takes outcomes of shared findings, not per-row columns")
    offset = len(a.findings)
    return Outcome(
        np.where(mask, a.status, b.status).astype(np.int8),
        np.where(mask, a.ref, b.ref + offset),
        [*a.findings, *b.findings],
    )


#: measures the projects with a site (their positions): a status code and finding each
AtSite = Callable[[IntArray], tuple[Sequence[int], Sequence[Finding]]]
#: judges a zone's vacant land for one industry code (zone position, code position)
OverZone = Callable[[int, int], Finding]


def site_else_vacant_land(
    batch: Batch, n_zones: int, applies: Bools, at_site: AtSite, over_zone: OverZone
) -> Outcome:
    """Run the one skeleton of a rule measured at the site, else over the zone's vacant land.

    Parameters
    ----------
    batch
        The pairs.
    n_zones
        Number of zones of the park.
    applies
        Per industry code of the batch (``batch.codes``): whether the rule applies.
    at_site
        Called once with the positions of the projects with a site to which the rule
        applies; returns their status codes and findings.
    over_zone
        Called for each (zone, code) where the rule applies, for the projects without a site;
        returns the finding (its status is the pair's).
    """
    n = len(batch.projects)
    rows = np.flatnonzero(applies[batch.code_index] & batch.has_site)
    status = np.full(n, NA, dtype=np.int8)
    findings: list[Finding | None] = [None] * n
    if len(rows):
        codes, found = at_site(rows)
        status[rows] = codes
        for p, f in zip(rows.tolist(), found, strict=True):
            findings[p] = f
    site_part = per_project(batch, status, findings)

    zone_status: list[int] = []
    zone_findings: list[Finding | None] = []
    for z in range(n_zones):
        for c, does in enumerate(applies.tolist()):
            zf = over_zone(z, c) if does else None
            zone_status.append(NA if zf is None else CODE_OF_STATUS[zf[s.STATUS]])
            zone_findings.append(zf)
    zone_part = per_zone_code(batch, np.array(zone_status, dtype=np.int8), zone_findings)
    return choose(batch.has_site[batch.pp], site_part, zone_part)


# --------------------------------------------------------------------------- rules
@dataclass(frozen=True)
class Threshold:
    """A value a rule reads from the rulebook, as listed by ``zoning rules``."""

    key: str
    value: float
    unit: str
    binding: bool
    source: str = ""


def _no_thresholds(rulebook: Rulebook) -> list[Threshold]:
    return []


@dataclass(frozen=True)
class Rule:
    """One fit rule of the registry: its id, title, what it reads and how it runs.

    Attributes
    ----------
    id
        The ``rule`` of its findings (the first of them for a rule with several ids).
    title
        English source text, marked with ``N_`` (translate it with :func:`zoning.i18n._`).
    reads
        The rulebook keys (and layers) it reads.
    evaluate
        The function over a batch: ``evaluate(facts, batch) -> list[Outcome]``.
    thresholds
        The thresholds it reads from a rulebook (for ``zoning rules``).
    """

    id: str
    title: str
    reads: tuple[str, ...]
    evaluate: Callable[[ParkFacts, Batch], list[Outcome]]
    thresholds: Callable[[Rulebook], list[Threshold]] = field(default=_no_thresholds)

    @property
    def doc(self) -> str:
        """The documentation of the rule: its module's docstring."""
        module = sys.modules[self.evaluate.__module__]
        return inspect.getdoc(module) or ""


def flatten(outcomes: Iterable[list[Outcome]]) -> list[Outcome]:
    """Concatenate the outcome lists of several rules, in order."""
    return [o for group in outcomes for o in group]
