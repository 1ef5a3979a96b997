//! Snapshots of `dlint inspect --format json` for the syntax and model fixtures.
//! `DLINT_BLESS=1 cargo test --test model` rewrites the expected `.json` files.

mod common;

use common::root;

fn check_dir(dir: &str) {
    let bless = std::env::var_os("DLINT_BLESS").is_some();
    let mut n = 0;
    let mut paths: Vec<_> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    paths.sort();
    for p in paths {
        if p.extension().is_some_and(|e| e == "json") {
            continue;
        }
        let text = dlint::source::decode(std::fs::read(&p).unwrap()).unwrap();
        let source =
            dlint::source::SourceFile::new(p.file_name().unwrap().to_string_lossy(), &text);
        let model = dlint::analyze(&source);
        let got = serde_json::to_string_pretty(&dlint::report::inspect::to_json(&source, &model))
            .unwrap()
            + "\n";
        let expected_path = p.with_extension("json");
        if bless {
            std::fs::write(&expected_path, &got).unwrap();
        } else {
            let expected = std::fs::read_to_string(&expected_path).unwrap_or_else(|_| {
                panic!(
                    "{} is missing: run with DLINT_BLESS=1",
                    expected_path.display()
                )
            });
            assert_eq!(
                got,
                expected,
                "{} changed: review, then DLINT_BLESS=1",
                p.display()
            );
        }
        n += 1;
    }
    assert!(n > 0);
}

#[test]
fn syntax_fixtures() {
    check_dir("testdata/syntax");
}

#[test]
fn model_fixtures() {
    check_dir("testdata/model");
}
