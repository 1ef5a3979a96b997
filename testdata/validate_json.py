#!/usr/bin/env python3
"""Validate JSON (SARIF logs) or TOML (dlint.toml) files against a JSON Schema.

Usage: validate_json.py SCHEMA FILE...  (prints `FILE: ok` or `FILE: invalid: ...` per file and
exits 1 when any is invalid)
"""
import json
import sys
import tomllib

import jsonschema


def load(path):
    if path.endswith(".toml"):
        with open(path, "rb") as f:
            return tomllib.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main():
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema)
    bad = 0
    for path in files:
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(load(path))
        ]
        bad += bool(errors)
        print(f"{path}: ok" if not errors else f"{path}: invalid: {'; '.join(errors)}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
