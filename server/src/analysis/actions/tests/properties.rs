//! Properties over every action: no input panics, no edit breaks the syntax, and every
//! edit lowers the count of the findings it claims to fix.

use proptest::prelude::*;

use super::*;
use crate::analysis::tests::robustness::{mutate, mutations};
use crate::analysis::tests::VALID;
use crate::analysis::Code;

/// Files with one of nearly every fixable finding: (path under the temporary root, text).
const SEEDS: &[(&str, &str)] = &[
    ("home/.hscli/config.yml", "defaultAccount: nope\nhttpTimeout: 10\ndefaultMode: draft\naccounts:\n  - name: a b\n    accountId: '1'\n    portalId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n  - name: 789\n    accountId: 2\n    authType: personalaccesskey\n    personalAccessKey: k\n    sandboxAccountType: STANDARD\n    auth:\n      tokenInfo: {}\n"),
    ("p/hubspot.config.yml", "defaultPortal: dev\ndefaultMode: publish\nportals:\n  - name: dev\n    portalId: 456\n    sandboxAccountType: developer\n    authType: personalaccesskey\n    personalAccessKey: k\n"),
    ("p/.hs/settings.json", "{\n  \"accounts\": [123, 999, 123, \"456\"],\n  \"localDefaultAccount\": 777\n}"),
    ("p/.hs/settings.json", "{\"accounts\": [123], \"localDefaultAccount\": 456}"),
    ("p/.hsaccount", "sandbox"),
    ("home/.hscli/config.yml", "defaultAcount: 1\naccounts:\n  - name: x\n    accountId: 1\n    env: QA\n    personalAccessKey: k\n    auth:\n      tokenInfo: {accessToken: t, expiresAt: never}\n"),
    ("p/.hs/settings.json", "{\"acounts\": [123]}"),
];

fn count(home: &Home, path: &Path, text: &str, code: Code) -> usize {
    home.check_text(path, text).iter().filter(|d| d.code == code).count()
}

#[test]
fn every_edit_fixes_what_it_says() {
    let home = Home::new();
    home.write_global(VALID);
    for (rel, text) in SEEDS {
        let path = if rel.starts_with("home/") { home.global() } else { home.write(rel, text) };
        let acts = actions(&home, &path, text);
        assert!(!acts.is_empty(), "{rel}");
        for a in acts.iter().filter(|a| !a.fixes.is_empty()) {
            let Effect::Edits(edits) = &a.effect else { continue };
            let after = apply(text, edits);
            let parsed = SourceFile::parse(path.clone(), DocKind::of_path(&path, None).unwrap(), after.as_str());
            assert!(parsed.tree.as_ref().is_none_or(|t| t.complete), "{:?} broke {rel}:\n{after}", a.title);
            for f in &a.fixes {
                assert!(
                    count(&home, &path, &after, f.code) < count(&home, &path, text, f.code),
                    "{:?} did not fix {:?} in {rel}:\n{after}",
                    a.title,
                    f.code
                );
            }
        }
    }
}

fn mutated() -> impl Strategy<Value = (usize, String)> {
    (0..SEEDS.len(), mutations(8)).prop_map(|(seed, edits)| (seed, mutate(SEEDS[seed].1, &edits)))
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(150))]

    #[test]
    fn mutated_files_never_panic_and_edits_keep_them_parsing((seed, text) in mutated(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let home = Home::new();
        home.write_global(VALID);
        let path = home.path(SEEDS[seed].0);
        let (x, y) = (a.index(text.len() + 1), b.index(text.len() + 1));
        let range = TextRange::new(x.min(y), x.max(y));
        let kind = DocKind::of_path(&path, home.env.config_path.as_deref()).unwrap();
        let was_whole = SourceFile::parse(path.clone(), kind, text.as_str()).tree.as_ref().is_none_or(|t| t.complete);
        for act in actions_in(&home, &path, &text, range) {
            prop_assert!(!act.title.is_empty());
            if let Effect::Edits(edits) = &act.effect {
                let after = apply(&text, edits);
                let parsed = SourceFile::parse(path.clone(), kind, after.as_str());
                prop_assert!(!was_whole || parsed.tree.as_ref().is_none_or(|t| t.complete), "{:?} broke:\n{}", act.title, after);
            }
        }
    }
}
