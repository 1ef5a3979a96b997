//! Build script: one integration test per rule fixture (`testdata/rules/<slug>/*`) and per rule
//! doc (`lints/<slug>.md`), generated so that adding a fixture or a rule needs no test list and a
//! single case runs by name (`cargo test fixture::cache_in_layer::more_managers`).

use std::fmt::Write as _;
use std::path::Path;

fn ident(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

fn sorted(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|r| r.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    println!("cargo:rerun-if-changed=testdata/rules");
    println!("cargo:rerun-if-changed=lints");
    println!("cargo:rerun-if-changed=src/build.rs");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut slugs = Vec::new();
    for p in sorted(&root.join("lints")) {
        if p.extension().is_some_and(|e| e == "md") && p.file_stem().is_some_and(|s| s != "README")
        {
            slugs.push(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    let mut out = String::new();
    writeln!(
        out,
        "/// Rules with a doc in lints/.\npub const DOCUMENTED: &[&str] = &{slugs:?};"
    )
    .unwrap();
    out.push_str("pub mod doc {\n");
    for s in &slugs {
        writeln!(
            out,
            "    #[test] fn {}() {{ crate::rule_docs::check_doc({s:?}); }}",
            ident(s)
        )
        .unwrap();
    }
    out.push_str("}\npub mod doc_fixes {\n");
    for s in &slugs {
        writeln!(
            out,
            "    #[test] fn {}() {{ crate::rule_docs::check_doc_fixes({s:?}); }}",
            ident(s)
        )
        .unwrap();
    }
    out.push_str("}\npub mod fixture {\n");
    for dir in sorted(&root.join("testdata/rules")) {
        if !dir.is_dir() {
            continue;
        }
        let slug = dir.file_name().unwrap().to_string_lossy().into_owned();
        writeln!(out, "    pub mod {} {{", ident(&slug)).unwrap();
        for f in sorted(&dir) {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            // `<case>.dockerignore` is a case's build context, not a case.
            if name.ends_with(".expected") || name.ends_with(".dockerignore") {
                continue;
            }
            let stem = name
                .trim_end_matches(".Dockerfile")
                .trim_end_matches(".dockerfile");
            writeln!(
                out,
                "        #[test] fn {}() {{ crate::rule_docs::check_fixture({slug:?}, {name:?}); }}",
                ident(stem)
            )
            .unwrap();
        }
        out.push_str("    }\n");
    }
    out.push_str("}\n");
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("cases.rs");
    std::fs::write(dest, out).unwrap();
}
