"""The output schema (``gongkai.report/1``) as pydantic models.

``Report.model_json_schema()`` is exported to ``schema/report.schema.json`` by
``gongkai schema``.  Field names follow ../shared/spec/OUTPUT.md; extra fields are
allowed where the contract allows them.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "gongkai.report/1"


class Source(BaseModel):
    path: str
    sha256: str
    format: Literal["pdf", "docx", "doc", "html", "txt"]
    pages: int | None = None


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
    tables: dict[str, Any]
    checks: list[Check]
    items: dict[str, Any]
    warnings: list[Warning_]

    model_config = ConfigDict(populate_by_name=True)

    def to_dict(self) -> dict:
        return self.model_dump(by_alias=True, exclude_none=False)
