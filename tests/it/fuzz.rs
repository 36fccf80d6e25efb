//! The fuzz targets of `src/fuzzing.rs` on a stable toolchain: every committed corpus input and
//! every regression (an input that once crashed a target) replayed, then a few seconds of
//! random mutations of the corpus per target. libFuzzer itself runs them longer
//! (`scripts/fuzz.sh`, nightly); this catches a parser that starts to panic again.

use kabinet::fuzzing::TARGETS;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Mutation time per target; `FUZZ_SECONDS` overrides it.
const SECONDS: u64 = 2;

fn inputs(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("readable input");
            (p, bytes)
        })
        .collect()
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Runs `target` on `input`, turning a panic into the input's description.
fn run(name: &str, target: fn(&[u8]), input: &[u8], what: &str) -> Result<(), String> {
    std::panic::catch_unwind(|| target(input)).map_err(|_| {
        format!(
            "{name}: {what} panics: {:?}",
            String::from_utf8_lossy(input)
        )
    })
}

#[test]
fn every_corpus_and_regression_input_passes_its_target() {
    let mut ran = 0;
    for (name, target) in TARGETS {
        let corpus = inputs(&root().join("corpus").join(name));
        assert!(!corpus.is_empty(), "{name} has no committed corpus");
        let regressions = inputs(&root().join("regressions").join(name));
        for (path, input) in corpus.iter().chain(&regressions) {
            run(name, target, input, &path.display().to_string()).unwrap();
            ran += 1;
        }
    }
    assert!(ran > 100, "only {ran} inputs");
}

/// One random change: a byte flipped, inserted or removed, a slice duplicated, or a piece of
/// another input spliced in.
fn mutate(rng: &mut StdRng, input: &mut Vec<u8>, other: &[u8]) {
    let at = |rng: &mut StdRng, len: usize| rng.gen_range(0..=len);
    match rng.gen_range(0..6) {
        0 if !input.is_empty() => {
            let i = rng.gen_range(0..input.len());
            input[i] ^= 1 << rng.gen_range(0..8);
        }
        1 => {
            let i = at(rng, input.len());
            let b = *[
                b'0', b'9', b':', b'.', b',', b' ', b'-', b'"', b'{', 0xd0, 0xff,
            ]
            .get(rng.gen_range(0..11))
            .expect("in range");
            input.insert(i, b);
        }
        2 if !input.is_empty() => {
            input.remove(rng.gen_range(0..input.len()));
        }
        3 if !input.is_empty() => {
            let (a, b) = (at(rng, input.len()), at(rng, input.len()));
            let piece = input[a.min(b)..a.max(b)].to_vec();
            let i = at(rng, input.len());
            input.splice(i..i, piece);
        }
        4 if !other.is_empty() => {
            let (a, b) = (at(rng, other.len()), at(rng, other.len()));
            let i = at(rng, input.len());
            input.splice(i..i, other[a.min(b)..a.max(b)].iter().copied());
        }
        _ => input.truncate(at(rng, input.len())),
    }
    input.truncate(4096);
}

#[test]
fn every_target_survives_seconds_of_mutations() {
    let seconds = std::env::var("FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SECONDS);
    let seed: u64 = rand::random();
    let mut rng = StdRng::seed_from_u64(seed);
    for (name, target) in TARGETS {
        let corpus: Vec<Vec<u8>> = inputs(&root().join("corpus").join(name))
            .into_iter()
            .map(|(_, bytes)| bytes)
            .collect();
        let started = Instant::now();
        let mut runs = 0u64;
        while started.elapsed() < Duration::from_secs(seconds) {
            let mut input = corpus[rng.gen_range(0..corpus.len())].clone();
            let other = &corpus[rng.gen_range(0..corpus.len())];
            for _ in 0..rng.gen_range(1..8) {
                mutate(&mut rng, &mut input, other);
            }
            let what = format!("a mutation (seed {seed})");
            run(name, target, &input, &what).unwrap();
            runs += 1;
        }
        assert!(runs > 0, "{name} never ran");
        eprintln!("{name}: {runs} mutated inputs in {seconds} s");
    }
}
