//! No input may panic the analysis: random and mutated files, every kind.

use proptest::prelude::*;

use super::*;

fn kinds() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just("home/.hscli/config.yml"),
        Just("p/hubspot.config.yml"),
        Just("p/.hs/settings.json"),
        Just("p/.hsaccount")
    ]
}

/// Real files, with bytes deleted, duplicated and replaced at random places.
fn mutated() -> impl Strategy<Value = String> {
    let seeds = vec![VALID.to_string(), "{\"accounts\": [123, 456], \"localDefaultAccount\": 456}".to_string(), "defaultPortal: a\nportals:\n  - {name: a, portalId: 1, authType: apikey, apiKey: k, auth: {tokenInfo: {expiresAt: x}}}\n".to_string()];
    (proptest::sample::select(seeds), mutations(12)).prop_map(|(seed, edits)| mutate(&seed, &edits))
}

/// Up to `n` random character edits, for [`mutate`].
pub fn mutations(n: usize) -> impl Strategy<Value = Vec<(prop::sample::Index, u8, char)>> {
    proptest::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 0..n)
}

/// `seed` with each edit applied: 0 deletes a character, 1 inserts one, 2 replaces one,
/// 3 duplicates one.
pub fn mutate(seed: &str, edits: &[(prop::sample::Index, u8, char)]) -> String {
    let mut chars: Vec<char> = seed.chars().collect();
    for (idx, op, c) in edits {
        if chars.is_empty() {
            chars.push(*c);
            continue;
        }
        let i = idx.index(chars.len());
        match op {
            0 => {
                chars.remove(i);
            }
            1 => chars.insert(i, *c),
            2 => chars[i] = *c,
            _ => {
                let ch = chars[i];
                chars.insert(i, ch);
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(300))]

    #[test]
    fn random_text_never_panics(kind in kinds(), text in "\\PC{0,200}") {
        let home = Home::new();
        home.write_global(VALID);
        let ds = home.check_text(&home.path(kind), &text);
        for d in ds { prop_assert!(d.range.end as usize <= text.len()); }
    }

    #[test]
    fn mutated_files_never_panic(kind in kinds(), text in mutated()) {
        let home = Home::new();
        home.write_global(VALID);
        let ds = home.check_text(&home.path(kind), &text);
        for d in ds {
            prop_assert!(d.range.end as usize <= text.len());
            prop_assert!(text.is_char_boundary(d.range.start as usize) && text.is_char_boundary(d.range.end as usize));
        }
    }
}

#[test]
fn pathological_yaml_is_reported_not_a_hang_or_a_panic() {
    let home = Home::new();
    let check = |text: &str| home.check_text(&home.global(), text);
    // Too deep, and aliases that double at each level: each a `syntax` finding of its own.
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    assert!(check(&deep).iter().any(|d| d.code == Code::Syntax), "deep flow collections");
    let block = format!("accounts:\n  {}x\n", "- ".repeat(5000));
    assert!(check(&block).iter().any(|d| d.code == Code::Syntax && d.message.contains("nest deeper")));
    let mut bomb = String::from("a0: &a0 [x, x]\n");
    for i in 1..40 {
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}]\n", p = i - 1));
    }
    assert!(check(&bomb).iter().any(|d| d.code == Code::Syntax && d.message.contains("expand to too much")));
    // Odd but small documents: read, and judged like any other (here: no accounts, or types).
    for text in ["\u{feff}accounts: []", "\t\t\t", "- - - -", "? [a]\n: b\n", "a: !!binary aGVsbG8=\n"] {
        assert!(!check(text).is_empty(), "{text:?} is not a valid config and says so");
    }
}
