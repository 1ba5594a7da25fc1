//! Diagnostics after edits that re-read one account (and keep the other accounts' reports)
//! are the diagnostics of reading the new text from scratch.

use super::*;
use crate::analysis::checks::items::ItemMemo;
use crate::syntax::yaml::TextEdit;

const CONFIG: &str = "defaultAccount: 3\naccounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        expiresAt: '2026-01-01'\n  - name: A\n    accountId: 2\n    env: production\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      clientId: x\n  - name: sand\n    accountId: 3\n    accountType: DEVELOPMENT_SANDBOX\n    parentAccountId: 1\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        expiresAt: soon\n";

#[test]
fn edits_that_reread_one_account_give_a_fresh_read_s_findings() {
    let home = Home::new();
    let path = home.write_global(CONFIG);
    let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(home.env.clone()));
    // (find, replace) applied in turn to the text as it then is.
    let steps = [
        ("name: A", "name: b c"),                     // whitespace in a name; the duplicate goes away
        ("accountId: 2", "accountId: 1"),             // a duplicate id, found across accounts
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

/// A config past the size from which accounts are checked while the text is read: the
/// accounts of `CONFIG` again and again, some names and ids repeated, then `tail`.
fn large(tail: &str) -> String {
    let accounts = &CONFIG[CONFIG.find("  - name: a").unwrap()..];
    let mut text = String::from("defaultAccount: 3\naccounts:\n");
    for i in 0..300 {
        text.push_str(
            &accounts
                .replace("name: a\n", &format!("name: a{}\n", i % 250))
                .replace("accountId: 2\n", &format!("accountId: {}\n", 1000 + i)),
        );
    }
    text.push_str(tail);
    assert!(text.len() > 64 * 1024);
    text
}

#[test]
fn accounts_checked_while_reading_give_the_findings_of_checking_after() {
    let home = Home::new();
    let world = World::new(Default::default(), Arc::new(DiskCache::default()), Arc::new(home.env.clone()));
    let portals = "portals:\n  - name: p\n    portalId: 7\n    authType: personalaccesskey\n    personalAccessKey: k\n  - name: q\n";
    // (tail, how many reports the read keeps)
    let cases = [
        ("", 900),
        // `portals` wins: what was said of `accounts` (as the accounts in use) is dropped.
        (portals, 2),
        // A duplicated key: the tree is incomplete, and judged differently.
        ("accounts: []\n", 0),
        // Read by the full parser: nothing was checked while reading.
        ("extra: {a: 1}\n", 0),
    ];
    for (tail, kept) in cases {
        let text = large(tail);
        let path = home.write_global(&text);
        let read = SourceFile::parse(path.clone(), DocKind::GlobalConfig, text.as_str());
        assert_eq!(read.items.kept(), kept, "tail {tail:?}");
        let tree = Arc::new(crate::syntax::yaml::parse(&text));
        let after = SourceFile { items: ItemMemo::new(&tree), tree: Some(tree), ..read.clone() };
        assert_eq!(after.items.kept(), 0);
        let found = diagnostics::compute(&read, &world);
        assert_eq!(found, diagnostics::compute(&after, &world), "tail {tail:?}");
        assert!(found.len() > 300, "{}", found.len());
    }
}
