"""Seed corpora for the fuzz targets from the repository's Dockerfiles: testdata/**
Dockerfiles (with their directory's build context for `convert`) and the `dockerfile` blocks of
lints/*.md. Usage: python3 src/fuzz/seed.py OUT_DIR (outside the repository; writes
OUT_DIR/<target>/)."""

import hashlib, json, pathlib, re, sys

root = pathlib.Path(__file__).resolve().parents[2]
out = pathlib.Path(sys.argv[1])
MANIFESTS = {"go.mod", "Cargo.toml", "package.json", "pom.xml", "build.gradle", "build.gradle.kts",
             "settings.gradle", "settings.gradle.kts", "gradle.properties"}


def is_dockerfile(name):  # as dlint::discover::is_dockerfile_name
    return not name.endswith(".dockerignore") and (
        name in ("Dockerfile", "Containerfile") or name.endswith((".Dockerfile", ".dockerfile"))
        or name.startswith(("Dockerfile.", "Containerfile.")))


def context(d):  # the `convert` target's encoding of a build context (checks.rs: convert_input)
    parts = []
    for e in sorted(d.iterdir()):
        if e.is_dir():
            parts.append(f"\0{e.name}/\n".encode())
        elif e.name in MANIFESTS or e.suffix in (".csproj", ".fsproj", ".vbproj"):
            parts.append(f"\0{e.name}\n".encode() + e.read_bytes())
        else:
            parts.append(f"\0{e.name}\n".encode())
    return b"".join(parts)


def frame(msg):
    body = json.dumps(msg).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def lsp(text):  # chunk byte, body-limit byte, then a session
    uri = "file:///w/Dockerfile"
    doc = {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}
    return b"\x07\xff" + b"".join(frame(m) for m in [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": doc}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"}, {"jsonrpc": "2.0", "method": "exit"}])


seeds = []  # (bytes, convert seed)
for p in sorted((root / "testdata").rglob("*")):
    if p.is_file() and is_dockerfile(p.name):
        data = p.read_bytes()
        seeds.append((data, data + context(p.parent) if p.name == "Dockerfile" else data))
for md in sorted((root / "lints").glob("*.md")):
    for block in re.findall(r"^```dockerfile[^\n]*\n(.*?)^```", md.read_text(), re.S | re.M):
        seeds.append((block.encode(), block.encode()))

for target in ("parse_model", "lint", "fix", "convert", "lsp_reader"):
    (out / target).mkdir(parents=True, exist_ok=True)
for data, convert in seeds:
    for target, seed in (("parse_model", data), ("lint", data), ("fix", data),
                         ("convert", convert), ("lsp_reader", lsp(data.decode("utf-8", "replace")))):
        (out / target / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
print(f"{len(seeds)} seeds per target in {out}")
