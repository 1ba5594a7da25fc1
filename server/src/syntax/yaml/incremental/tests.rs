use super::*;
use crate::syntax::yaml::parse;

/// Applies `edit` with `insert` to `old`, re-reads incrementally, and checks the result
/// against a whole read of the new text. Returns whether the incremental path was taken.
fn check(old: &str, start: usize, old_end: usize, insert: &str) -> bool {
    let new = format!("{}{}{}", &old[..start], insert, &old[old_end..]);
    let mut tree = parse(old);
    let before = tree.clone();
    let edit = TextEdit { start, old_end, new_len: insert.len() };
    let Some(path) = reparse_edit(&mut tree, old, &new, edit) else {
        // Declined: the tree is untouched.
        assert_eq!(tree.value, before.value);
        assert_eq!(tree.root_node(), before.root_node());
        return false;
    };
    let whole = parse(&new);
    assert!(whole.complete, "took an edit the whole read rejects: {new:?}");
    assert_eq!(tree.value, whole.value, "values differ after {edit:?} {insert:?} in {old:?}");
    assert_eq!(tree.root_node(), whole.root_node(), "spans differ after {edit:?} {insert:?} in {old:?}");
    assert_eq!(tree.errors, whole.errors);
    assert!(tree.complete && tree.block_yaml);
    assert!(!path.is_empty());
    true
}

const CONFIG: &str = "# accounts\ndefaultAccount: 1\naccounts:\n  - name: a\n    accountId: 1\n    auth:\n      tokenInfo:\n        expiresAt: '2026-01-01'\n    # note\n  - name: b c\n    accountId: '2'\n    scopes:\n    - x\n    - 'y'\n    empty:\n\n  - name: last\n    accountId: 3 # id\nhttpTimeout: 5000\nlist:\n- p: 1\n  q: 2\n- r\n";

#[test]
fn matches_a_whole_read_for_every_small_edit() {
    let inserts = [
        "",
        " ",
        "x",
        "1",
        "\n",
        "- ",
        ": ",
        "#",
        "'",
        "\"",
        "  ",
        "\n    env: qa",
        "\n  - name: z",
        "\nz: 1",
        "\n      - w",
    ];
    let (mut taken, mut readable) = (0, 0);
    for start in 0..=CONFIG.len() {
        for del in 0..3 {
            let end = (start + del).min(CONFIG.len());
            for ins in inserts {
                if del == 0 && ins.is_empty() {
                    continue;
                }
                let new = format!("{}{}{}", &CONFIG[..start], ins, &CONFIG[end..]);
                let whole = parse(&new);
                readable += (whole.block_yaml && whole.complete) as usize;
                taken += check(CONFIG, start, end, ins) as usize;
            }
        }
    }
    // Of the edits that leave plain block YAML, those inside an item (most of them) take
    // the short path; the rest sit outside the items, add an item, or move a dash.
    assert!(taken * 5 > readable * 3, "{taken} of {readable}");
}

#[test]
fn the_edits_of_typing_take_the_short_path() {
    // A value changed in the middle account.
    let at = CONFIG.find("b c").unwrap();
    assert!(check(CONFIG, at, at + 3, "b-c"));
    // A new key typed on a new line after the last key of the last account.
    let at = CONFIG.find("3 # id").unwrap() + "3 # id".len();
    assert!(check(CONFIG, at, at, "\n    env: qa"));
    // Half-typed: `    en` is a plain scalar continuation, which the fast reader leaves to the
    // full parser.
    assert!(!check(CONFIG, at, at, "\n    en"));
    // An item of the indentless list at the end, without a final newline.
    let text = CONFIG.trim_end();
    let at = text.len();
    assert!(check(text, at, at, "x"));
}

#[test]
fn declines_what_only_a_whole_read_can_say() {
    let at = CONFIG.find("  - name: b").unwrap();
    // The dash itself, and the indentation before it.
    assert!(!check(CONFIG, at + 2, at + 3, ""));
    assert!(!check(CONFIG, at, at, " "));
    // A new account typed inside another.
    let at = CONFIG.find("    accountId: 1\n").unwrap();
    assert!(!check(CONFIG, at, at, "  - name: new\n"));
    // A duplicate key.
    assert!(!check(CONFIG, at, at, "    name: again\n"));
    // Outside any item.
    let at = CONFIG.find("5000").unwrap();
    assert!(!check(CONFIG, at, at + 4, "6000"));
}

/// Edits one after another on the same tree: each leaves shifts owed below the nodes after
/// it, and later edits land inside nodes that still owe them (or that are read whole
/// again). After every step the tree must be the whole read of the text so far.
#[test]
fn a_chain_of_edits_matches_a_whole_read_at_every_step() {
    let mut text = CONFIG.to_string();
    let mut tree = parse(&text);
    // (what to find, what to put in its place): inside the first account, then the last,
    // then the middle one, growing and shrinking, and the same spots again.
    let steps = [
        ("name: a", "name: aaaa"),
        ("accountId: 3", "accountId: 33333"),
        ("b c", "b"),
        ("expiresAt: '2026-01-01'", "expiresAt: '2027'"),
        ("- 'y'", "- 'yy'\n    - z"),
        ("name: aaaa", "name: a"),
        ("accountId: 33333", "accountId: 3"),
        ("name: b\n", "name: b c d\n"),
    ];
    let mut short = 0;
    for (find, put) in steps {
        let start = text.find(find).unwrap_or_else(|| panic!("{find:?} in {text:?}"));
        let new = format!("{}{}{}", &text[..start], put, &text[start + find.len()..]);
        let edit = TextEdit { start, old_end: start + find.len(), new_len: put.len() };
        match reparse_edit(&mut tree, &text, &new, edit) {
            Some(_) => short += 1,
            None => tree = parse(&new),
        }
        let whole = parse(&new);
        assert_eq!(tree.value, whole.value, "values after {find:?} -> {put:?}");
        assert_eq!(tree.root_node(), whole.root_node(), "spans after {find:?} -> {put:?}");
        for pointer in ["/accounts/0/name", "/accounts/1/scopes/1", "/accounts/2/accountId", "/httpTimeout", "/list/1"]
        {
            assert_eq!(tree.spans(pointer), whole.spans(pointer), "{pointer} after {find:?} -> {put:?}");
        }
        let at = new.find("last").unwrap();
        assert_eq!(tree.pointers_at(at), whole.pointers_at(at));
        text = new;
    }
    assert!(short >= 6, "most steps take the short path ({short})");
}
