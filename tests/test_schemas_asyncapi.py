"""schemas/asyncapi.yaml is a valid AsyncAPI 3.0 document that describes every topic of schemas/topics.py.

Validity is checked twice: by the asyncapi3 package (a pydantic model of the whole AsyncAPI 3.0
specification, Kafka bindings included) and by a compact JSON Schema of the structure we rely on,
plus a check that every ``$ref`` resolves to a file and anchor that exist.
"""

from __future__ import annotations

import copy
import json
import warnings
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from schemas.jsonschema import STEMS, schema_file_name
from schemas.published import SCHEMAS_DIR
from schemas.topics import ALL_TOPICS

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # asyncapi3 warns about its own field names at import
    from asyncapi3 import AsyncAPI3

DOCUMENT: dict[str, Any] = yaml.safe_load((SCHEMAS_DIR / "asyncapi.yaml").read_text())

REF = {"type": "object", "required": ["$ref"], "properties": {"$ref": {"type": "string"}}}
KAFKA_BINDING_VERSION = {"const": "0.5.0"}
ASYNCAPI_3_STRUCTURE: dict[str, Any] = {
    "type": "object",
    "required": ["asyncapi", "info", "channels", "operations"],
    "properties": {
        "asyncapi": {"const": "3.0.0"},
        "info": {
            "type": "object",
            "required": ["title", "version"],
            "properties": {"title": {"type": "string", "minLength": 1}, "version": {"type": "string"}},
        },
        "servers": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "required": ["host", "protocol"],
                "properties": {"protocol": {"const": "kafka"}},
            },
        },
        "channels": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": "^[A-Za-z0-9_\\-]+$"},
            "additionalProperties": {
                "type": "object",
                "required": ["address", "messages", "bindings"],
                "properties": {
                    "address": {"type": "string"},
                    "messages": {"type": "object", "minProperties": 1, "additionalProperties": REF},
                    "bindings": {
                        "type": "object",
                        "required": ["kafka"],
                        "properties": {
                            "kafka": {
                                "type": "object",
                                "required": ["topic", "partitions", "replicas", "topicConfiguration",
                                             "bindingVersion"],
                                "properties": {
                                    "partitions": {"type": "integer", "minimum": 1},
                                    "replicas": {"type": "integer", "minimum": 1},
                                    "topicConfiguration": {
                                        "type": "object",
                                        "required": ["cleanup.policy"],
                                        "properties": {"cleanup.policy": {
                                            "type": "array", "minItems": 1,
                                            "items": {"enum": ["delete", "compact"]},
                                        }},
                                    },
                                    "bindingVersion": KAFKA_BINDING_VERSION,
                                },
                            }
                        },
                    },
                },
            },
        },
        "operations": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["action", "channel"],
                "properties": {
                    "action": {"enum": ["send", "receive"]},
                    "channel": REF,
                    "messages": {"type": "array", "items": REF},
                },
            },
        },
        "components": {
            "type": "object",
            "properties": {
                "messages": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "object",
                        "required": ["payload", "bindings"],
                        "properties": {
                            "payload": REF,
                            "bindings": {
                                "type": "object",
                                "required": ["kafka"],
                                "properties": {"kafka": {
                                    "type": "object",
                                    "required": ["key", "bindingVersion"],
                                    "properties": {"key": {"type": "object"},
                                                   "bindingVersion": KAFKA_BINDING_VERSION},
                                }},
                            },
                        },
                    },
                }
            },
        },
    },
}


def all_refs(node: Any) -> list[str]:
    """Every ``$ref`` value anywhere in a document."""
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in all_refs(value)]
    if isinstance(node, list):
        return [ref for item in node for ref in all_refs(item)]
    return []


def resolve(ref: str) -> Any:
    """Follow a local (``#/...``) or relative-file (``./x.json#/...``) reference; KeyError if it dangles."""
    location, _, pointer = ref.partition("#")
    target: Any = DOCUMENT
    if location:
        path = (SCHEMAS_DIR / location).resolve()
        if not path.is_file():
            raise KeyError(f"{ref}: no file {path}")
        target = json.loads(path.read_text())
    for token in [part for part in pointer.split("/") if part]:
        target = target[token.replace("~1", "/").replace("~0", "~")]
    return target


def test_document_is_accepted_by_the_asyncapi3_model() -> None:
    model = AsyncAPI3.model_validate(DOCUMENT)
    assert model.asyncapi == "3.0.0"


def test_asyncapi3_model_rejects_a_broken_document() -> None:
    broken = copy.deepcopy(DOCUMENT)
    broken["operations"]["sendIncidents"]["action"] = "publish"  # AsyncAPI 2 wording
    with pytest.raises(ValueError, match="action"):
        AsyncAPI3.model_validate(broken)


def test_document_has_the_asyncapi_3_structure() -> None:
    errors = [error.message for error in Draft202012Validator(ASYNCAPI_3_STRUCTURE).iter_errors(DOCUMENT)]
    assert errors == []


def test_the_structure_schema_catches_a_missing_binding() -> None:
    broken = copy.deepcopy(DOCUMENT)
    del broken["channels"]["incidents"]["bindings"]["kafka"]["partitions"]
    assert not Draft202012Validator(ASYNCAPI_3_STRUCTURE).is_valid(broken)


def test_every_ref_resolves_to_a_file_and_anchor_that_exist() -> None:
    refs = all_refs(DOCUMENT)
    assert len(refs) >= 3 * len(ALL_TOPICS)
    for ref in refs:
        resolve(ref)


def test_resolver_reports_a_dangling_ref() -> None:
    with pytest.raises(KeyError):
        resolve("#/components/messages/Nope")
    with pytest.raises(KeyError):
        resolve("./json/nope.schema.json")


@pytest.mark.parametrize("topic", ALL_TOPICS, ids=lambda t: t.name)
def test_every_topic_is_a_channel_with_its_key_partitions_and_cleanup_policy(topic: Any) -> None:
    [channel] = [c for c in DOCUMENT["channels"].values() if c["address"] == topic.name]
    kafka = channel["bindings"]["kafka"]
    assert (kafka["topic"], kafka["partitions"], kafka["replicas"]) == (topic.name, topic.partitions,
                                                                        topic.replicas)
    assert kafka["topicConfiguration"]["cleanup.policy"] == [topic.cleanup_policy]
    [message_ref] = channel["messages"].values()
    message = resolve(message_ref["$ref"])
    assert message["payload"] == {"$ref": f"./json/{schema_file_name(STEMS[topic.record])}"}
    assert resolve(message["payload"]["$ref"])["title"] == topic.record
    assert message["bindings"]["kafka"]["key"]["description"] == topic.key
    assert topic.key in channel["description"]


def test_every_channel_is_sent_to_by_an_operation() -> None:
    sent = {op["channel"]["$ref"] for op in DOCUMENT["operations"].values() if op["action"] == "send"}
    assert sent == {f"#/channels/{name}" for name in DOCUMENT["channels"]}


def test_dead_letter_message_documents_its_headers() -> None:
    headers = DOCUMENT["components"]["messages"]["DeadLetter"]["headers"]["properties"]
    assert "__connect.errors.exception.message" in headers
    assert "casualty.error.code" in headers
    assert DOCUMENT["components"]["messages"]["DeadLetter"]["bindings"]["kafka"]["key"]["type"] == [
        "string", "null",
    ]
