"""The ledger section of the rulebook (``[ledger]``): what the administration edits.

Every weight, benchmark, cut-off and exemption carries its ``source`` and ``confidence``, as
every threshold of the rulebook does. Qinghai publishes no per-mu scheme that we found, so the
Beichuan values are marked ``illustrative``; the defaults of these models are the published
examples they come from (Zhejiang's indicator set, an Anhui county's weights and grade shares,
《闲置土地处置办法》 for the idle-land clock).

Examples
--------
>>> settings = LedgerSettings()
>>> [str(i.id) for i in settings.indicators]
['tax_per_mu', 'value_added_per_mu', 'value_added_per_tce', 'labour_productivity', 'rd_share']
>>> [(str(c.grade), c.rank_share) for c in settings.grades.cutoffs]
[('A', 0.25), ('B', 0.7), ('C', 0.95), ('D', 1.0)]
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zoning.schema import Confidence, Grade, LandStatus


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class IndicatorId(StrEnum):
    """The enterprise indicators of the per-mu evaluation (亩均效益评价)."""

    TAX_PER_MU = "tax_per_mu"
    VALUE_ADDED_PER_MU = "value_added_per_mu"
    OUTPUT_PER_MU = "output_per_mu"
    VALUE_ADDED_PER_TCE = "value_added_per_tce"
    LABOUR_PRODUCTIVITY = "labour_productivity"
    RD_SHARE = "rd_share"


class Method(StrEnum):
    """How indicator values become a score."""

    #: value ÷ benchmark × weight (e.g. Huangyan: tax per mu ÷ 24.097 × 30 + …)
    BENCHMARK = "benchmark"
    #: 20 + 80 × (v − min) / (max − min) over the graded enterprises (e.g. Jingde)
    MINMAX = "minmax"


class GradeBy(StrEnum):
    """How grades are cut."""

    RANK_SHARE = "rank_share"
    SCORE = "score"


class IndicatorWeight(_Strict):
    """One scored indicator: its weight, benchmark and provenance."""

    id: IndicatorId
    weight: float = Field(gt=0)
    benchmark: float | None = Field(
        default=None, gt=0, description="the value worth full marks (benchmark method)"
    )
    source: str = ""
    confidence: Confidence = Confidence.SECONDARY


class GradeCutoff(_Strict):
    """One grade: the rank share (from the top) or the minimum score it reaches to."""

    grade: Grade
    rank_share: float | None = Field(default=None, gt=0, le=1)
    min_score: float | None = Field(default=None, ge=0)
    source: str = ""
    confidence: Confidence = Confidence.SECONDARY


def _anhui_cutoffs() -> list[GradeCutoff]:
    src = "an Anhui county's scheme (secondary): A top 25%, B 26-70%, C 71-95%, D bottom 5%"
    return [
        GradeCutoff(grade=Grade.A, rank_share=0.25, source=src),
        GradeCutoff(grade=Grade.B, rank_share=0.70, source=src),
        GradeCutoff(grade=Grade.C, rank_share=0.95, source=src),
        GradeCutoff(grade=Grade.D, rank_share=1.0, source=src),
    ]


class GradeSettings(_Strict):
    """Grade cut-offs, best grade first."""

    by: GradeBy = GradeBy.RANK_SHARE
    cutoffs: list[GradeCutoff] = Field(default_factory=_anhui_cutoffs, min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> GradeSettings:
        key = "rank_share" if self.by is GradeBy.RANK_SHARE else "min_score"
        values = [getattr(c, key) for c in self.cutoffs]
        if any(v is None for v in values):
            raise ValueError(f"grades by {self.by}: every cut-off needs '{key}'")
        if self.by is GradeBy.RANK_SHARE:
            if values != sorted(values) or values[-1] != 1.0:
                raise ValueError(
                    f"rank shares must rise from the best grade and end at 1.0, got {values}"
                )
        elif values != sorted(values, reverse=True):
            raise ValueError(f"minimum scores must fall from the best grade, got {values}")
        return self


class ExemptionKind(StrEnum):
    """Why an enterprise is evaluated but not graded."""

    UTILITY = "utility"
    START_UP = "start_up"


class Exemption(_Strict):
    """Enterprises evaluated but not graded, and the grade they are treated as."""

    id: ExemptionKind
    applies_to: list[str] = Field(
        default_factory=list, description="GB/T 4754-2017 code prefixes (utilities)"
    )
    producing_years_below: int | None = Field(
        default=None, ge=1, description="start-ups: producing for fewer full years than this"
    )
    treated_as: Grade = Grade.B
    source: str = ""
    confidence: Confidence = Confidence.SECONDARY


def _default_exemptions() -> list[Exemption]:
    src = "an Anhui example (secondary): utilities and start-ups evaluated, not graded (as B)"
    return [
        Exemption(id=ExemptionKind.UTILITY, applies_to=["44", "45", "46"], source=src),
        Exemption(id=ExemptionKind.START_UP, producing_years_below=2, source=src),
    ]


class IdleLandRules(_Strict):
    """The idle-land clock of 《闲置土地处置办法》 (国土资源部令第53号, 2012)."""

    not_started_years: int = Field(default=1, ge=1)
    built_share_below: float = Field(default=1.0 / 3.0, gt=0, le=1)
    investment_share_below: float = Field(default=0.25, gt=0, le=1)
    stopped_years: int = Field(default=1, ge=1)
    fee_years: int = Field(default=1, ge=1)
    fee_share_of_land_price: float = Field(default=0.20, ge=0, le=1)
    recovery_years: int = Field(default=2, ge=1)
    source: str = "《闲置土地处置办法》 (国土资源部令第53号, 2012) Art. 2, Art. 14"
    confidence: Confidence = Confidence.SECONDARY

    @model_validator(mode="after")
    def _stages(self) -> IdleLandRules:
        if self.recovery_years <= self.fee_years:
            raise ValueError("recovery_years must be more than fee_years")
        return self


class InefficientLandRules(_Strict):
    """Criteria of inefficient land (低效用地); any one that holds makes land inefficient."""

    late_years: int = Field(default=2, ge=1, description="years past contracted completion")
    completed_years: int = Field(default=2, ge=0, description="completed at least this long")
    investment_share_below: float = Field(default=0.5, ge=0, le=1)
    output_share_below: float = Field(
        default=0.5, ge=0, le=1, description="of the rulebook's output-per-mu standard (标准地)"
    )
    stopped_years: int = Field(default=1, ge=1, description="production stopped this long")
    prohibited: list[str] = Field(
        default_factory=list, description="code prefixes prohibited by current policy"
    )
    zone_prohibited: bool = Field(
        default=True, description="also an industry its zone now prohibits"
    )
    source: str = "typical local criteria (secondary); Fuzhou DB3501/T 002—2021"
    confidence: Confidence = Confidence.SECONDARY


class ChainUse(_Strict):
    """How much of a consuming industry's output value is molten aluminium taken in."""

    industry: str
    input_share_of_output: float = Field(gt=0, le=1)


class ChainEstimate(_Strict):
    """Parameters of the local-conversion estimate of molten aluminium (铝液就地转化率)."""

    product: str = "molten_aluminium"
    default_input_share: float = Field(default=0.6, gt=0, le=1)
    uses: list[ChainUse] = Field(default_factory=list)
    source: str = ""
    confidence: Confidence = Confidence.ILLUSTRATIVE


#: the land-clock statuses that may become redevelopment supply of the phase plan
REDEVELOPMENT_STATUSES = (LandStatus.IDLE_RECOVERY, LandStatus.IDLE_FEE, LandStatus.INEFFICIENT)


class RedevelopmentSettings(_Strict):
    """Whether idle and inefficient land becomes candidate supply of the phase plan.

    With ``enabled``, ``zoning plan`` and ``zoning sequence`` on a park with enterprises
    evaluate the ledger and offer the parcels whose land-clock status is in ``statuses`` to
    the phase plan as redevelopment tracts (:mod:`zoning.planning.redevelopment`). Recovered
    idle land (``idle_recovery``: 无偿收回 after two idle years) is the default; land in the
    fee stage (``idle_fee``, recovered by agreement) and inefficient land (``inefficient``,
    低效用地再开发) are the administration's choice.
    """

    enabled: bool = False
    statuses: list[LandStatus] = Field(default_factory=lambda: [LandStatus.IDLE_RECOVERY])
    source: str = "《闲置土地处置办法》 (国土资源部令第53号, 2012) Art. 14; 低效用地再开发 (local)"
    confidence: Confidence = Confidence.SECONDARY

    @field_validator("statuses")
    @classmethod
    def _redevelopable(cls, value: list[LandStatus]) -> list[LandStatus]:
        wrong = [str(v) for v in value if v not in REDEVELOPMENT_STATUSES]
        if wrong:
            allowed = ", ".join(str(v) for v in REDEVELOPMENT_STATUSES)
            raise ValueError(f"only {allowed} land can be redeveloped, got {wrong}")
        return value


class LedgerSettings(_Strict):
    """The ``[ledger]`` section of a rulebook.

    Attributes
    ----------
    method
        How indicators become a score (:class:`Method`).
    indicators
        The scored indicators with weights (and benchmarks for the benchmark method).
    small_output_wan, small_indicators
        Enterprises with output below ``small_output_wan`` (below designated size) are scored
        on ``small_indicators`` only (Zhejiang: tax per mu alone).
    benchmark_cap
        Largest value ÷ benchmark that counts (benchmark method).
    redevelopment
        Whether idle and inefficient land becomes supply of the phase plan
        (:class:`RedevelopmentSettings`).
    """

    year: int | None = Field(default=None, description="the year the figures are for")
    method: Method = Method.BENCHMARK
    indicators: list[IndicatorWeight] = Field(
        default_factory=lambda: [
            IndicatorWeight(id=IndicatorId.TAX_PER_MU, weight=45, benchmark=9.6),
            IndicatorWeight(id=IndicatorId.VALUE_ADDED_PER_MU, weight=20, benchmark=45.0),
            IndicatorWeight(id=IndicatorId.VALUE_ADDED_PER_TCE, weight=15, benchmark=1.0),
            IndicatorWeight(id=IndicatorId.LABOUR_PRODUCTIVITY, weight=15, benchmark=30.0),
            IndicatorWeight(id=IndicatorId.RD_SHARE, weight=5, benchmark=0.02),
        ],
        min_length=1,
    )
    benchmark_cap: float = Field(default=2.0, ge=1)
    small_output_wan: float = Field(default=2000.0, ge=0)
    small_indicators: list[IndicatorId] = Field(default_factory=lambda: [IndicatorId.TAX_PER_MU])
    grades: GradeSettings = Field(default_factory=GradeSettings)
    exemptions: list[Exemption] = Field(default_factory=_default_exemptions)
    idle: IdleLandRules = Field(default_factory=IdleLandRules)
    inefficient: InefficientLandRules = Field(default_factory=InefficientLandRules)
    chain: ChainEstimate = Field(default_factory=ChainEstimate)
    redevelopment: RedevelopmentSettings = Field(default_factory=RedevelopmentSettings)
    illustrative: bool = False
    source: str = ""

    @field_validator("indicators")
    @classmethod
    def _unique(cls, value: list[IndicatorWeight]) -> list[IndicatorWeight]:
        ids = [i.id for i in value]
        dupes = sorted({str(i) for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"indicator listed twice: {dupes}")
        return value

    @model_validator(mode="after")
    def _benchmarks(self) -> LedgerSettings:
        if self.method is Method.BENCHMARK:
            missing = [str(i.id) for i in self.indicators if i.benchmark is None]
            if missing:
                raise ValueError(f"the benchmark method needs a benchmark for {missing}")
        scored = {i.id for i in self.indicators}
        extra = [str(i) for i in self.small_indicators if i not in scored]
        if extra:
            raise ValueError(f"small_indicators {extra} are not among the scored indicators")
        return self

    def exemption(self, kind: ExemptionKind) -> Exemption | None:
        """Return the exemption of ``kind``, if the rulebook has it."""
        return next((e for e in self.exemptions if e.id is kind), None)
