"""Typed citations.

A :class:`Reference` is where a number comes from: a title, an address, the
publisher, the publication date and where in the text (``pinpoint``). Every
dated value of every shipped parameter carries at least one.
"""

from __future__ import annotations

import datetime as _dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ReferenceKind = Literal[
    "official", "news", "research", "data", "statute", "proclamation", "fr_notice",
    "scenario", "derived",
]


class Reference(BaseModel):
    """One citation. ``pinpoint`` says where in the text the figure is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    href: str = Field(min_length=1)
    publisher: str = Field(min_length=1)
    #: Publication date; ``null`` only when the page shows none, and then
    #: ``accessed`` is required.
    date: _dt.date | None
    pinpoint: str = Field(min_length=1)
    kind: ReferenceKind = "news"
    accessed: _dt.date | None = None

    @model_validator(mode="after")
    def _dated(self) -> "Reference":
        if self.date is None and self.accessed is None:
            raise ValueError("a reference without a publication date needs 'accessed'")
        return self

    @field_validator("href")
    @classmethod
    def _href_is_address(cls, v: str) -> str:
        if not (v.startswith("http://") or v.startswith("https://") or v.startswith("file:")
                or v.startswith("tradepact:")):
            raise ValueError("must be an http(s) address")
        return v

    def short(self) -> str:
        when = self.date.isoformat() if self.date else f"undated, accessed {self.accessed}"
        return f"{self.publisher}, {when}: {self.title}"
