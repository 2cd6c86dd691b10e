"""Reading poll files: YAML read with the YAML 1.2 core schema, so what the admin typed stays
text (`Yes`, `No`, `On`, `Off` are words, not booleans; dates stay as written; only `true` and
`false` are booleans), and the texts (titles, questions, options) keep their exact spelling:
`1.50` stays "1.50", `007` stays "007"."""

from __future__ import annotations

import re

import yaml

TEXT_KEYS = frozenset({"title", "text", "options", "reason"})

_INT = re.compile(r"^[-+]?[0-9]+$|^0o[0-7]+$|^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(
    r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"
    r"|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$"
)


class CoreLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the YAML 1.2 core schema's implicit types only."""


CoreLoader.yaml_implicit_resolvers = {}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
CoreLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _int_12(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)  # YAML 1.2: 010 is ten, not eight


CoreLoader.add_constructor("tag:yaml.org,2002:int", _int_12)


def _as_written(node):
    """A scalar's text exactly as typed; lists of scalars likewise."""
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag != "tag:yaml.org,2002:null" else None
    if isinstance(node, yaml.SequenceNode):
        return [_as_written(item) for item in node.value]
    return None


def _keep_texts(node, value):
    """Replace the values under TEXT_KEYS with the text as written, at any depth."""
    if isinstance(node, yaml.MappingNode) and isinstance(value, dict):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in value:
                continue
            written = _as_written(value_node) if key in TEXT_KEYS else None
            if written is not None and not isinstance(value[key], dict):
                value[key] = written
            else:
                _keep_texts(value_node, value[key])
    elif isinstance(node, yaml.SequenceNode) and isinstance(value, list):
        for item_node, item in zip(node.value, value, strict=False):
            _keep_texts(item_node, item)
    return value


def load_yaml(text: str):
    """The document in `text`, read with the YAML 1.2 core schema (raises yaml.YAMLError)."""
    loader = CoreLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return _keep_texts(node, value) if node is not None else value
