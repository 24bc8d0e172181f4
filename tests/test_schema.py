"""The models are the schema: the JSON Schema is generated, vocabularies grow without code."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from casebook.builder.cli import main
from casebook.schema import vocabulary
from casebook.schema.jsonschema import (
    COLLECTION_SCHEMA_FILE_NAME,
    SCHEMA_FILE_NAME,
    case_json_schema,
    committed_schema_path,
    render_json_schema,
)
from casebook.schema.models import Case
from tests.corpora import FIXTURES


@pytest.mark.parametrize("name", [SCHEMA_FILE_NAME, COLLECTION_SCHEMA_FILE_NAME])
def test_committed_json_schema_is_current(name: str) -> None:
    committed = committed_schema_path(name).read_text(encoding="utf-8")
    assert committed == render_json_schema(name), f"schema/{name} 已过期：运行 casebook schema"
    assert CliRunner().invoke(main, ["schema", "--check"]).exit_code == 0


def test_json_schema_lists_vocabularies_and_forbids_unknown_keys() -> None:
    schema = case_json_schema()
    outcome = schema["$defs"]["Outcome"]
    assert outcome["properties"]["result"]["enum"] == vocabulary.ids("outcomes")
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())


def test_vocabulary_grows_without_a_code_change(monkeypatch: pytest.MonkeyPatch) -> None:
    grown = copy.deepcopy(vocabulary.vocabularies())
    grown["factors"]["objective_conditions"] = {"label": "客观条件"}
    grown["domains"]["ecology"] = "生态环境"
    monkeypatch.setattr(vocabulary, "vocabularies", lambda: grown)
    data = yaml.safe_load((FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text(encoding="utf-8"))
    data["domain"] = "ecology"
    data["six_looks"]["objective_conditions"] = {"value": "favourable", "note": "疫情影响"}
    case = Case.model_validate(data)
    assert case.six_looks["objective_conditions"].value == "favourable"
    assert "ecology" in case_json_schema()["properties"]["domain"]["enum"]


def test_every_vocabulary_entry_has_a_chinese_label() -> None:
    for name in vocabulary.VOCABULARY_NAMES:
        for term in vocabulary.ids(name):
            text = vocabulary.label(name, term)
            assert text != term and any("\u4e00" <= ch <= "\u9fff" for ch in text), (name, term)


def test_models_are_frozen() -> None:
    data = yaml.safe_load((FIXTURES / "good" / "2024" / "2024-fixture-rongque.yaml").read_text(encoding="utf-8"))
    case = Case.model_validate(data)
    with pytest.raises(Exception, match="frozen"):
        case.title = "改过的标题"  # type: ignore[misc]


def test_readme_documents_every_error_code() -> None:
    from casebook.schema import CODES

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"| {code} |" not in readme]
    assert not missing, f"README 的错误代码表缺少：{missing}"
