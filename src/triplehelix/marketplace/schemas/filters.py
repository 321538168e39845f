"""The filters of the public list of posts: one definition for the `/marketplace` page, its Atom
feed, the API (`Annotated[PostFilters, Query()]`, each field a query parameter, a repeated one
meaning any of its values) and the services that search with them (listing, alerts)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class PostFilters(BaseModel):
    model_config = ConfigDict(frozen=True)

    q: str = Field("", max_length=500, description="Words in the post")
    type: list[str] = []
    domain: list[str] = []
    stage: list[str] = []
    cluster: list[str] = []
    municipality: list[str] = []
    trl: list[int] = []
    partnership: list[str] = []
