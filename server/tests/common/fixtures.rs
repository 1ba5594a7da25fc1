//! The spec fixtures (`server/tests/fixtures/spec/`: files as the CLI reads and writes them),
//! read the one way every Rust test reads them. The unit tests (through `hubspot::test_support`)
//! and each integration test include this file by path: an integration test is its own crate
//! and cannot see the library's `#[cfg(test)]` items.
#![allow(dead_code)] // each including crate uses part of it

use std::path::PathBuf;

pub const SPEC_FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spec/");

/// The path of the fixture `name`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(format!("{SPEC_FIXTURES}{name}"))
}

/// The text of the fixture `name`; a missing one fails the test, naming it.
pub fn fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}
