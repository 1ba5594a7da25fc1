//! Diagnostics after edits that re-read one account (and keep the other accounts' reports)
//! are the diagnostics of reading the new text from scratch.

use super::*;
use crate::syntax::yaml::TextEdit;

const CONFIG: &str = "defaultAccount: 3\naccounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        expiresAt: '2026-01-01'\n  - name: A\n    accountId: 2\n    env: production\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      clientId: x\n  - name: sand\n    accountId: 3\n    accountType: DEVELOPMENT_SANDBOX\n    parentAccountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        expiresAt: soon\n";

#[test]
fn edits_that_reread_one_account_give_a_fresh_read_s_findings() {
    let home = Home::new();
    let path = home.write_global(CONFIG);
    let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(home.env.clone()));
    // (find, replace) applied in turn to the text as it then is.
    let steps = [
        ("name: A", "name: b c"),   // whitespace in a name; the duplicate goes away
        ("accountId: 2", "accountId: 1"), // a duplicate id, found across accounts
        ("parentAccountId: 1", "parentAccountId: 9"), // an unknown parent
        ("env: production", "env: qa"),
        ("accountId: 3", "accountId: '3'"), // the default account no longer resolves
        ("expiresAt: soon", "expiresAt: '2027-01-01'\n    bogus: 1"),
        ("  - name: a\n", "  - name: a\n    extra: x\n"),
        ("accountId: 1\n    authType", "accountId: 4\n    authType"),
    ];
    let mut file = Arc::new(SourceFile::parse(path.clone(), DocKind::GlobalConfig, CONFIG));
    diagnostics::compute(&file, &world); // fills every account's report
    let mut text = CONFIG.to_string();
    let mut in_place = 0;
    for (find, replace) in steps {
        let start = text.find(find).unwrap_or_else(|| panic!("{find:?} in {text}"));
        let new = format!("{}{}{}", &text[..start], replace, &text[start + find.len()..]);
        let edit = TextEdit { start, old_end: start + find.len(), new_len: replace.len() };
        in_place += SourceFile::update(&mut file, new.clone(), Some(edit)).is_none() as usize;
        text = new;
        assert_eq!(&*file.text, text.as_str());
        let fresh = SourceFile::parse(path.clone(), DocKind::GlobalConfig, text.as_str());
        let (kept, scratch) = (diagnostics::compute(&file, &world), diagnostics::compute(&fresh, &world));
        assert_eq!(kept, scratch, "after {find:?} -> {replace:?}");
        assert!(!kept.is_empty());
    }
    assert!(in_place >= steps.len() - 1, "{in_place} edits re-read one account");
}
