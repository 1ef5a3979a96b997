//! Benchmark: lint a generated corpus of varied Dockerfiles; report files/s, MB/s and parse-only cost.
fn main() {}
