use std::collections::BTreeMap;

fn main() {
    let primes: Vec<u32> = (2..50).filter(|n| (2..*n).all(|d| n % d != 0)).collect();
    println!("primes below 50: {:?}", primes);
    let mut counts = BTreeMap::new();
    for word in "the cat and the hat and the bat".split_whitespace() {
        *counts.entry(word).or_insert(0) += 1;
    }
    println!("word counts: {:?}", counts);
}
