"""CB311: what a student edition prints gives no ruling away and points to nothing it does not hold."""

from __future__ import annotations

import pytest

from casebook.schema.giveaway import giveaways
from casebook.schema.reading import read
from tests.giveaway_table import DEVELOPMENT, HELD_OUT


@pytest.mark.parametrize(("text", "caught"), DEVELOPMENT + HELD_OUT)
def test_a_wording_gives_the_ruling_away_or_not(text: str, caught: bool) -> None:
    assert bool(giveaways(text, booklet=True)) == caught, giveaways(text, booklet=True)


def test_a_case_page_is_held_to_rulings_only() -> None:
    """A case's own study text may say 见处理结果: its page holds the ruling further down."""
    assert giveaways("读完案情后，再翻开处理结果对照。", booklet=False) == []
    assert giveaways("后四个案例都为当事人恢复了名誉。", booklet=False) == [("ruling", ["恢复了名誉"])]


def test_the_check_reads_the_text_as_printed() -> None:
    """Wrapped lines join as the booklet joins them; full-width forms fold; book titles are names, not rulings."""
    assert read("最终予以容\n错免责。").text == "最终予以容错免责。"
    assert giveaways("最终予以容\n错免责。", booklet=True) == [("ruling", ["予以容错免责"])]
    assert giveaways("依照《某市容错免责实施办法》第五条。", booklet=True) == []
    assert giveaways("最后４案都獲得了容錯。", booklet=True) == [
        ("ruling", ["获得了容错"]),
        ("position", ["最后4案……容错"]),
    ]
