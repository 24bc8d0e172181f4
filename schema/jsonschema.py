"""The JSON Schema for editors, generated from the models (never hand-written)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from schema.models import Case

SCHEMA_FILE_NAME = "case.schema.json"


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file, with vocabularies as enums."""
    schema = Case.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "case.schema.json",
        **schema,
        "title": "casebook 容错纠错典型案例",
    }


def render_json_schema() -> str:
    """The schema as the exact text committed in ``schema/case.schema.json``."""
    return json.dumps(case_json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def committed_schema_path() -> Path:
    return Path(str(resources.files("schema").joinpath(SCHEMA_FILE_NAME)))
