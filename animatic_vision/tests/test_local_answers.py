"""The per-process layer of the answer cache: least recently used answers go first, within a byte budget."""

from __future__ import annotations

from animatic_vision.api.responses import LocalAnswers


def answer(size: int) -> tuple[bytes, dict[str, str]]:
    return b"x" * size, {}


def test_the_least_recently_used_answer_goes_when_the_budget_is_spent():
    budget = 3 * LocalAnswers.size(answer(1000))
    answers = LocalAnswers(max_bytes=budget)
    for key in ("a", "b", "c"):
        answers.set(key, answer(1000))
    assert answers.get("a") is not None  # "a" is now the most recently used, "b" the least

    answers.set("d", answer(1000))

    assert answers.get("b") is None
    assert [answers.get(key) is not None for key in ("a", "c", "d")] == [True, True, True]


def test_an_answer_larger_than_the_budget_is_not_kept_and_evicts_nothing():
    answers = LocalAnswers(max_bytes=10_000)
    answers.set("small", answer(100))

    answers.set("huge", answer(20_000))

    assert answers.get("huge") is None
    assert answers.get("small") == answer(100)


def test_a_zero_budget_keeps_nothing():
    answers = LocalAnswers(max_bytes=0)

    answers.set("a", answer(1))

    assert answers.get("a") is None
