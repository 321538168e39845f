"""Query understanding through the taxonomy's labels and synonyms."""

from __future__ import annotations

from triplehelix.matching.service.understanding import expansion, named_requirements, understand
from triplehelix.taxonomy import get_taxonomy


def test_synonyms_map_to_codes() -> None:
    found = understand("GMP production of an AAV vector for a first-in-human trial", get_taxonomy())
    assert "clinical_phase_1" in found.codes("value_chain")
    assert "cmc_manufacturing" in found.codes("value_chain")
    assert "gene_therapy" in found.codes("modality")


def test_expansion_adds_labels_not_the_need_itself() -> None:
    tax = get_taxonomy()
    words = expansion(understand("thermal vacuum test of a satellite", tax), tax)
    assert "Space test facility" in words
    assert "thermal" not in words


def test_clusters_named_in_a_need() -> None:
    found = understand("drone transport of blood samples between hospitals", get_taxonomy())
    assert found.codes("cluster") == {"lbsp", "unmanned-valley"}


def test_extra_phrases_are_recognised_on_stems() -> None:
    tax = get_taxonomy()
    found = understand("human microdoses of a radiolabelled compound", tax)
    assert "clinical_phase_1" in found.codes("value_chain")
    assert understand("we sequence DNA of tumours", tax).codes("facility_kind") == {"sequencing"}
    assert named_requirements("two wind tunnels for our wings")[0].code == "wind_tunnel"
    assert named_requirements("a drone for our wings") == []


def test_a_need_about_cells_names_the_life_sciences_side() -> None:
    from triplehelix.matching.service.sides import named_sides

    tax = get_taxonomy()
    assert [s.code for s in named_sides("machine learning on images of cells", tax)] == [
        "ai",
        "life_sciences",
    ]
    assert [s.code for s in named_sides("deep learning for drone navigation", tax)] == [
        "ai",
        "drones",
    ]
