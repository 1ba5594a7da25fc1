//! What the unit tests of every layer share.

/// The property tests' settings: a fixed seed, so a run fails only when the code changed, with
/// `cases` cases. `PROPTEST_RNG_SEED` and `PROPTEST_CASES` explore further.
pub fn proptest_config(cases: u32) -> proptest::test_runner::Config {
    // The default reads both variables.
    let mut config = proptest::test_runner::Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x6873_6c73);
    }
    config
}
