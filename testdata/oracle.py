#!/usr/bin/env python3
"""BuildKit's Dockerfile parser (PyPI `dockerfile`) as the conformance oracle.

Reads Dockerfile paths (arguments, or one per line on stdin with `-`) and prints one JSON
object per file: the instructions BuildKit sees (keyword as written, sub keyword for ONBUILD,
1-based start and end lines, builder flags, JSON form), or the error BuildKit reports.
"""
import json
import sys

import dockerfile


def describe(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return {"path": path, "ok": False, "error": f"unreadable: {e}"}
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        return {"path": path, "ok": False, "error": str(e)}
    return {
        "path": path,
        "ok": True,
        "instructions": [
            {
                "keyword": c.cmd,
                "sub_keyword": c.sub_cmd,
                "start_line": c.start_line,
                "end_line": c.end_line,
                "flags": list(c.flags),
                "json_form": c.json,
            }
            for c in commands
        ],
    }


def main():
    paths = sys.argv[1:]
    if paths == ["-"]:
        paths = [line.rstrip("\n") for line in sys.stdin if line.strip()]
    for p in paths:
        print(json.dumps(describe(p)))


if __name__ == "__main__":
    main()
