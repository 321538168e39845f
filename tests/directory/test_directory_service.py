"""Directory service on both databases: facet counts against counts computed from the JSONL."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from triplehelix.directory import models as m
from triplehelix.directory import service
from triplehelix.errors import NotFoundError, ValidationError

Records = dict[str, list[dict[str, Any]]]
# Facet name -> the record field it filters on (a list field for tag facets).
FIELDS = {"kind": "kind", "city": "city", "cluster": "clusters", "stage": "value_chain"}
FIELDS["modality"] = "modalities"


def _values(rec: dict[str, Any], facet: str) -> list[str]:
    value = rec[FIELDS[facet]]
    return value if isinstance(value, list) else [value] if value is not None else []


def _matches(rec: dict[str, Any], filters: dict[str, list[str]], skip: str | None = None) -> bool:
    return all(
        set(_values(rec, facet)) & set(values) for facet, values in filters.items() if facet != skip
    )


def _expected_facet(records: Records, facet: str, filters: dict[str, list[str]]) -> Counter[str]:
    """The naive reference: disjunctive counts by looping over the records."""
    counts: Counter[str] = Counter()
    for rec in records["organisations"]:
        if _matches(rec, filters, skip=facet):
            counts.update(_values(rec, facet))
    return counts


def _counts(result: Any, facet: str) -> Counter[str]:
    return Counter({v.value: v.count for v in result.facets[facet] if v.count})


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"kind": ["company"], "city": ["Leiden"]},
        {"kind": ["company", "research_institute"]},
        {"cluster": ["lbsp"], "stage": ["cmc_manufacturing"]},
        {"modality": ["vaccines", "gene_therapy"], "city": ["Leiden"]},
    ],
)
def test_facet_counts_equal_counts_from_the_jsonl(
    leiden: Session, records: Records, filters: dict[str, list[str]]
) -> None:
    result = service.list_organisations(leiden, **filters)  # type: ignore[arg-type]
    expected_total = sum(_matches(r, filters) for r in records["organisations"])
    assert result.total == expected_total
    for facet in FIELDS:
        assert _counts(result, facet) == _expected_facet(records, facet, filters), facet


def test_unfiltered_kind_facet_matches_the_dataset_readme(leiden: Session) -> None:
    kinds = {v.value: v.count for v in service.list_organisations(leiden).facets["kind"]}
    assert kinds["company"] == 118
    assert kinds["research_institute"] == 29
    assert sum(kinds.values()) == 255


def test_selected_values_are_marked_and_kept_when_empty(leiden: Session) -> None:
    result = service.list_organisations(leiden, kind=["company", "no-such-kind"])
    selected = {v.value: v.count for v in result.facets["kind"] if v.selected}
    assert selected == {"company": 118, "no-such-kind": 0}


def test_search_needs_every_word(leiden: Session) -> None:
    result = service.list_organisations(leiden, q="Vaccine leiden", limit=500)
    texts = {o.id: o.search_text for o in leiden.scalars(select(m.Organisation))}
    expected = {i for i, t in texts.items() if "vaccine" in t and "leiden" in t}
    assert expected and {o.id for o in result.items} == expected
    assert result.total == len(expected)
    assert len(expected) < sum("vaccine" in t for t in texts.values())


def test_search_treats_like_wildcards_as_text(leiden: Session) -> None:
    assert service.list_organisations(leiden, q="_%_").total == 0


def test_relevance_puts_the_named_organisation_first(leiden: Session) -> None:
    result = service.list_organisations(leiden, q="leiden university")
    assert result.items[0].id == "leiden-university"


def test_pagination_walks_the_whole_list(leiden: Session) -> None:
    whole = service.list_organisations(leiden, kind=["company"], limit=30)
    pages = [
        service.list_organisations(leiden, kind=["company"], limit=10, offset=o)
        for o in (0, 10, 20)
    ]
    assert [o.id for p in pages for o in p.items] == [o.id for o in whole.items]
    assert all(p.total == 118 for p in pages)
    last = service.list_organisations(leiden, kind=["company"], limit=10, offset=110)
    assert len(last.items) == 8


def test_sort_by_name_and_by_founding_year(leiden: Session) -> None:
    by_name = service.list_organisations(leiden, sort="name", limit=500).items
    assert [o.name.lower() for o in by_name] == sorted(o.name.lower() for o in by_name)
    oldest = service.list_organisations(leiden, sort="founded", limit=500).items
    years = [o.founded for o in oldest if o.founded is not None]
    assert years == sorted(years) and oldest[0].founded == min(years)
    assert oldest[-1].founded is None  # unknown years come last
    newest = service.list_organisations(leiden, sort="-founded", limit=5).items
    assert newest[0].founded == max(years)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sort": "size"}, "sort"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"q": "cell gene vaccine drone space lab test clinic data model sensor chip orbit"}, "q"),
    ],
)
def test_bad_arguments_name_the_field(leiden: Session, kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError, match=f"^{field}:"):
        service.list_organisations(leiden, **kwargs)


def test_get_organisation_has_relations_in_both_directions(
    leiden: Session, records: Records
) -> None:
    org = service.get_organisation(leiden, "leiden-university")
    expected = {
        # partner_of has no direction: A-B and B-A are one relation
        (*sorted((r["source"], r["target"])), r["kind"])
        if r["kind"] == "partner_of"
        else (r["source"], r["target"], r["kind"])
        for r in records["relations"]
        if "leiden-university" in (r["source"], r["target"])
    }
    assert len(org.relations) == len(expected)
    incoming = {r.label for r in org.relations if r.direction == "in"}
    outgoing = {r.label for r in org.relations if r.direction == "out"}
    assert "has spin-off" in incoming  # inverse label from the taxonomy
    assert outgoing and incoming
    assert org.sources and org.events
    assert all(any(p.code == "leiden-university" for p in e.organisations) for e in org.events)


def test_get_organisation_lists_facilities_owned(leiden: Session, records: Records) -> None:
    owner = Counter(f["owner"] for f in records["facilities"]).most_common(1)[0]
    org = service.get_organisation(leiden, owner[0])
    assert len(org.facilities) == owner[1]


def test_get_organisation_not_found(leiden: Session) -> None:
    with pytest.raises(NotFoundError, match="no-such-org"):
        service.get_organisation(leiden, "no-such-org")


def test_facility_facets_and_filters(leiden: Session, records: Records) -> None:
    result = service.list_facilities(leiden)
    assert result.total == len(records["facilities"])
    kinds = Counter(f["kind"] for f in records["facilities"])
    assert {v.value: v.count for v in result.facets["kind"]} == kinds
    assert {v.value: v.count for v in result.facets["shared"]} == {
        "yes": 23,
        "no": 8,
        "unknown": 3,
    }
    unknown = service.list_facilities(leiden, shared=["unknown"])
    assert unknown.total == 3 and all(f.shared is None for f in unknown.items)
    gmp = service.list_facilities(leiden, kind=["gmp_suite"], shared=["yes", "no"])
    assert gmp.total == sum(
        f["kind"] == "gmp_suite" and f["shared"] in (True, False) for f in records["facilities"]
    )


def test_facility_search_covers_owner_names(leiden: Session) -> None:
    result = service.list_facilities(leiden, q="halix")
    assert "halix-cgmp-plant" in {f.id for f in result.items}


def test_facility_bad_shared_value_names_the_field(leiden: Session) -> None:
    with pytest.raises(ValidationError, match=r"^shared:"):
        service.list_facilities(leiden, shared=["maybe"])


def test_get_facility(leiden: Session) -> None:
    fac = service.get_facility(leiden, "halix-cgmp-plant")
    assert fac.owner.id == "halix" and fac.sources
    with pytest.raises(NotFoundError):
        service.get_facility(leiden, "nope")


def test_events_filters_and_kind_counts(leiden: Session, records: Records) -> None:
    events = records["events"]
    result = service.list_events(leiden, year_from=2000, year_to=2010, limit=500)
    in_range = [e for e in events if 2000 <= int(e["date"][:4]) <= 2010]
    assert result.total == len(in_range)
    assert {v.value: v.count for v in result.facets["kind"]} == Counter(e["kind"] for e in in_range)
    years = [e.year for e in result.items]
    assert years == sorted(years, reverse=True)
    ipo = service.list_events(leiden, kind=["ipo"])
    assert ipo.total == 4
    mine = service.list_events(leiden, organisation="leiden-university", limit=500)
    assert mine.total == sum("leiden-university" in e["orgs"] for e in events)


def test_home_figures(leiden: Session, records: Records) -> None:
    figures = service.home_figures(leiden)
    assert figures.counts["organisations"] == 255
    by_kind = {v.value: v.count for v in figures.organisations_by_kind}
    assert by_kind == Counter(o["kind"] for o in records["organisations"])
    by_cluster = {v.value: v.count for v in figures.organisations_by_cluster}
    assert by_cluster == Counter(c for o in records["organisations"] for c in o["clusters"])
    assert len(figures.latest_events) == 6
    assert figures.latest_events[0].date == max(e["date"] for e in records["events"])
