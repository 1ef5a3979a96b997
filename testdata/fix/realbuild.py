#!/usr/bin/env python3
"""Real-build proof that dlint's safe fixes never break a Docker build.

Why this exists: a safe fix is only safe if the fixed Dockerfile still builds. The golden files
next to this script show what a fix writes; they cannot show that, say, appending
`rm -rf /var/lib/apt/lists/*` to a RUN leaves the next RUN's `apt-get install` something to
install from. So this harness takes real Dockerfiles, builds each one as written, applies
`dlint --fix` (safe fixes only, never --unsafe-fixes), builds the fixed file in the same context,
and reports every file that built before and no longer builds after, with the diff that broke it.

Usage (as root):
  python3 testdata/fix/realbuild.py --dlint target/release/dlint --standins FILE.toml --out DIR LIST
LIST has one `DOCKERFILE [CONTEXT_DIR] [--build-arg K=V ...] [--target STAGE]` per line (`#` starts
a comment; relative paths are relative to LIST's folder; CONTEXT_DIR defaults to the Dockerfile's
folder). FILE.toml defines the local stand-in base images, in the format of
testdata/convert/standins.toml; they are built (or reused from buildah's store) with the functions
of testdata/convert/e2e.py, since nothing can be pulled on the machines this runs on. It may also
have [[files_standin]] tables (name, parent, packages, also): an image from scratch with only the
files of those Debian packages, for images used as `COPY --from=IMAGE / /`.

For every entry the context is copied to a scratch folder; the original is built with
`buildah bud --isolation chroot --network host --pull=never --layers` (--layers: one layer per
instruction, as Docker does; buildah's default commits a stage as one layer, which hides the size
of files a later RUN deletes); `dlint --isolated --format json` lists the findings and fixes;
`dlint --isolated --fix --show-fixes` fixes the copy in place; and if the file changed it is
built again in the same context. If that fails and several fixes were applied, the original is
also built with each fix alone, to name the one that breaks it (--no-bisect to skip). Sizes come
from `podman image inspect`; images are removed after measuring (stand-ins are kept). DIR gets results.json, RESULTS.md,
logs/ (full build logs) and diffs/. A run is resumable: entries already in results.json for the
same dlint binary are skipped unless --force; with another binary the entry is redone, but the
original's build result is reused when the Dockerfile, build arguments, stand-ins and buildah are
the same (--rebuild-before to build it again). Exit status 1 if any file that built before fails
after the fix, 2 on a usage error.

--build-arg applies to every build; `--build-arg http_proxy=http://127.0.0.1:3142` with a local
apt-cacher-ng makes repeated apt-get runs fast without changing any Dockerfile (http_proxy is a
predefined build argument). --buildah uses another buildah binary for everything (stand-ins
included), e.g. a newer one for `RUN <<EOF` heredocs, which buildah 1.28 cannot parse; point
CONTAINERS_STORAGE_CONF at a private store then, so two buildah versions never share one store.
"""
import argparse
import atexit
import datetime
import difflib
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "convert"))
import e2e  # noqa: E402  (stand-in images, image sizes, stopping a build's processes)

TAIL = 25            # log lines kept in results.json for a failed build
IMAGE_REPO = "localhost/dlint-realbuild"


# ---------------------------------------------------------------- the list

def parse_list(path):
    """[(id, dockerfile, context, entry_args)] from LIST; entry_args are extra `buildah bud` flags."""
    entries, base = [], path.resolve().parent
    for n, line in enumerate(path.read_text().splitlines(), 1):
        words = shlex.split(line, comments=True)
        if not words:
            continue
        paths, args, i = [], [], 0
        while i < len(words):
            w = words[i]
            if w in ("--build-arg", "--target"):
                if i + 1 == len(words):
                    sys.exit(f"{path}:{n}: {w} needs a value")
                args += [w, words[i + 1]]
                i += 2
                continue
            if w.startswith(("--build-arg=", "--target=")):
                args += w.split("=", 1)
            elif w.startswith("-"):
                sys.exit(f"{path}:{n}: unknown option {w} (only --build-arg and --target)")
            else:
                paths.append(w)
            i += 1
        if len(paths) > 2:
            sys.exit(f"{path}:{n}: expected DOCKERFILE [CONTEXT_DIR]")
        dockerfile = (base / paths[0]).resolve()
        context = (base / paths[1]).resolve() if len(paths) == 2 else dockerfile.parent
        if not dockerfile.is_file():
            sys.exit(f"{path}:{n}: no such file {dockerfile}")
        if not context.is_dir():
            sys.exit(f"{path}:{n}: no such folder {context}")
        ident = " ".join(shlex.quote(str(x)) for x in [dockerfile, *([context] if len(paths) == 2 else []), *args])
        entries.append((ident, dockerfile, context, args))
    ids = [e[0] for e in entries]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        sys.exit(f"{path}: listed twice: {', '.join(sorted(dupes))}")
    return entries


def slug(ident, dockerfile):
    name = "-".join(dockerfile.parts[-3:]).lower()
    name = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:60].strip("-")
    return f"{name}-{hashlib.sha1(ident.encode()).hexdigest()[:8]}"


def display(dockerfile, root):
    try:
        return str(dockerfile.relative_to(root))
    except ValueError:
        return str(dockerfile)


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def froms(text):
    """Base names of the FROM lines, as written (flags skipped)."""
    bases = []
    for line in text.splitlines():
        words = line.split()
        if len(words) > 1 and words[0].upper() == "FROM":
            bases.append(next((w for w in words[1:] if not w.startswith("--")), "?"))
    return bases


def read_raw(path):
    """A file's text exactly as stored (CRLF kept, undecodable bytes kept as surrogates)."""
    return Path(path).read_bytes().decode("utf-8", "surrogateescape")


def write_raw(path, text):
    Path(path).write_bytes(text.encode("utf-8", "surrogateescape"))


def apply_edits(text, edits):
    """Apply dlint JSON fix edits (1-based line/column, end exclusive) to text; None if they overlap."""
    starts, pos = [0], 0
    for line in text.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    off = lambda line, col: starts[min(line, len(starts)) - 1] + col - 1
    spans = sorted(((off(e["line"], e["column"]), off(e["end_line"], e["end_column"]), e["content"]) for e in edits),
                   reverse=True)
    for (a, b, _), (c, d, _) in zip(spans, spans[1:]):
        if d > a:
            return None
    for a, b, content in spans:
        text = text[:a] + content + text[b:]
    return text


def unified(a, b, name):
    """`diff -u` of two texts, with git's marker for a last line that has no newline."""
    out = []
    for line in difflib.unified_diff(a.splitlines(True), b.splitlines(True), f"a/{name}", f"b/{name}"):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


# ---------------------------------------------------------------- dlint

class Dlint:
    def __init__(self, path, extra):
        self.path = str(Path(path).resolve())
        if not os.access(self.path, os.X_OK):
            sys.exit(f"--dlint {path}: not an executable")
        if any(a.startswith("--unsafe-fixes") for a in extra):
            sys.exit("this harness proves the safe fixes: --unsafe-fixes is not allowed")
        self.extra = ["--isolated", *extra]   # the repositories' own config files are not ours to test
        self.sha256 = sha256(self.path)
        self.version = self.run("--version").stdout.strip()

    def run(self, *args):
        return subprocess.run([self.path, *args], capture_output=True, text=True, timeout=120,
                              env=dict(os.environ, NO_COLOR="1"))

    def findings(self, file):
        p = self.run(*self.extra, "--format", "json", "--quiet", str(file))
        if p.returncode not in (0, 1):
            raise RuntimeError(f"dlint --format json exited {p.returncode}: {p.stderr.strip()[-2000:]}")
        out = []
        for f in json.loads(p.stdout or "[]"):
            fix = f.get("fix")
            out.append({"rule": f["rule"], "line": f.get("line"), "message": f.get("message"),
                        "fix": {"applicability": fix.get("applicability"), "title": fix.get("title"),
                                "edits": fix.get("edits", [])} if fix else None})
        return out

    def fix(self, file):
        """Fix `file` in place; return the `--show-fixes` lines naming each applied fix."""
        p = self.run(*self.extra, "--fix", "--show-fixes", str(file))
        if p.returncode not in (0, 1):
            raise RuntimeError(f"dlint --fix exited {p.returncode}: {p.stderr.strip()[-2000:]}")
        return [line.split(": fixed ", 1)[1] for line in (p.stdout + p.stderr).splitlines()
                if ": fixed " in line]

    def still_fixes(self, file):
        """True when `dlint --diff` would change the fixed file again (a fix that is not idempotent)."""
        p = self.run(*self.extra, "--diff", str(file))
        if p.returncode not in (0, 1):
            raise RuntimeError(f"dlint --diff exited {p.returncode}: {p.stderr.strip()[-2000:]}")
        return any(line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
                   for line in p.stdout.splitlines())


# ---------------------------------------------------------------- buildah

def store_json(kind):
    """buildah's images or containers as a list of dicts (empty on error)."""
    p = subprocess.run(["buildah", kind, "--all", "--json"], capture_output=True, text=True)
    try:
        return json.loads(p.stdout or "[]") or []
    except json.JSONDecodeError:
        return []


def snapshot():
    return ({i["id"] for i in store_json("images")}, {c["id"] for c in store_json("containers")})


def cleanup(before, keep_tag=None):
    """Remove the images and containers that appeared since `before` (a snapshot()): the build's
    untagged stage images and, after a kill, its working containers. Tagged images other than
    ours are left alone, in case something else uses the store meanwhile."""
    images, containers = before
    for c in store_json("containers"):
        if c["id"] not in containers:
            subprocess.run(["buildah", "rm", c["id"]], capture_output=True)
    for i in store_json("images"):
        names = i.get("names") or []
        if i["id"] not in images and (not names or all(n.startswith(IMAGE_REPO + "/") for n in names)):
            if keep_tag and keep_tag in names:
                continue
            subprocess.run(["buildah", "rmi", "--force", i["id"]], capture_output=True)


def failed_step(log_text):
    """The last `STEP n/m: ...` line before the failure and buildah's error line."""
    steps = [l for l in log_text.splitlines() if re.match(r"^(\[\d+/\d+\] )?STEP \d+/\d+: ", l)]
    errors = [l for l in log_text.splitlines() if l.startswith(("Error:", "error building", "ERRO"))]
    return " | ".join(x for x in (steps[-1] if steps else "", errors[-1] if errors else "") if x)


def build(dockerfile, context, tag, log, args, timeout, keep, layers=True):
    """Build; return a result dict. The image is measured and removed unless `keep`.
    `--layers` makes every instruction its own layer, as Docker does: without it buildah commits
    a stage as one layer, so files that a later RUN deletes never count in the image size."""
    cmd = [*e2e.BUD, *(["--layers"] if layers else []), *args, "-f", str(dockerfile), "-t", tag, str(context)]
    before = snapshot()
    t0 = time.time()
    with open(log, "w") as f:
        f.write("$ " + " ".join(shlex.quote(c) for c in cmd) + "\n")
        f.flush()
        p = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
        timed_out = False
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            timed_out, rc = True, None
            try:
                e2e.stop(p)   # the build's process group and every process chrooted in its rootfs
            except RuntimeError as e:
                f.write(f"\n{e}\n")
            f.write(f"\nTIMED OUT after {timeout}s\n")
    r = {"built": rc == 0, "seconds": round(time.time() - t0), "log": str(log)}
    text = Path(log).read_text(errors="replace")
    if rc == 0:
        r["size"] = e2e.image_size(tag)
    else:
        r["exit"] = rc
        r["timed_out"] = timed_out
        r["failed_step"] = failed_step(text)
        r["log_tail"] = text.splitlines()[-TAIL:]
    if not keep:
        subprocess.run(["buildah", "rmi", "--force", tag], capture_output=True)
    cleanup(before, keep_tag=tag if keep else None)
    return r


# ---------------------------------------------------------------- one entry

def run_entry(ident, dockerfile, context, entry_args, opts, dlint, prev, out, label):
    s = slug(ident, dockerfile)
    logs, diffs = out / "logs", out / "diffs"
    rec = {"id": ident, "label": label, "dockerfile": str(dockerfile), "context": str(context),
           "build_args": entry_args, "slug": s, "dlint": dlint.path, "dlint_sha256": dlint.sha256,
           "dlint_version": dlint.version, "buildah": opts.buildah_version,
           "standins_hash": opts.standins_hash, "layers": not opts.no_layers, "started": now()}
    scratch = Path(tempfile.mkdtemp(prefix=f"realbuild-{s[:30]}-", dir=opts.scratch))
    try:
        ctx = scratch / "context"
        shutil.copytree(context, ctx, symlinks=True, ignore_dangling_symlinks=True)
        try:
            df = ctx / dockerfile.relative_to(context)
        except ValueError:                      # the Dockerfile lives outside its context
            df = scratch / "dockerfile" / dockerfile.name
            df.parent.mkdir()
            shutil.copy2(dockerfile, df)
        original = read_raw(df)
        rec["original_sha256"] = sha256(df)
        rec["bases"] = froms(original)
        args = [*opts.global_args, *entry_args]

        # 1. the original, as written (or its result from an earlier run with another dlint)
        reuse = None if opts.rebuild_before else prev
        if reuse and all(reuse.get(k) == rec[k] for k in ("original_sha256", "build_args", "standins_hash", "buildah", "layers")) \
                and reuse.get("before") and reuse.get("global_args") == opts.global_args:
            rec["before"] = dict(reuse["before"], reused_from=reuse.get("finished"))
            print(f"  original: reusing the build result of {reuse.get('finished')}", flush=True)
        else:
            print("  building the original ...", flush=True)
            rec["before"] = build(df, ctx, f"{IMAGE_REPO}/{s}:before", logs / f"{s}.before.log",
                                  args, opts.timeout, opts.keep_images, not opts.no_layers)
        rec["global_args"] = opts.global_args
        b = rec["before"]
        print(f"    {'built' if b['built'] else 'FAILED'} in {b['seconds']}s"
              + (f", {e2e.human(b['size'])}" if b.get("size") else f": {b.get('failed_step', '')}"), flush=True)

        # 2. dlint: findings, safe fixes, diff
        rec["findings"] = dlint.findings(df)
        rec["fixes_applied"] = dlint.fix(df)
        fixed = read_raw(df)
        rec["fixed_sha256"] = sha256(df)
        rec["changed"] = fixed != original
        rec["rules_fixed"] = sorted({re.match(r"\[([^\]]+)\]", f).group(1) for f in rec["fixes_applied"]
                                     if re.match(r"\[([^\]]+)\]", f)})
        if rec["changed"]:
            diff = unified(original, fixed, label)
            write_raw(diffs / f"{s}.diff", diff)
            rec["diff"] = diff
            rec["fix_idempotent"] = not dlint.still_fixes(df)
        print(f"    dlint: {len(rec['findings'])} findings, "
              f"{len(rec['fixes_applied'])} fixes applied ({', '.join(rec['rules_fixed']) or 'none'})", flush=True)

        # 3. the fixed file, in the same context
        if rec["changed"] and b["built"]:
            print("  building the fixed file ...", flush=True)
            rec["after"] = build(df, ctx, f"{IMAGE_REPO}/{s}:after", logs / f"{s}.after.log",
                                 args, opts.timeout, opts.keep_images, not opts.no_layers)
            a = rec["after"]
            print(f"    {'built' if a['built'] else 'FAILED'} in {a['seconds']}s"
                  + (f", {e2e.human(a['size'])}" if a.get("size") else f": {a.get('failed_step', '')}"), flush=True)
            safe = [f for f in rec["findings"] if f["fix"] and f["fix"]["applicability"] == "safe"]
            if not a["built"] and len(safe) > 1 and not opts.no_bisect:
                rec["per_fix"] = bisect(safe, original, fixed, df, ctx, s, args, opts, logs, label)
        rec["verdict"] = verdict(rec)
    except Exception as e:  # record and go on with the next entry
        rec["verdict"] = "error"
        rec["error"] = f"{type(e).__name__}: {e}"
        print(f"  ERROR {rec['error']}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rec["finished"] = now()
    return rec


def bisect(safe, original, fixed, df, ctx, s, args, opts, logs, label):
    """The fixed file failed and had several safe fixes: build the original with each one alone,
    to tell which fix breaks the build. Skipped (with a note) when applying all the JSON edits
    ourselves does not give what `dlint --fix` wrote, as then single edits cannot be trusted."""
    together = apply_edits(original, [e for f in safe for e in f["fix"]["edits"]])
    if together != fixed:
        print("    (per-fix builds skipped: the JSON edits do not reproduce dlint --fix)", flush=True)
        return [{"skipped": "the JSON edits together do not reproduce dlint --fix's output"}]
    out = []
    try:
        for n, f in enumerate(safe, 1):
            one = apply_edits(original, f["fix"]["edits"])
            write_raw(df, one)
            print(f"  building with fix {n}/{len(safe)} alone (line {f['line']}: {f['fix']['title']}) ...", flush=True)
            r = build(df, ctx, f"{IMAGE_REPO}/{s}:fix{n}", logs / f"{s}.fix{n}.log", args, opts.timeout, opts.keep_images, not opts.no_layers)
            r.update(rule=f["rule"], line=f["line"], title=f["fix"]["title"], diff=unified(original, one, label))
            print(f"    {'built' if r['built'] else 'FAILED'} in {r['seconds']}s", flush=True)
            out.append(r)
    finally:
        write_raw(df, fixed)
    return out


def verdict(rec):
    if not rec["before"]["built"]:
        return "original-fails"
    if not rec["changed"]:
        return "unchanged"
    return "ok" if rec["after"]["built"] else "BROKEN"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- reports

def write_json(path, data):
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    tmp.rename(path)


def size(r):
    return e2e.human(r["size"]) if r and r.get("size") else "-"


def write_markdown(path, records, order, meta):
    recs = [records[i] for i in order if i in records]
    count = lambda v: sum(1 for r in recs if r.get("verdict") == v)
    built = [r for r in recs if r.get("before", {}).get("built")]
    lines = [
        "# dlint safe fixes: real builds", "",
        f"Produced by `testdata/fix/realbuild.py` with `{meta['dlint_version']}` "
        f"(`{meta['dlint']}`, sha256 {meta['dlint_sha256'][:12]}), {meta['buildah_version']}, "
        f"`buildah bud --isolation chroot --network host --pull=never{meta['layers']}` on local stand-in base images; "
        "sizes from `podman image inspect` (1 MB = 10^6 bytes).", "",
        f"{len(recs)} of {len(order)} listed files done: {len(built)} built as written; of those "
        f"{count('ok')} changed by the safe fixes and still build, **{count('BROKEN')} broken by the fixes**, "
        f"{count('unchanged')} unchanged; {count('original-fails')} did not build as written; "
        f"{count('error')} harness errors.", "",
        "| # | Dockerfile | FROM | built before | changed by fix | fixes applied | built after | size before | size after | change |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(recs, 1):
        b, a = r.get("before") or {}, r.get("after")
        if r.get("verdict") == "error":
            lines.append(f"| {n} | {r['label']} | | error: {r.get('error', '')[:80]} | | | | | | |")
            continue
        before = "yes" if b.get("built") else ("timed out" if b.get("timed_out") else "no")
        after = "-" if a is None else ("yes" if a["built"] else ("**TIMED OUT**" if a.get("timed_out") else "**NO**"))
        fixes = ", ".join(f"{rule}×{sum(1 for f in r['fixes_applied'] if f.startswith('[' + rule + ']'))}"
                          for rule in r.get("rules_fixed", [])) or "-"
        delta = "-"
        if b.get("size") and a and a.get("size"):
            delta = f"{(a['size'] - b['size']) / 1e6:+.1f} MB ({100 * (a['size'] - b['size']) / b['size']:+.1f}%)"
        bases = ", ".join(dict.fromkeys(r.get("bases", [])))
        lines.append(f"| {n} | {r['label']} | {bases} | {before} | {'yes' if r.get('changed') else 'no'} | "
                     f"{fixes} | {after} | {size(b)} | {size(a)} | {delta} |")
    broken = [r for r in recs if r.get("verdict") == "BROKEN"]
    if broken:
        lines += ["", "## Broken by the safe fixes", ""]
        for r in broken:
            lines += [f"### {r['label']}", "", f"Failing step: `{r['after'].get('failed_step', '?')}`", "",
                      "```diff", r.get("diff", "").rstrip("\n"), "```", "", "Last lines of the build log:", "",
                      "```", *r["after"].get("log_tail", [])[-12:], "```", ""]
            for p in r.get("per_fix", []):
                if "skipped" in p:
                    lines += [f"Per-fix builds skipped: {p['skipped']}.", ""]
                    continue
                lines.append(f"- with only the fix at line {p['line']} ({p['title']}): "
                             + ("builds" if p["built"] else f"**fails** at `{p.get('failed_step', '?')}`"))
            if r.get("per_fix"):
                lines.append("")
    failing = [r for r in recs if r.get("verdict") == "original-fails"]
    if failing:
        lines += ["", "## Did not build as written (not part of the proof)", ""]
        for r in failing:
            lines.append(f"- {r['label']}: `{r['before'].get('failed_step', '?')}`")
    path.write_text("\n".join(lines) + "\n", errors="replace")


# ---------------------------------------------------------------- main

def prepare_standins(path):
    """Build or reuse the stand-ins: the [[standin]] tables with e2e.ensure_standins (which reads
    HERE/standins.toml), then the [[files_standin]] tables (see ensure_file_standins)."""
    path = path.resolve()
    data = tomllib.loads(path.read_text())
    standins, file_standins = data.get("standin", []), data.get("files_standin", [])
    tmp = None
    if path.name == "standins.toml":
        e2e.HERE = path.parent
    else:
        tmp = Path(tempfile.mkdtemp(prefix="realbuild-standins-"))
        (tmp / "standins.toml").symlink_to(path)
        e2e.HERE = tmp
    try:
        e2e.ensure_standins()
    finally:
        if tmp:
            shutil.rmtree(tmp)
    hashes = e2e.definition_hashes(standins)
    hashes.update(ensure_file_standins(file_standins, hashes))
    return hashlib.sha256(json.dumps(hashes, sort_keys=True).encode()).hexdigest()[:16]


FILES_RECIPE = "1"
DISTROLESS_BASE = ("etc/passwd", "etc/group", "etc/nsswitch.conf", "etc/ssl/certs/ca-certificates.crt")


def ensure_file_standins(file_standins, hashes):
    """[[files_standin]]: an image FROM scratch holding only the files of some Debian packages,
    taken from `parent` (for images such as gloursdocker/docker, a few binaries on scratch, which
    Dockerfiles use as `COPY --from=IMAGE / /`). e2e.py's distroless-cc kind does the copying; the
    distroless base files it adds are removed again, so that such a COPY does not replace the
    target's /etc/passwd. (A `files` kind in e2e.py would make this unnecessary.)"""
    out = {}
    for s in file_standins:
        if s.get("parent") not in hashes:
            sys.exit(f"files_standin {s['name']}: parent {s.get('parent')} is not a [[standin]] defined before")
        h = hashlib.sha256(json.dumps(s, sort_keys=True).encode() + FILES_RECIPE.encode()
                           + hashes[s["parent"]].encode()).hexdigest()[:16]
        out[s["name"]] = h
        name = s["name"]
        if e2e.image_label(name) != h:
            print(f"stand-in {name}: building (files of {', '.join(s['packages'])}) ...", flush=True)
            old_id = e2e.sh("buildah", "images", "-q", "--no-trunc", name, check=False)
            log = e2e.LOGS / f"standin-{name.replace('/', '_')}.log"
            log.unlink(missing_ok=True)
            copy_files = e2e.fill_distroless_cc(s, log)

            def fill(root, copy_files=copy_files):
                copy_files(root)
                for f in DISTROLESS_BASE:
                    Path(root, f).unlink(missing_ok=True)
                for d in ("etc/ssl/certs", "etc/ssl", "home/nonroot", "home", "root", "tmp", "etc"):
                    try:
                        Path(root, d).rmdir()
                    except OSError:   # not empty: the packages put files there
                        pass
            e2e.commit_scratch(dict(s, kind="files"), h, fill, log, with_ca=False)
            if old_id:
                subprocess.run(["buildah", "rmi", old_id], capture_output=True)
        for tag in s.get("also", []):
            e2e.sh("buildah", "tag", name, tag)
        print(f"stand-in {name}: {e2e.human(e2e.image_size(name))}", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="\n".join(__doc__.splitlines()[2:]))
    ap.add_argument("list", type=Path, help="file of `DOCKERFILE [CONTEXT_DIR] [--build-arg K=V] [--target S]` lines")
    ap.add_argument("--dlint", required=True, help="the dlint binary to test")
    ap.add_argument("--standins", required=True, type=Path, help="stand-in base images (standins.toml format)")
    ap.add_argument("--out", required=True, type=Path, help="folder for results.json, RESULTS.md, logs/, diffs/")
    ap.add_argument("--force", action="store_true", help="redo entries already in results.json")
    ap.add_argument("--rebuild-before", action="store_true",
                    help="build the originals again even when an earlier run's result could be reused")
    ap.add_argument("--only", action="append", default=[], metavar="TEXT",
                    help="run only entries whose path contains TEXT (repeatable)")
    ap.add_argument("--build-arg", action="append", default=[], metavar="K=V", help="for every build (repeatable)")
    ap.add_argument("--timeout", type=int, default=1200, help="seconds per image build (default 1200)")
    ap.add_argument("--buildah", help="buildah binary to use instead of the one on PATH (for stand-ins too)")
    ap.add_argument("--dlint-arg", action="append", default=[], metavar="ARG",
                    help="extra argument for every dlint run, e.g. --dlint-arg=--select=cache-in-layer")
    ap.add_argument("--keep-images", action="store_true", help="keep the built images")
    ap.add_argument("--no-layers", action="store_true",
                    help="build without --layers (buildah's default: one layer per stage, so sizes ignore "
                         "files deleted by a later RUN)")
    ap.add_argument("--no-bisect", action="store_true",
                    help="when a file with several fixes breaks, do not build it once per fix to find the culprit")
    ap.add_argument("--scratch", type=Path, default=Path("/var/tmp"), help="where scratch contexts go")
    opts = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("realbuild.py needs root (buildah with chroot isolation, debootstrap)")
    entries = parse_list(opts.list)
    if opts.only:
        entries = [e for e in entries if any(t in e[0] for t in opts.only)]
    dlint = Dlint(opts.dlint, opts.dlint_arg)
    opts.root = opts.list.resolve().parent
    opts.global_args = [x for a in opts.build_arg for x in ("--build-arg", a)]
    if opts.buildah:   # e2e.py runs "buildah" from PATH: put a link to the chosen one first
        bindir = Path(tempfile.mkdtemp(prefix="realbuild-bin-"))
        atexit.register(shutil.rmtree, bindir, True)
        (bindir / "buildah").symlink_to(Path(opts.buildah).resolve())
        os.environ["PATH"] = f"{bindir}:{os.environ['PATH']}"
    opts.buildah_version = subprocess.run(["buildah", "--version"], capture_output=True, text=True).stdout.strip()
    out = opts.out
    for d in (out, out / "logs", out / "diffs"):
        d.mkdir(parents=True, exist_ok=True)
    results_path = out / "results.json"
    data = json.loads(results_path.read_text()) if results_path.exists() else {"entries": {}}
    records = data["entries"]

    t0 = time.time()
    e2e.ensure_tools()
    opts.standins_hash = prepare_standins(opts.standins)
    print(f"{opts.buildah_version}; {dlint.version} ({dlint.path}); stand-ins ready after "
          f"{time.time() - t0:.0f}s; {len(entries)} entries", flush=True)
    order = [e[0] for e in parse_list(opts.list)]
    meta = {"dlint": dlint.path, "dlint_sha256": dlint.sha256, "dlint_version": dlint.version,
            "buildah_version": opts.buildah_version, "layers": "" if opts.no_layers else " --layers"}
    done = 0
    for n, (ident, dockerfile, context, args) in enumerate(entries, 1):
        prev = records.get(ident)
        label = display(dockerfile, opts.root)
        if prev and not opts.force and prev.get("dlint_sha256") == dlint.sha256 and prev.get("verdict") != "error":
            print(f"[{n}/{len(entries)}] {label}: already done ({prev['verdict']})", flush=True)
            continue
        if prev and prev.get("dlint_sha256") != dlint.sha256:
            print(f"[{n}/{len(entries)}] {label}: recorded with another dlint binary, redoing", flush=True)
        print(f"[{n}/{len(entries)}] {label}", flush=True)
        records[ident] = run_entry(ident, dockerfile, context, args, opts, dlint,
                                   None if opts.force else prev, out, label)
        print(f"  -> {records[ident]['verdict']}", flush=True)
        done += 1
        data.update(meta, updated=now())
        write_json(results_path, data)
        write_markdown(out / "RESULTS.md", records, order, meta)
    data.update(meta, updated=now())
    write_json(results_path, data)
    write_markdown(out / "RESULTS.md", records, order, meta)

    listed = [records[i] for i in order if i in records]
    broken = [r for r in listed if r.get("verdict") == "BROKEN"]
    stale = [r for r in listed if r.get("dlint_sha256") != dlint.sha256]
    print(f"\n{done} entries run in {time.time() - t0:.0f}s; {len(listed)}/{len(order)} recorded; "
          + ", ".join(f"{v}: {sum(1 for r in listed if r.get('verdict') == v)}"
                      for v in ("ok", "unchanged", "BROKEN", "original-fails", "error"))
          + f"; wrote {out / 'RESULTS.md'}")
    if stale:
        print(f"note: {len(stale)} recorded entries are from another dlint binary (not in this selection?)")
    for r in broken:
        print(f"BROKEN: {r['label']}: {r['after'].get('failed_step', '')}")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
