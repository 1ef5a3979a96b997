#!/usr/bin/env python3
"""Compare dlint's findings with a peer linter's, check by check, instruction by instruction.

Usage:
  parity.py [--peer hadolint|tally] [--peer-bin PATH] [--dlint PATH] [--examples N]
            [--select PATTERN] [--markdown] [--peer-cache FILE] PATH...

PATH is a Dockerfile, a directory (searched for Dockerfile names) or a file listing paths, one
per line (`@list.txt`). For every code the peer reports (hadolint's DL codes; tally's
`buildkit/*` checks, i.e. BuildKit's own build checks), it prints: the peer's count, how many of
those dlint reports with the same code (or an alias of it) in the same instruction, how many only
the peer reports, how many only dlint reports, and examples of each side's own findings, so that
every disagreement is either a dlint bug or a deliberate, documented difference.

dlint runs with every rule (`--select all --isolated`); hadolint with `--no-fail -f json`
(its own configuration files are not read: `--config /dev/null`); tally with
`lint --slow-checks off --no-config --format json --ignore '*' --select 'buildkit/*'`.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

TALLY_NAMES = re.compile(r"^(Dockerfile(\..+)?|.+\.Dockerfile|Containerfile(\..+)?)$")
DOCKERFILE = re.compile(r"(^|\.)(Docker|Container)file(\..+)?$|\.(docker|container)file$", re.I)


def collect(paths):
    out = []
    for p in paths:
        if p.startswith("@"):
            with open(p[1:], encoding="utf-8") as f:
                out.extend(line.strip() for line in f if line.strip())
        elif os.path.isdir(p):
            for root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if d != ".git"]
                out.extend(os.path.join(root, f) for f in files if DOCKERFILE.search(f))
        else:
            out.append(p)
    return sorted(set(out))


def batches(items, n=200):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def run_json(cmd, allow_failure=False):
    r = subprocess.run(cmd, capture_output=True, text=True)
    try:
        return json.loads(r.stdout or "null")
    except json.JSONDecodeError:
        if allow_failure:
            return None
        sys.exit(f"parity: {cmd[0]} printed no JSON: {r.stderr[:500]}")


def instruction_spans(dlint, path):
    """(start_line, end_line) of every instruction, as dlint (and BuildKit) splits them."""
    r = subprocess.run([dlint, "inspect", "--format", "json", path], capture_output=True, text=True)
    try:
        model = json.loads(r.stdout)
    except json.JSONDecodeError:
        return []
    return [(i["start_line"], i["end_line"]) for i in model.get("instructions", [])]


def instruction_of(spans, line):
    for n, (a, b) in enumerate(spans):
        if a <= line <= b:
            return n
    return -1


def aliases(dlint):
    """Every code name dlint knows -> its canonical name (a finding's `code`), and every code ->
    the broader codes of its rule it also answers to (`WorkdirRelativePath` -> `DL3000`)."""
    rules = run_json([dlint, "rules", "--format", "json"])
    names = {}
    broader = {}
    for r in rules:
        codes = {c["code"] for c in r.get("codes", [])}
        for c in r.get("codes", []):
            names.setdefault(c["code"], c["code"])
            for a in c.get("also", []):
                if a in codes:
                    broader.setdefault(c["code"], []).append(a)
                else:
                    names[a] = c["code"]
        for c in codes:
            names[c] = c
    return names, broader


def dlint_findings(dlint, files):
    found = []
    for chunk in batches(files):
        for d in run_json([dlint, "--select", "all", "--isolated", "-q", "--format", "json", *chunk]) or []:
            found.append((d["path"], d["line"], d.get("code"), d["rule"], d["message"]))
    return found


def peer_findings(peer, peer_bin, files, select):
    found = []
    if peer == "hadolint":
        for chunk in batches(files):
            for d in run_json([peer_bin, "--no-fail", "--config", "/dev/null", "-f", "json", *chunk]) or []:
                found.append((d["file"], d["line"], d["code"], d["message"]))
    else:
        # tally lints only files named like a Dockerfile (`Dockerfile`, `Dockerfile.*`,
        # `*.Dockerfile`, `Containerfile`) that are not executable, and gives up on a whole run
        # at the first other file: those are linted as a copy named `Dockerfile` (mode 644) in
        # a directory of their own.
        with tempfile.TemporaryDirectory(prefix="parity-") as tmp:
            real = {}
            args = []
            for n, f in enumerate(files):
                name = os.path.basename(f)
                if TALLY_NAMES.search(name) and not os.access(f, os.X_OK):
                    args.append(f)
                    real[os.path.normpath(f)] = f
                    continue
                os.mkdir(os.path.join(tmp, str(n)))
                link = os.path.join(tmp, str(n), "Dockerfile")
                shutil.copyfile(f, link)
                args.append(link)
                real[os.path.normpath(link)] = f
            cmd = [peer_bin, "lint", "--slow-checks", "off", "--no-config", "--format", "json",
                   "--fail-level", "none", "--ignore", "*", "--select", select]
            for chunk in batches(args):
                out = run_json(cmd + chunk, allow_failure=True)
                if out is None:
                    # One file tally cannot read loses the whole run: lint this batch one by one.
                    out = {"files": []}
                    for f in chunk:
                        one = run_json(cmd + [f], allow_failure=True)
                        if one is None:
                            print(f"parity: {peer_bin} could not lint {real[os.path.normpath(f)]}", file=sys.stderr)
                        else:
                            out["files"].extend(one.get("files", []))
                for f in out.get("files", []):
                    for v in f.get("violations", []):
                        code = v["rule"].split("/", 1)[-1]
                        path = v["location"]["file"]
                        path = real.get(os.path.normpath(path), path)
                        found.append((path, v["location"]["start"]["line"], code, v["message"]))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--peer", choices=["hadolint", "tally"], default="hadolint")
    ap.add_argument("--peer-bin")
    ap.add_argument("--dlint", default="dlint")
    ap.add_argument("--examples", type=int, default=3)
    ap.add_argument("--select", default="buildkit/*", help="tally's rule pattern")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table")
    ap.add_argument("--peer-cache", metavar="FILE",
                    help="read the peer's findings from FILE if it exists, else write them there")
    a = ap.parse_args()
    files = collect(a.paths)
    if not files:
        sys.exit("parity: no Dockerfiles found")
    canonical, broader = aliases(a.dlint)
    spans = {os.path.normpath(f): instruction_spans(a.dlint, f) for f in files}

    def key(path, line, code):
        p = os.path.normpath(path)
        return (p, instruction_of(spans.get(p, []), line), canonical.get(code, code))

    ours = collections.defaultdict(list)
    for path, line, code, rule, msg in dlint_findings(a.dlint, files):
        if code:
            ours[key(path, line, code)].append((path, line, rule, msg))
            # A finding also counts for the broader code it answers to.
            for b in broader.get(code, []):
                ours[key(path, line, b)].append((path, line, rule, msg))
    theirs = collections.defaultdict(list)
    if a.peer_cache and os.path.exists(a.peer_cache):
        with open(a.peer_cache, encoding="utf-8") as f:
            wanted = set(os.path.normpath(p) for p in files)
            peer = [tuple(x) for x in json.load(f) if os.path.normpath(x[0]) in wanted]
    else:
        peer = peer_findings(a.peer, a.peer_bin or a.peer, files, a.select)
        if a.peer_cache:
            with open(a.peer_cache, "w", encoding="utf-8") as f:
                json.dump(peer, f)
    peer_names = collections.defaultdict(set)
    for path, line, code, msg in peer:
        theirs[key(path, line, code)].append((path, line, msg))
        peer_names[canonical.get(code, code)].add(code)
    # The peer's codes, and dlint's codes in the peer's namespace that the peer never reported.
    def peers_namespace(code):
        names = [n for n, c in canonical.items() if c == code]
        dl = any(re.fullmatch(r"DL\d{4}", n) for n in names)
        return dl if a.peer == "hadolint" else any(not re.fullmatch(r"DL\d{4}", n) for n in names)

    peer_codes = sorted({k[2] for k in theirs}, key=lambda c: (-sum(1 for k in theirs if k[2] == c), c))
    peer_codes += sorted({k[2] for k in ours if k[2] not in peer_codes and peers_namespace(k[2])})
    rows = []
    for code in peer_codes:
        tk = [k for k in theirs if k[2] == code]
        ok = [k for k in ours if k[2] == code]
        matched = sum(1 for k in tk if k in ours)
        peer_only = [k for k in tk if k not in ours]
        ours_only = [k for k in ok if k not in theirs]
        known = code in canonical
        rows.append((code, len(tk), matched, peer_only, ours_only, known))
    print(f"{len(files)} files; peer: {a.peer}")
    if a.markdown:
        print("| code | peer | dlint same instruction | % | only peer | only dlint |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
    else:
        print(f"{'code':<40} {'peer':>6} {'same':>6} {'%':>6} {'peer-only':>10} {'dlint-only':>10}")
    for code, n, matched, peer_only, ours_only, known in rows:
        pct = f"{100 * matched / n:.0f}%" if n else "-"
        # Rows are by dlint's code; the peer's own name for it beside it (`DL3025 = JSONArgsRecommended`).
        theirs_as = " / ".join(sorted(peer_names.get(code, set()) - {code}))
        name = f"{theirs_as} = {code}" if theirs_as else code
        name = name if known else f"{code} (no dlint rule)"
        if a.markdown:
            print(f"| {name} | {n} | {matched} | {pct} | {len(peer_only)} | {len(ours_only)} |")
        else:
            print(f"{name:<40} {n:>6} {matched:>6} {pct:>6} {len(peer_only):>10} {len(ours_only):>10}")
    if a.examples:
        for code, n, matched, peer_only, ours_only, known in rows:
            if not known or not (peer_only or ours_only):
                continue
            print(f"\n## {code}")
            for k in peer_only[: a.examples]:
                path, line, msg = theirs[k][0]
                print(f"  only {a.peer}: {path}:{line}: {msg}")
            for k in ours_only[: a.examples]:
                path, line, rule, msg = ours[k][0]
                print(f"  only dlint:  {path}:{line}: [{rule}] {msg}")


if __name__ == "__main__":
    main()
