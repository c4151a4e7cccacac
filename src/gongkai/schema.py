"""The output schema (``gongkai.report/1``) as pydantic models.

``Report.model_json_schema()`` is exported to ``schema/report.schema.json`` by
``gongkai schema``.  Field names follow ../shared/spec/OUTPUT.md; extra fields are
allowed where the contract allows them.  The standard tables are typed from the template
spec (:mod:`gongkai.tables.spec`): every row and column key the spec knows is a field, and
nothing else is accepted; the named items are typed one model per kind.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from .tables.spec import TableSpec, current

Number = int | float | None


class Evidence(BaseModel):
    """Where an item was read: a character span of one paragraph's text."""
    model_config = ConfigDict(extra="forbid")
    paragraph: str = Field(description="paragraph id (p1, p2 …)")
    start: int
    end: int


class Count(BaseModel):
    """A figure the report states once (website_posts, press_conferences …)."""
    model_config = ConfigDict(extra="forbid")
    value: int | float = Field(description="the number stated (余/多/约/近 kept as the number, approx true)")
    unit: str | None = None
    approx: bool = False
    closed: int | float | None = Field(None, description="new_media_accounts only: accounts closed or merged")
    evidence: Evidence


class Leader(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    title: str | None = None


class LeadingGroup(BaseModel):
    """The disclosure work leading group (…领导小组)."""
    model_config = ConfigDict(extra="forbid")
    name: str
    leader: Leader = Field(default_factory=Leader)
    deputies: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)
    office: str | None = None
    evidence: Evidence


class Platform(BaseModel):
    """WeChat official accounts or government Weibo accounts."""
    model_config = ConfigDict(extra="forbid")
    accounts: list[str] = Field(default_factory=list)
    account_count: int | None = None
    posts: int | float | None = None
    followers: int | float | None = None
    evidence: Evidence


class Quantity(BaseModel):
    """A counted quantity the prose states."""
    model_config = ConfigDict(extra="forbid")
    subject: str
    value: int | float
    unit: str
    approx: bool
    paragraph: str
    start: int
    end: int


class Items(BaseModel):
    """The named items (OUTPUT.md): present when the report states them."""
    model_config = ConfigDict(extra="forbid")
    leading_group: LeadingGroup | None = None
    leading_groups: list[LeadingGroup] | None = Field(None, description="every group, where the report describes several")
    wechat: Platform | None = None
    weibo: Platform | None = None
    new_media_accounts: Count | None = None
    website_posts: Count | None = None
    press_conferences: Count | None = None
    policy_interpretations: Count | None = None
    processing_fee_yuan: Count | None = Field(None, description="信息处理费, in 元")
    quantities: list[Quantity] = Field(default_factory=list)


class ExtraRow(BaseModel):
    """A labelled row inside a standard table that the template does not know."""
    model_config = ConfigDict(extra="forbid")
    label: str
    values: list[Any]


class LegacyRow(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str | None = Field(description="canonical indicator key where the label is recognised, else null")
    label: str = Field(description="as printed")
    unit: str | None = Field(None, description="as printed")
    values: list[Number] = Field(description="by column; blank = null")


class LegacyTable(BaseModel):
    """A statistics table of a pre-2019 report."""
    model_config = ConfigDict(extra="forbid")
    template: Literal["legacy"] = "legacy"
    columns: list[str] = Field(description="the value-column headers as printed")
    rows: list[LegacyRow]


def _row_model(spec: TableSpec) -> type[BaseModel]:
    fields: dict[str, Any] = {c: (Number, Field(None, description=f"column {c}")) for c in spec.columns}
    return create_model(f"{spec.name.title()}Row", __config__=ConfigDict(extra="forbid"), **fields)


def _field_name(key: str) -> str:
    return key.replace(".", "__")


def _table_model(spec: TableSpec) -> type[BaseModel]:
    """The output shape of one standard table, from the spec: its rows and columns, nothing else."""
    row = _row_model(spec)
    common: dict[str, Any] = {
        "template": (Literal[tuple(spec.templates + ["unknown"])], Field("unknown", description="the template its labels show")),
        "pages": (list[int], Field(default_factory=list, description="PDF pages the table was read from")),
        "ocr_confidence": (dict[str, float], Field(default_factory=dict, description="cells read by OCR: 'row.column' → the "
                                                   "probability of the least certain character (numbers: among the digits)")),
    }
    rows: dict[str, Any] = {_field_name(k): (row | None, Field(None, alias=k)) for k in spec.order()}
    config = ConfigDict(extra="forbid", populate_by_name=True)
    if spec.output == "groups":
        return create_model(f"{spec.name.title()}Table", __config__=config, __doc__=spec.title, **common, **rows)
    rows_model = create_model(f"{spec.name.title()}Rows", __config__=config, **rows)
    return create_model(f"{spec.name.title()}Table", __config__=config, __doc__=spec.title, **common,
                        rows=(rows_model, ...), extra_rows=(list[ExtraRow], Field(default_factory=list)))


@lru_cache(maxsize=4)
def _tables_model(spec_id: int) -> type[BaseModel]:
    spec = current()
    fields: dict[str, Any] = {name: (_table_model(t) | None, Field(None, description=t.title)) for name, t in spec.tables.items()}
    fields["legacy"] = (LegacyTable | list[LegacyTable] | None, Field(None, description="statistics tables of a pre-2019 report"))
    return create_model("Tables", __config__=ConfigDict(extra="forbid"), **fields)


def tables_model() -> type[BaseModel]:
    """The typed ``tables`` object of the spec in use."""
    return _tables_model(id(current()))

SCHEMA_ID = "gongkai.report/1"


class Source(BaseModel):
    path: str
    sha256: str
    format: Literal["pdf", "docx", "doc", "html", "txt"]
    pages: int | None = None
    ocr_pages: list[int] = Field(default_factory=list, description="PDF pages read by OCR (no text layer)")


class Region(BaseModel):
    province: str | None = None
    city: str | None = None
    county: str | None = None


class Meta(BaseModel):
    model_config = ConfigDict(extra="allow")
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: str | None = None
    template: Literal["2021", "2019", "legacy", "unknown"] = "unknown"
    region: Region = Field(default_factory=Region)
    evidence: dict[str, Any] = Field(default_factory=dict,
                                     description="where each meta field was read: {paragraph, start, end}, or "
                                                 "pdf_metadata / html_meta / crawler_header / docx_properties")


class Paragraph(BaseModel):
    id: str
    text: str
    section: str
    confidence: float
    heading: bool
    page: int | None = None
    by: Literal["heading", "classifier"]
    start: int | None = None
    end: int | None = None
    ocr_confidence: float | None = Field(None, description="read by OCR: the mean probability of its characters")


class Check(BaseModel):
    model_config = ConfigDict(extra="allow")
    id: str
    ok: bool | None
    expected: Any = None
    actual: Any = None
    reason: str | None = None


class Warning_(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    message: str


class Dropped(BaseModel):
    """Text a reader removed as noise, with the reason: nothing else disappears."""
    model_config = ConfigDict(extra="forbid")
    text: str
    reason: str = Field(description="page_number, running_header, fake_bold, crawler_header, crawler_chrome, page_chrome, markup, ocr_noise")
    page: int | None = None


class Producer(BaseModel):
    """What made the record: re-run a result when either the version or the model changes."""
    name: str = "gongkai"
    version: str
    model: str | None = None
    model_sha256: str | None = None
    segmenter: str | None = None


class Report(BaseModel):
    schema_: str = Field(SCHEMA_ID, alias="schema")
    producer: Producer
    source: Source
    meta: Meta
    paragraphs: list[Paragraph]
    tables: dict[str, Any] = Field(description="the standard tables, typed by ReportTyped")
    checks: list[Check]
    items: dict[str, Any] = Field(description="the named items, typed by ReportTyped")
    warnings: list[Warning_]
    dropped: list[Dropped] = Field(default_factory=list)

    model_config = ConfigDict(populate_by_name=True)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, exclude_none=False)


def typed_report() -> type[BaseModel]:
    """``Report`` with ``tables`` and ``items`` typed (the spec's tables, the item kinds): the JSON Schema
    ``gongkai schema`` exports, and what :func:`validate` checks an output against."""
    return create_model("ReportTyped", __base__=Report, tables=(tables_model(), ...), items=(Items, ...))


def validate(report: dict) -> None:
    """Raise ``pydantic.ValidationError`` where ``report`` breaks the typed contract."""
    typed_report().model_validate(report)


def json_schema() -> dict:
    return typed_report().model_json_schema(by_alias=True)
