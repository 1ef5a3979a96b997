#!/usr/bin/env python3
"""Validate dlint.toml files against the JSON Schema `dlint schema` prints.

Usage: validate_config.py SCHEMA CONFIG.toml...  (prints `PATH: ok` or `PATH: invalid: ...` per file)
"""
import json
import sys
import tomllib

import jsonschema


def main():
    schema_path, *configs = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema)
    for path in configs:
        with open(path, "rb") as f:
            config = tomllib.load(f)
        errors = [e.message for e in validator.iter_errors(config)]
        print(f"{path}: ok" if not errors else f"{path}: invalid: {'; '.join(errors)}")


if __name__ == "__main__":
    main()
