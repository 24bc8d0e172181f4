"""The name and number checks hold their figures on the development quality sets (tests/quality/).

The held-aside parts are never read here: only ``tests/quality/score_personal.py --holdout``
reads them, once, at the end of a piece of work.
"""

from __future__ import annotations

import pytest

from casebook.schema import names
from tests.quality.score_personal import rows, score_names, score_numbers


def test_names_development_figures_hold() -> None:
    score = score_names(rows("names_dev"))
    assert score.planted >= 250 and score.clean >= 250
    # Measured at 95.0 % (266 of 280); held a point lower so that rows added to the development
    # part (its author adds them) do not stop others' work before the detector is looked at again.
    assert score.recall >= 0.94, score.missed
    assert score.false_alarm_rate <= 0.01, score.alarms


def test_number_forms_development_figures_hold() -> None:
    score = score_numbers(rows("numbers_dev"))
    assert score.planted >= 90 and score.clean >= 50
    assert score.recall >= 0.95, score.missed
    assert score.false_alarms == 0, score.alarms


@pytest.mark.slow
def test_the_name_model_is_what_jieba_gives(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``schema/names_model.txt`` is generated: regenerate it with ``python -m casebook.schema.names``."""
    from importlib import resources

    names.write_model(tmp_path / "model.txt")
    shipped = resources.files("casebook.schema").joinpath(names.MODEL_FILE).read_text(encoding="utf-8")
    assert (tmp_path / "model.txt").read_text(encoding="utf-8") == shipped
