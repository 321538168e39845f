from __future__ import annotations

from triplehelix.search.service.text import analyse, passages, sentences, words


def test_words_keep_codes_and_drop_function_words() -> None:
    assert words("GMP production of an AAV9 vector for BSL-3") == [
        "gmp", "production", "aav9", "vector", "bsl", "3",
    ]  # fmt: skip


def test_analyse_stems() -> None:
    assert analyse("manufacturing vectors") == ["manufactur", "vector"]


def test_sentences_split_on_end_punctuation_only_before_a_capital_or_digit() -> None:
    assert sentences("Cells (n=5) were used vs. controls. 3 mice died. Done.") == [
        "Cells (n=5) were used vs. controls.", "3 mice died.", "Done.",
    ]  # fmt: skip


def test_passages_cover_every_sentence_within_the_word_limit() -> None:
    text = " ".join(f"Sentence number {i} has five words." for i in range(30))
    out = passages(text, max_words=20)
    assert all(len(p.split()) <= 20 for p in out)
    joined = " ".join(out)
    assert all(f"number {i} " in joined for i in range(30))
    # consecutive passages share a sentence, so no answer is cut in half
    assert out[0].split(".")[-2].strip() in out[1]


def test_a_sentence_longer_than_the_limit_is_its_own_passage() -> None:
    assert passages("word " * 50 + "end.", max_words=10) == [("word " * 50 + "end.").strip()]
