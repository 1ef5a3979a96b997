//! Snapshots of `dlint inspect --format json` for the syntax and model fixtures.
//! `DLINT_BLESS=1 cargo test --test model` rewrites the expected `.json` files.

fn check_dir(dir: &str) {
    let mut n = 0;
    for p in crate::common::sorted_files(dir) {
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
        crate::common::expect_file(&p.with_extension("json"), &got, &p.display().to_string());
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
