#!/usr/bin/env python3
"""End-to-end check of dlint's single-stage -> multi-stage conversion with real image builds.

Why this exists: a converted Dockerfile is only worth something if it still builds and the
program in it still behaves the same, in a smaller image. Linting text cannot prove that, so
this harness builds both files of every app under testdata/convert/ with buildah, runs both
images, compares what they print or serve, and compares image sizes.

This machine has no Docker engine and reaches no container registry, so every base image the
test Dockerfiles name is first made locally as a "stand-in" (see standins.toml): a Debian
minbase tree from debootstrap plus Debian packages, tagged with the real image names. Stand-ins
are cached in buildah's store and rebuilt only when their definition changes.

Usage: python3 testdata/convert/e2e.py [--keep] [APP ...]    (run as root)
Writes testdata/convert/RESULTS.md when all apps ran; exits 1 if any app fails or the median reduction < 80%.
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = Path("/var/tmp/dlint-e2e")          # debootstrap trees, shared .deb cache, build logs
DEBS = CACHE / "apt-archives"
LOGS = CACHE / "logs"
RECIPE = "3"                                 # bump when the stand-in build steps below change
HASH_LABEL = "dlint.standin.hash"
CA_DIR = "/usr/local/share/ca-certificates"  # the TLS proxy CA, read by update-ca-certificates
CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt"
CA_ENV = ["SSL_CERT_FILE", "PIP_CERT", "NODE_EXTRA_CA_CERTS", "CARGO_HTTP_CAINFO", "REQUESTS_CA_BUNDLE"]
PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BUD = ["buildah", "bud", "--isolation", "chroot", "--network", "host", "--pull=never"]
RUN = ["buildah", "run", "--isolation", "chroot"]
# The apt settings Docker's official Debian images carry (/etc/apt/apt.conf.d/docker-clean):
# downloaded .debs and the *.bin package caches never stay in an image layer.
DOCKER_CLEAN = """\
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
"""
TIMEOUT = 60
MIN_MEDIAN = 80.0


def sh(*cmd, log=None, check=True, **kw):
    """Run a command; output goes to `log` (a path) or is captured and returned."""
    if log:
        with open(log, "a") as f:
            f.write("$ " + " ".join(map(str, cmd)) + "\n")
            f.flush()
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, text=True, **kw)
    else:
        p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        tail = Path(log).read_text()[-3000:] if log else (p.stdout + p.stderr)[-3000:]
        raise RuntimeError(f"command failed ({p.returncode}): {' '.join(map(str, cmd))}\n{tail}")
    return p.stdout.strip() if not log else ""


def ensure_tools():
    missing = [t for t in ("buildah", "podman", "debootstrap") if not shutil.which(t)]
    if missing:
        print("installing buildah podman debootstrap ...", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "update", env=env)
        sh("apt-get", "install", "-y", "buildah", "podman", "debootstrap", env=env)


# ---------------------------------------------------------------- stand-in base images

def image_config(name):
    """The image's OCI config (Env, Entrypoint, Cmd, WorkingDir, User, Labels), or None.
    buildah 1.28 has no `json` template function, so parse the whole inspect output."""
    p = subprocess.run(["buildah", "inspect", "--type", "image", name], capture_output=True, text=True)
    return json.loads(p.stdout)["OCIv1"].get("config", {}) if p.returncode == 0 else None


def image_label(name):
    return ((image_config(name) or {}).get("Labels") or {}).get(HASH_LABEL)


def image_size(name):
    return int(sh("podman", "image", "inspect", name, "--format", "{{.Size}}"))


def ca_digest():
    h = hashlib.sha256(Path(CA_BUNDLE).read_bytes())
    for f in sorted(Path(CA_DIR).rglob("*")):
        if f.is_file():
            h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def definition_hashes(standins):
    hashes = {}
    for s in standins:
        assert s.get("parent") in (None, *hashes), f"{s['name']}: its parent must come first"
        h = hashlib.sha256(json.dumps(s, sort_keys=True).encode() + RECIPE.encode())
        h.update(hashes.get(s.get("parent"), "").encode())
        if s.get("kind") in ("debootstrap", "distroless-static", "distroless-cc"):
            h.update(ca_digest().encode())
        hashes[s["name"]] = h.hexdigest()[:16]
    return hashes


def env_flags(s, with_ca):
    env = [PATH_ENV] + [f"{k}={CA_BUNDLE}" for k in CA_ENV if with_ca]
    env += [f"{k}={v}" for k, v in s.get("env", {}).items()]
    return [x for e in env for x in ("--env", e)]


def debootstrap_tree(suite, log):
    tree = CACHE / f"debootstrap-{suite}-minbase"
    if (tree / ".complete").exists():
        return tree
    tmp = tree.with_name(tree.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"  debootstrap --variant=minbase {suite} (about a minute) ...", flush=True)
    sh("debootstrap", "--variant=minbase", suite, tmp, log=log)
    shutil.rmtree(tree, ignore_errors=True)
    tmp.rename(tree)
    (tree / ".complete").touch()
    return tree


def copy_ca(root):
    shutil.copytree(CA_DIR, f"{root}{CA_DIR}", dirs_exist_ok=True)
    os.makedirs(f"{root}/etc/ssl/certs", exist_ok=True)
    shutil.copy(CA_BUNDLE, f"{root}{CA_BUNDLE}")


def commit_scratch(s, h, fill, log, with_ca):
    """Make an image from scratch: fill(mountpoint) writes the files, then config + commit."""
    c = sh("buildah", "from", "scratch")
    try:
        fill(sh("buildah", "mount", c))
        sh("buildah", "umount", c)
        sh("buildah", "config", *env_flags(s, with_ca), "--label", f"{HASH_LABEL}={h}",
           *(["--cmd", '["bash"]'] if s.get("kind") == "debootstrap" else []), c)
        sh("buildah", "commit", "--rm", c, s["name"], log=log)
    except BaseException:
        subprocess.run(["buildah", "rm", c], capture_output=True)
        raise


def fill_debian(tree, root):
    sh("cp", "-a", f"{tree}/.", root)
    os.remove(f"{root}/.complete")
    for pattern in ("var/lib/apt/lists/*", "var/cache/apt/archives/*.deb", "var/cache/apt/*.bin"):
        for f in Path(root).glob(pattern):
            if f.is_file():
                f.unlink()
    Path(root, "etc/apt/apt.conf.d/docker-clean").write_text(DOCKER_CLEAN)
    copy_ca(root)


def fill_distroless_static(root):
    r = Path(root)
    for d, mode in (("etc/ssl/certs", 0o755), ("tmp", 0o1777), ("root", 0o700), ("home/nonroot", 0o700)):
        (r / d).mkdir(parents=True, exist_ok=True)
        os.chmod(r / d, mode)
    os.chown(r / "home/nonroot", 65532, 65532)
    (r / "etc/passwd").write_text("root:x:0:0:root:/root:/sbin/nologin\n"
                                  "nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
                                  "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")
    (r / "etc/group").write_text("root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n")
    (r / "etc/nsswitch.conf").write_text("passwd: files\ngroup: files\nhosts: files dns\n")
    shutil.copy(CA_BUNDLE, r / CA_BUNDLE.lstrip("/"))


def fill_distroless_cc(s, log):
    """distroless static + the files of some Debian packages, taken from the parent image."""
    def fill(root):
        fill_distroless_static(root)
        src_c = sh("buildah", "from", "--pull=never", s["parent"])
        try:
            pkgs = s["packages"]
            sh(*RUN, "-v", f"{DEBS}:/var/cache/apt/archives", src_c, "--", "sh", "-c",
               f"dpkg -s {' '.join(pkgs)} >/dev/null 2>&1 || ({apt_install(pkgs)})", log=log)
            files = sh(*RUN, src_c, "--", "dpkg", "-L", *pkgs).splitlines()
            src = sh("buildah", "mount", src_c)
            for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):  # merged /usr links
                if os.path.islink(f"{src}/{top}"):
                    os.makedirs(f"{root}/usr/{top}", exist_ok=True)
                    os.symlink(os.readlink(f"{src}/{top}"), f"{root}/{top}")
            for f in files:
                if not f.startswith("/") or f.startswith("/usr/share/doc"):
                    continue
                s_path, d_path = src + f, root + f
                if os.path.isdir(s_path) and not os.path.islink(s_path):
                    os.makedirs(d_path, exist_ok=True)
                elif os.path.lexists(s_path):
                    os.makedirs(os.path.dirname(d_path), exist_ok=True)
                    if os.path.lexists(d_path):
                        os.remove(d_path)
                    shutil.copy2(s_path, d_path, follow_symlinks=False)
        finally:
            subprocess.run(["buildah", "rm", src_c], capture_output=True)
    return fill


def apt_install(pkgs):
    """Shell command installing Debian packages with the .deb cache bind-mounted from the host
    (docker-clean is moved aside meanwhile, as it would empty that cache)."""
    conf = "/etc/apt/apt.conf.d/docker-clean"
    return (f"mv {conf} /tmp/ && apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "
            f"--no-install-recommends {' '.join(pkgs)} && mv /tmp/docker-clean {conf} "
            "&& rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin")


def build_apt_standin(s, h, log):
    ctx = Path(tempfile.mkdtemp(prefix="standin-"))
    try:
        lines = [f"FROM {s['parent']}", f"RUN {apt_install(s['packages'])}"]
        lines += [f'ENV {k}="{v}"' for k, v in s.get("env", {}).items()]
        (ctx / "Dockerfile").write_text("\n".join(lines) + "\n")
        sh(*BUD, "-v", f"{DEBS}:/var/cache/apt/archives", "--label", f"{HASH_LABEL}={h}",
           "-t", s["name"], ctx, log=log)
    finally:
        shutil.rmtree(ctx)


def ensure_standins():
    standins = tomllib.loads((HERE / "standins.toml").read_text())["standin"]
    hashes = definition_hashes(standins)
    for d in (CACHE, DEBS, LOGS):
        d.mkdir(parents=True, exist_ok=True)
    for s in standins:
        name, h, kind = s["name"], hashes[s["name"]], s.get("kind", "apt")
        old_id = None
        if image_label(name) != h:
            print(f"stand-in {name}: building ({kind}) ...", flush=True)
            old_id = sh("buildah", "images", "-q", "--no-trunc", name, check=False)
            t0, log = time.time(), LOGS / f"standin-{name.replace('/', '_')}.log"
            log.unlink(missing_ok=True)
            if kind == "debootstrap":
                tree = debootstrap_tree(s["suite"], log)
                commit_scratch(s, h, lambda root: fill_debian(tree, root), log, with_ca=True)
            elif kind == "distroless-static":
                commit_scratch(s, h, fill_distroless_static, log, with_ca=False)
            elif kind == "distroless-cc":
                commit_scratch(s, h, fill_distroless_cc(s, log), log, with_ca=False)
            else:
                build_apt_standin(s, h, log)
            if "smoke" in s:
                c = sh("buildah", "from", "--pull=never", name)
                try:
                    sh(*RUN, c, "--", *s["smoke"], log=log)
                finally:
                    sh("buildah", "rm", c)
            print(f"  built in {time.time() - t0:.0f}s", flush=True)
        for tag in s.get("also", []):
            sh("buildah", "tag", name, tag)
        if old_id:  # the outdated stand-in, now untagged
            subprocess.run(["buildah", "rmi", old_id], capture_output=True)
        print(f"stand-in {name}: {human(image_size(name))}", flush=True)


# ---------------------------------------------------------------- running an image

def run_settings(img):
    cfg = image_config(img)
    argv = (cfg.get("Entrypoint") or []) + (cfg.get("Cmd") or [])
    return argv, cfg.get("WorkingDir") or "", cfg.get("User") or ""


def proc_table():
    """{pid: (ppid, root)} of all processes; root is where /proc/PID/root points."""
    table = {}
    for p in Path("/proc").iterdir():
        try:
            stat = (p / "stat").read_text()
            table[int(p.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), os.readlink(p / "root"))
        except (ValueError, OSError):
            pass
    return table


def stop(proc):
    """Kill a `buildah run` started with start_new_session=True and everything it started.
    Besides its process group, this finds processes by their root directory (buildah chroots
    the program into /var/tmp/buildah*/mnt/rootfs), so a server that left the group dies too."""
    table = proc_table()
    family, todo = set(), [proc.pid]
    while todo:
        pid = todo.pop()
        family.add(pid)
        todo += [p for p, (ppid, _) in table.items() if ppid == pid and p not in family]
    roots = {table[p][1] for p in family if p in table} - {"/"}
    try:
        kill_all(proc, family, roots)
    finally:  # buildah leaves its run directory behind when killed
        mounts = Path("/proc/mounts").read_text()
        for d in {Path(r).parents[1] for r in roots}:
            if d.name.startswith("buildah") and str(d) not in mounts:
                shutil.rmtree(d, ignore_errors=True)


def kill_all(proc, family, roots):
    survivors = lambda: [p for p, (_, root) in proc_table().items() if p in family or root in roots]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        for pid in survivors():
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for _ in range(20):
            if not survivors():
                return
            time.sleep(0.25)
    raise RuntimeError(f"processes survived: {survivors()}")


def port_open(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def run_image(img, check):
    """Run the image's command as docker would; return what it observably did."""
    argv, workdir, user = run_settings(img)
    c = sh("buildah", "from", "--pull=never", img)
    cmd = [*RUN, *(["--workingdir", workdir] if workdir else []),
           *(["--user", user] if user else []), c, "--", *argv]
    try:
        if check["mode"] == "run":
            p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 start_new_session=True)
            try:
                out, err = p.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                stop(p)
                raise RuntimeError(f"{img}: timed out after {TIMEOUT}s")
            stop(p)
            return {"exit": p.returncode, "stdout": out}, err
        port = check["port"]
        if port_open(port):
            raise RuntimeError(f"port {port} is already in use before starting {img}")
        out = tempfile.TemporaryFile("w+")  # a pipe nobody reads could fill up and block the server
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            deadline = time.time() + TIMEOUT
            while not port_open(port):
                if p.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"{img}: server never listened on {port}")
                time.sleep(0.3)
            seen = {path: fetch(f"http://127.0.0.1:{port}{path}") for path in check["paths"]}
        finally:
            stop(p)
            while port_open(port) and time.time() < deadline + 10:
                time.sleep(0.3)
        out.seek(0)
        return {path: {"status": st, "body": body} for path, (st, body) in seen.items()}, out.read()
    finally:
        subprocess.run(["buildah", "rm", c], capture_output=True)


# ---------------------------------------------------------------- apps

def froms(dockerfile):
    bases = []
    for line in dockerfile.read_text().splitlines():
        words = line.split()
        if words and words[0].upper() == "FROM":
            bases.append(next(w for w in words[1:] if not w.startswith("--")))
    return bases


def human(n):
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.1f} KB"


def check_app(app, log):
    d = HERE / app
    check = tomllib.loads((d / "check.toml").read_text())
    r = {"app": app, "base": froms(d / "Dockerfile")[0], "runtime": froms(d / "Dockerfile.converted")[-1],
         "ok": False, "same": False}
    try:
        outputs = {}
        for variant, file in (("original", "Dockerfile"), ("converted", "Dockerfile.converted")):
            img = f"dlint-e2e/{app}:{variant}"
            sh(*BUD, "-f", d / file, "-t", img, d, log=log)
            r[variant] = image_size(img)
            outputs[variant], err = run_image(img, check)
            with open(log, "a") as f:
                f.write(f"--- {variant} observed:\n{json.dumps(outputs[variant], indent=1)}\n{err}\n")
        r["same"] = outputs["original"] == outputs["converted"]
        r["output"] = outputs["original"]
        r["reduction"] = 100 * (1 - r["converted"] / r["original"])
        problems = []
        if not r["same"]:
            problems.append("outputs differ (see log)")
        if check.get("expect") and check["expect"] not in json.dumps(outputs["original"]):
            problems.append(f"expected text {check['expect']!r} not in output")
        if check["mode"] == "run" and outputs["original"]["exit"] != check.get("exit", 0):
            problems.append(f"exit status {outputs['original']['exit']}")
        if r["converted"] >= r["original"]:
            problems.append("converted image is not smaller")
        r["ok"], r["error"] = not problems, "; ".join(problems)
    except Exception as e:  # report and go on with the next app
        r["error"] = str(e).strip().splitlines()[0] if str(e).strip() else repr(e)
        with open(log, "a") as f:
            f.write(f"ERROR: {e}\n")
    return r


def write_results(results, median):
    rows = ["Produced by `python3 testdata/convert/e2e.py`: real `buildah bud` builds on local stand-in "
            "base images (see standins.toml); sizes from `podman image inspect` (1 MB = 10^6 bytes).", "",
            "| app | original base | runtime base | original size | converted size | reduction | same output |",
            "|---|---|---|---|---|---|---|"]
    for r in results:
        size = lambda k: human(r[k]) if k in r else "build failed"
        red = f"{r['reduction']:.1f}%" if "reduction" in r else "-"
        rows.append(f"| {r['app']} | {r['base']} | {r['runtime']} | {size('original')} | "
                    f"{size('converted')} | {red} | {'yes' if r['same'] else 'no'} |")
    rows += ["", f"Median reduction: {median:.1f}%" if median is not None else "Median reduction: -"]
    (HERE / "RESULTS.md").write_text("\n".join(rows) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("apps", nargs="*", help="app directories under testdata/convert/ (default: all)")
    ap.add_argument("--keep", action="store_true", help="keep the app images afterwards")
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("e2e.py needs root (buildah with chroot isolation, debootstrap)")
    all_apps = sorted(p.parent.name for p in HERE.glob("*/check.toml"))
    apps = args.apps or all_apps
    unknown = set(apps) - set(all_apps)
    if unknown:
        sys.exit(f"unknown apps: {', '.join(sorted(unknown))} (have: {', '.join(all_apps)})")

    t0 = time.time()
    ensure_tools()
    ensure_standins()
    print(f"stand-ins ready after {time.time() - t0:.0f}s", flush=True)
    results = []
    for app in apps:
        log = LOGS / f"app-{app}.log"
        log.unlink(missing_ok=True)
        print(f"{app}: building and running ...", flush=True)
        r = check_app(app, log)
        results.append(r)
        if r["ok"]:
            print(f"  PASS {human(r['original'])} -> {human(r['converted'])} "
                  f"(-{r['reduction']:.1f}%), same output", flush=True)
        else:
            print(f"  FAIL {r['error']}\n  log: {log}", flush=True)
        if not args.keep:
            for variant in ("original", "converted"):
                subprocess.run(["buildah", "rmi", f"dlint-e2e/{app}:{variant}"], capture_output=True)

    reductions = [r["reduction"] for r in results if "reduction" in r]
    median = statistics.median(reductions) if reductions else None
    if apps == all_apps:
        write_results(results, median)
    failed = [r["app"] for r in results if not r["ok"]]
    print(f"\n{len(results) - len(failed)}/{len(results)} apps passed; median reduction "
          f"{median if median is None else f'{median:.1f}%'}; {time.time() - t0:.0f}s total"
          + (f"; wrote {HERE / 'RESULTS.md'}" if apps == all_apps else " (RESULTS.md is only written for all apps)"))
    if failed:
        print("failed: " + ", ".join(failed))
    if failed or median is None or median < MIN_MEDIAN:
        if median is not None and median < MIN_MEDIAN:
            print(f"median reduction {median:.1f}% is below {MIN_MEDIAN:.0f}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
