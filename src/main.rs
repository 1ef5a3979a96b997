//! The `dlint` binary: parse arguments, run, map the outcome to an exit code.
use std::io::Read;
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let paths: Vec<String> = if args.get(1).map(String::as_str) == Some("-") {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).unwrap();
        s.lines().map(String::from).collect()
    } else {
        args[1..].to_vec()
    };
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let src = dlint::source::SourceFile::new(&p, &text);
        let model = dlint::model::Dockerfile::build(dlint::syntax::parse(&src.text));
        let mut v = dlint::report::inspect::to_json(&src, &model);
        v["path"] = serde_json::json!(p);
        println!("{}", v);
    }
}
