"""Domains and their value chains are data: the bundled taxonomy, and a region's own extension."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from triplehelix.taxonomy.schemas import get_taxonomy, load_taxonomy


def test_each_domain_has_its_own_stages_and_cross_domain_stages_are_shared() -> None:
    tax = get_taxonomy()
    assert [d.code for d in tax.domains()] == ["life_sciences", "space", "drones"]
    assert "clinical_phase_1" in tax.stages("life_sciences")
    assert "space_testing" in tax.stages("space") and "clinical_phase_1" not in tax.stages("space")
    assert tax.stages("drones")[0] == "drone_platforms"
    assert tax.cross_domain_stages() == ["education", "business_services"]
    assert tax.domain_of_cluster("unmanned-valley") == ["drones"]


def test_labels_carry_dutch() -> None:
    tax = get_taxonomy()
    for scheme in ("value_chain", "domain"):
        for term in tax.schemes[scheme].terms:
            assert term.label_in("nl") and term.label_in("nl") != term.code, term.code
    assert tax.label("domain", "space", "nl") == "Ruimtevaart"
    assert tax.label("domain", "space") == "Space"


def test_a_region_adds_a_domain_without_code(tmp_path: Path) -> None:
    extra = tmp_path / "quantum.json"
    extra.write_text(
        json.dumps(
            {
                "domain": {"terms": [{"code": "quantum", "label": "Quantum", "axis": "helix",
                                      "labels": {"nl": "Quantum"}}]},
                "value_chain": {"terms": [
                    {"code": "quantum_hardware", "label": "Quantum hardware", "domain": "quantum"},
                    {"code": "quantum_software", "label": "Quantum software", "domain": "quantum"},
                ]},
            }
        ),
        "utf-8",
    )  # fmt: skip
    tax = load_taxonomy(str(extra))
    assert "quantum" in [d.code for d in tax.domains()]
    assert tax.stages("quantum") == ["quantum_hardware", "quantum_software"]
    assert tax.stages("space") == get_taxonomy().stages("space")


def test_a_stage_of_an_unknown_domain_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "bad.json"
    extra.write_text(
        json.dumps({"value_chain": {"terms": [{"code": "x", "label": "X", "domain": "agri"}]}}),
        "utf-8",
    )
    with pytest.raises(ValueError, match=r"value_chain\.x: domain: unknown domain 'agri'"):
        load_taxonomy(str(extra))
