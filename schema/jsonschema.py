"""The JSON Schema for editors, generated from the models (never hand-written)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from casebook.schema.models import Case, Collection

SCHEMA_FILE_NAME = "case.schema.json"
COLLECTION_SCHEMA_FILE_NAME = "collection.schema.json"
# file name → (model, title): every JSON Schema the project publishes for editors.
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    SCHEMA_FILE_NAME: (Case, "casebook 容错纠错典型案例"),
    COLLECTION_SCHEMA_FILE_NAME: (Collection, "casebook 教学专题"),
}


def json_schema(file_name: str = SCHEMA_FILE_NAME) -> dict[str, Any]:
    """The JSON Schema published as ``file_name``, with vocabularies as enums."""
    model, title = SCHEMAS[file_name]
    schema = model.model_json_schema(mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": file_name, **schema, "title": title}


def case_json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file."""
    return json_schema(SCHEMA_FILE_NAME)


def render_json_schema(file_name: str = SCHEMA_FILE_NAME) -> str:
    """The schema as the exact text committed in ``schema/<file_name>``."""
    return json.dumps(json_schema(file_name), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def committed_schema_path(file_name: str = SCHEMA_FILE_NAME) -> Path:
    return Path(str(resources.files("casebook.schema").joinpath(file_name)))
