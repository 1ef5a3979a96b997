#!/usr/bin/env python3
"""Validate SARIF logs against the official SARIF 2.1.0 JSON schema.

Usage: validate_sarif.py SCHEMA LOG...  (exit 1 with the errors when a log is invalid)
"""
import json
import sys

import jsonschema


def main():
    schema_path, *logs = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    validator = validator_cls(schema)
    bad = 0
    for path in logs:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        for error in validator.iter_errors(log):
            bad += 1
            print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
