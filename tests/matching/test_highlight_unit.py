"""Marking matched words: by stem, whole words only, and cut into safe segments."""

from __future__ import annotations

from triplehelix.matching.service.highlight import marks, segments


def test_marks_whole_words_by_stem() -> None:
    text = "Aseptic filling of monoclonal antibodies; fill/finish"
    spans = marks(text, ["antibody", "fill"])
    assert [text[a:b] for a, b in spans] == ["filling", "antibodies", "fill"]


def test_stopwords_and_empty_terms_mark_nothing() -> None:
    assert marks("the cleanroom of the park", ["the", "of"]) == []
    assert marks("anything", []) == []


def test_segments_cover_the_text_once() -> None:
    text = "GMP production of AAV vectors"
    parts = segments(text, marks(text, ["aav", "production"]))
    assert "".join(p for p, _ in parts) == text
    assert [p for p, hit in parts if hit] == ["production", "AAV"]
