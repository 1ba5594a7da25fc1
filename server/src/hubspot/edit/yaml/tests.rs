use serde_json::{json, Value};

use super::*;
use crate::hubspot::edit::apply;
// Edits see a date as the text it is written as.
use crate::syntax::yaml::parse_for_edits as parse;

use crate::hubspot::test_support::fixture;

/// Run an edit and check the whole resulting file, byte for byte, and that it reads back.
pub(super) fn run(text: &str, f: impl FnOnce(&str, &Tree) -> Result<Vec<TextEdit>>) -> String {
    let tree = parse(text);
    let edits = f(text, &tree).unwrap_or_else(|e| panic!("edit failed: {e}"));
    let out = apply(text, &edits);
    let back = parse(&out);
    assert!(back.errors.is_empty(), "result does not parse: {:?}\n{out}", back.errors);
    out
}

pub(super) fn set_ok(text: &str, ptr: &str, v: Value, want: &str) {
    let out = run(text, |t, tr| set(t, tr, ptr, &v));
    assert_eq!(out, want, "\n--- got ---\n{out}\n--- want ---\n{want}");
    assert_eq!(parse(&out).value.pointer(ptr), Some(&v));
}

pub(super) fn remove_ok(text: &str, ptr: &str, want: &str) {
    let out = run(text, |t, tr| remove(t, tr, ptr));
    assert_eq!(out, want, "\n--- got ---\n{out}\n--- want ---\n{want}");
}

pub(super) fn append_ok(text: &str, ptr: &str, v: Value, want: &str) {
    let out = run(text, |t, tr| append(t, tr, ptr, &v));
    assert_eq!(out, want, "\n--- got ---\n{out}\n--- want ---\n{want}");
}

// ---- set: replacing values ----

#[test]
fn replace_scalar_keeps_comment_and_quotes_like_js_yaml() {
    set_ok("a: 1 # note\nb: x\n", "/a", json!(2), "a: 2 # note\nb: x\n");
    set_ok("a: 1\nb: x\n", "/b", json!("123"), "a: 1\nb: '123'\n");
    set_ok("a: 1\nb: x\n", "/b", json!("2030-01-01T00:00:00.000Z"), "a: 1\nb: '2030-01-01T00:00:00.000Z'\n");
    set_ok("a: 'old'\n", "/a", json!("it's"), "a: it's\n");
    set_ok("a: 1\n", "/a", json!(true), "a: true\n");
}

#[test]
fn a_byte_order_mark_is_not_indentation() {
    // Notepad saves one; a new top-level key lines up with the first one, not one column in.
    let text = "\u{feff}accounts:\n  - name: a\n";
    set_ok(text, "/defaultAccount", json!(2), "\u{feff}accounts:\n  - name: a\ndefaultAccount: 2\n");
    set_ok("\u{feff}a: 1\nb: {c: 1}\n", "/b/d", json!(2), "\u{feff}a: 1\nb: {c: 1, d: 2}\n");
}

#[test]
fn unchanged_value_means_no_edits() {
    let text = "a: 1\n";
    assert!(set(text, &parse(text), "/a", &json!(1)).unwrap().is_empty());
}

#[test]
fn token_refresh_on_fixture_01_changes_only_the_token_bytes() {
    let text = fixture("01-global-after-first-auth.yml");
    let auth = json!({"tokenInfo": {"accessToken": "access-NEW", "expiresAt": "2027-01-01T00:00:00.000Z"}});
    let out = run(&text, |t, tr| set(t, tr, "/accounts/0/auth", &auth));
    let want = text
        .replace("accessToken: access-1795536836455", "accessToken: access-NEW")
        .replace("expiresAt: '2026-11-24T16:43:56.455Z'", "expiresAt: '2027-01-01T00:00:00.000Z'");
    assert_eq!(out, want);
}

#[test]
fn token_refresh_on_fixture_02_fills_an_empty_token_info_in_block_style() {
    let text = fixture("02-global-all-auth-types.yml");
    let auth = json!({"tokenInfo": {"accessToken": "tok", "expiresAt": "2030-02-02T00:00:00.000Z"}});
    let out = run(&text, |t, tr| set(t, tr, "/accounts/1/auth", &auth));
    let old = "    personalAccessKey: pak-sandbox\n    auth:\n      tokenInfo: {}\n";
    let new = "    personalAccessKey: pak-sandbox\n    auth:\n      tokenInfo:\n        accessToken: tok\n        expiresAt: '2030-02-02T00:00:00.000Z'\n";
    assert_eq!(out, text.replacen(old, new, 1));
}

#[test]
fn token_refresh_on_fixture_10_drops_extra_keys_and_adds_a_missing_auth() {
    let text = fixture("10-edge-token-expiry.yml");
    let auth = json!({"tokenInfo": {"accessToken": "fresh", "expiresAt": "2031-01-01T00:00:00.000Z"}});
    let out = run(&text, |t, tr| set(t, tr, "/accounts/0/auth", &auth));
    let want = text.replace(
        "accessToken: old\n        expiresAt: '2000-01-01T00:00:00.000Z'\n      extraKey: will-be-dropped\n",
        "accessToken: fresh\n        expiresAt: '2031-01-01T00:00:00.000Z'\n",
    );
    assert_eq!(out, want);
    // The account with no `auth` at all gets one after its last key (end of file).
    let out = run(&text, |t, tr| set(t, tr, "/accounts/3/auth", &auth));
    let want = format!("{text}    auth:\n      tokenInfo:\n        accessToken: fresh\n        expiresAt: '2031-01-01T00:00:00.000Z'\n");
    assert_eq!(out, want);
}

#[test]
fn token_refresh_on_a_commented_file() {
    let text = "\
# my config
defaultAccount: 1 # the prod one
accounts:
  # production
  - name: prod # main
    accountId: 1
    authType: personalaccesskey
    personalAccessKey: pak # do not share
    auth:
      # cached by the CLI
      tokenInfo:
        accessToken: old # short-lived
        expiresAt: '2000-01-01T00:00:00.000Z'
  # sandbox below
  - name: sb
    accountId: 2
";
    let auth = json!({"tokenInfo": {"accessToken": "new", "expiresAt": "2031-01-01T00:00:00.000Z"}});
    let out = run(text, |t, tr| set(t, tr, "/accounts/0/auth", &auth));
    let want = text.replace("accessToken: old #", "accessToken: new #").replace("2000-01-01", "2031-01-01");
    assert_eq!(out, want);
}

#[test]
fn token_refresh_inside_flow_accounts_of_fixture_22() {
    let text = fixture("22-merge-interactive-global-before.yml");
    let auth = json!({"tokenInfo": {"accessToken": "t1", "expiresAt": "2031-01-01T00:00:00.000Z"}});
    let out = run(&text, |t, tr| set(t, tr, "/accounts/0/auth", &auth));
    let want = text.replacen(
        "env: prod, auth: {tokenInfo: {}}}",
        "env: prod, auth: {tokenInfo: {accessToken: t1, expiresAt: '2031-01-01T00:00:00.000Z'}}}",
        1,
    );
    assert_eq!(out, want);
}

#[test]
fn replace_block_mapping_by_scalar_and_back() {
    set_ok("a:\n  b: 1\n  c: 2\nd: 3\n", "/a", json!(5), "a: 5\nd: 3\n");
    set_ok("a: # keep\n  b: 1\nd: 3\n", "/a", json!({}), "a: {} # keep\nd: 3\n");
    set_ok("a: 5 # c\nd: 3\n", "/a", json!({"b": 1}), "a: # c\n  b: 1\nd: 3\n");
    set_ok("a:\nd: 3\n", "/a", json!({"b": [1, 2]}), "a:\n  b:\n    - 1\n    - 2\nd: 3\n");
    set_ok("a:\nd: 3\n", "/a", json!("x"), "a: x\nd: 3\n");
}

#[test]
fn replace_sequence_with_different_length() {
    set_ok("f:\n  - A\n  - B\nx: 1\n", "/f", json!(["C"]), "f:\n  - C\nx: 1\n");
    set_ok("f: [A, B]\n", "/f", json!(["A", "B", "C"]), "f: [A, B, C]\n");
    set_ok("f:\n- A\nx: 1\n", "/f", json!(["A", "B"]), "f:\n- A\n- B\nx: 1\n");
}

// ---- set: inserting keys ----

#[test]
fn insert_after_the_last_key_before_trailing_comments() {
    set_ok("a: 1\nb: 2\n# trailing\n", "/c", json!("x"), "a: 1\nb: 2\nc: x\n# trailing\n");
    set_ok(
        "accounts:\n  - name: a\n    accountId: 1\n  # next one\n  - name: b\n",
        "/accounts/0/env",
        json!("qa"),
        "accounts:\n  - name: a\n    accountId: 1\n    env: qa\n  # next one\n  - name: b\n",
    );
}

#[test]
fn insert_creates_missing_mappings() {
    set_ok(
        "accounts:\n  - name: a\n    accountId: 1\n",
        "/accounts/0/auth/tokenInfo/accessToken",
        json!("t"),
        "accounts:\n  - name: a\n    accountId: 1\n    auth:\n      tokenInfo:\n        accessToken: t\n",
    );
    set_ok("a: 1\n", "/b/c", json!({}), "a: 1\nb:\n  c: {}\n");
}

#[test]
fn insert_follows_a_four_space_indent() {
    set_ok(
        "accounts:\n    -   name: a\n        auth:\n            tokenInfo: {}\nx: 1\n",
        "/accounts/0/auth/tokenInfo",
        json!({"accessToken": "t"}),
        "accounts:\n    -   name: a\n        auth:\n            tokenInfo:\n                accessToken: t\nx: 1\n",
    );
    set_ok("a:\n    b: 1\n", "/c", json!({"d": {"e": 1}}), "a:\n    b: 1\nc:\n    d:\n        e: 1\n");
}

#[test]
fn insert_into_flow_mappings() {
    set_ok(
        "auth: {tokenInfo: {}}\n",
        "/auth/tokenInfo/accessToken",
        json!("t"),
        "auth: {tokenInfo: {accessToken: t}}\n",
    );
    set_ok("a: {x: 1}\n", "/a/z", json!([1, "a,b"]), "a: {x: 1, z: [1, 'a,b']}\n");
    set_ok("a: {x: 1}  # c\n", "/a/z", json!(2), "a: {x: 1, z: 2}  # c\n");
    // An empty `{}` under a block key becomes a block mapping, as js-yaml would write it.
    set_ok("a: {} # c\n", "/a/b", json!(1), "a: # c\n  b: 1\n");
}

#[test]
fn crlf_files_stay_crlf() {
    set_ok("a: 1\r\nb:\r\n  c: 2\r\n", "/b/d", json!(3), "a: 1\r\nb:\r\n  c: 2\r\n  d: 3\r\n");
    set_ok("a: 1\r\n", "/b", json!({"c": [1]}), "a: 1\r\nb:\r\n  c:\r\n    - 1\r\n");
    remove_ok("a: 1\r\nb: 2\r\nc: 3\r\n", "/b", "a: 1\r\nc: 3\r\n");
    append_ok("l:\r\n  - a\r\n", "/l", json!("b"), "l:\r\n  - a\r\n  - b\r\n");
}

#[test]
fn no_trailing_newline_stays_so() {
    set_ok("a: 1", "/b", json!(2), "a: 1\nb: 2");
    remove_ok("a: 1\nb: 2", "/b", "a: 1");
    append_ok("l:\n  - a", "/l", json!("b"), "l:\n  - a\n  - b");
}

#[test]
fn empty_and_comment_only_documents() {
    set_ok("", "/accounts", json!([]), "accounts: []\n");
    set_ok("", "/a/b", json!(1), "a:\n  b: 1\n");
    set_ok("# just a comment\n", "/x", json!(1), "# just a comment\nx: 1\n");
    set_ok("# just a comment", "/x", json!(1), "# just a comment\nx: 1\n");
    append_ok("", "/accounts", json!({"name": "a", "accountId": 1}), "accounts:\n  - name: a\n    accountId: 1\n");
}

#[test]
fn set_refuses_scalars_as_parents_and_broken_files() {
    let text = "a: 1\n";
    assert!(matches!(set(text, &parse(text), "/a/b", &json!(1)), Err(EditError::NotAContainer { .. })));
    let bad = "a: [\n";
    assert!(matches!(set(bad, &parse(bad), "/a", &json!(1)), Err(EditError::Unparsable { .. })));
    let text = "l: [1]\n";
    assert!(matches!(set(text, &parse(text), "/l/5", &json!(1)), Err(EditError::NotFound { .. })));
}

#[test]
fn set_past_the_end_of_a_sequence_appends() {
    set_ok("l:\n  - 1\n", "/l/1", json!(2), "l:\n  - 1\n  - 2\n");
}

#[test]
fn keys_are_quoted_when_needed() {
    set_ok("a: 1\n", "/123", json!("v"), "a: 1\n'123': v\n");
    set_ok("a: 1\n", "/x: y", json!("v"), "a: 1\n'x: y': v\n");
}

// ---- remove ----

#[test]
fn remove_keys_and_items_with_their_lines() {
    remove_ok("a: 1 # c\nb:\n  c: 2\n  # inside b\nd: 3\n", "/b", "a: 1 # c\nd: 3\n");
    remove_ok("a: 1\nb: 2\n", "/a", "b: 2\n");
    remove_ok(
        "accounts:\n  - name: a\n    accountId: 1\n  - name: b\n    accountId: 2\n# end\n",
        "/accounts/0",
        "accounts:\n  - name: b\n    accountId: 2\n# end\n",
    );
    remove_ok(
        "accounts:\n- name: a\n  accountId: 1\n- name: b\n",
        "/accounts/1",
        "accounts:\n- name: a\n  accountId: 1\n",
    );
}

#[test]
fn a_removed_item_takes_the_comment_lines_directly_above_it() {
    let text = "accounts:\n  # prod: the real one\n  - name: a\n    accountId: 1\n\n  # a sandbox\n  # (for tests)\n  - name: b\n    accountId: 2\n  - name: c\n";
    remove_ok(text, "/accounts/1", "accounts:\n  # prod: the real one\n  - name: a\n    accountId: 1\n\n  - name: c\n");
    remove_ok(
        text,
        "/accounts/0",
        "accounts:\n\n  # a sandbox\n  # (for tests)\n  - name: b\n    accountId: 2\n  - name: c\n",
    );
    // Not a comment at another column, nor one across a blank line, nor a key's.
    remove_ok("l:\n# list\n  - a\n  - b\n", "/l/0", "l:\n# list\n  - b\n");
    remove_ok("l:\n  # about b\n\n  - a\n  - b\n", "/l/0", "l:\n  # about b\n\n  - b\n");
    remove_ok("# my config\ndefaultAccount: 1\nx: 2\n", "/defaultAccount", "# my config\nx: 2\n");
    remove_ok("a:\n  # the token\n  t: x\n  u: y\n", "/a/t", "a:\n  # the token\n  u: y\n");
}

#[test]
fn remove_the_first_key_of_a_sequence_item() {
    remove_ok("l:\n  - name: a\n    id: 1\n", "/l/0/name", "l:\n  - id: 1\n");
}

#[test]
fn removing_the_only_entry_leaves_an_empty_collection() {
    remove_ok(
        "auth:\n  tokenInfo:\n    accessToken: x\nz: 1\n",
        "/auth/tokenInfo/accessToken",
        "auth:\n  tokenInfo: {}\nz: 1\n",
    );
    remove_ok("accounts:\n  - name: a\n    id: 1\nx: 1\n", "/accounts/0", "accounts: []\nx: 1\n");
    remove_ok("l:\n  - name: a\n", "/l/0/name", "l:\n  - {}\n");
    remove_ok("a: 1\n", "/a", "{}\n");
}

#[test]
fn remove_in_flow_collections() {
    remove_ok("a: {x: 1, y: 2, z: 3}\n", "/a/y", "a: {x: 1, z: 3}\n");
    remove_ok("a: {x: 1, y: 2}\n", "/a/y", "a: {x: 1}\n");
    remove_ok("a: {x: 1}\n", "/a/x", "a: {}\n");
    remove_ok("f: [A, B]\n", "/f/0", "f: [B]\n");
    remove_ok(
        "accounts:\n  - {name: a, accountId: 1}\n  - {name: b, accountId: 2}\n",
        "/accounts/0",
        "accounts:\n  - {name: b, accountId: 2}\n",
    );
}

#[test]
fn remove_missing_is_an_error() {
    let text = "a: 1\n";
    assert_eq!(remove(text, &parse(text), "/b"), Err(EditError::NotFound { pointer: "/b".into() }));
}

// ---- append ----

#[test]
fn append_to_block_sequences_in_both_indent_styles() {
    append_ok(
        "accounts:\n  - name: a\nx: 1\n",
        "/accounts",
        json!({"name": "b", "accountId": 2}),
        "accounts:\n  - name: a\n  - name: b\n    accountId: 2\nx: 1\n",
    );
    append_ok(
        "accounts:\n- name: a\n",
        "/accounts",
        json!({"name": "b", "auth": {"tokenInfo": {}}}),
        "accounts:\n- name: a\n- name: b\n  auth:\n    tokenInfo: {}\n",
    );
}

#[test]
fn append_to_an_empty_list_makes_a_block_sequence() {
    append_ok(
        "accounts: []\n",
        "/accounts",
        json!({"name": "a", "accountId": 1}),
        "accounts:\n  - name: a\n    accountId: 1\n",
    );
    append_ok("x: 1\naccounts: [] # none yet\n", "/accounts", json!("a"), "x: 1\naccounts: # none yet\n  - a\n");
    append_ok("accounts:\n", "/accounts", json!(1), "accounts:\n  - 1\n");
}

#[test]
fn append_to_flow_sequences_and_missing_ones() {
    append_ok("flags: [A]\n", "/flags", json!("B"), "flags: [A, B]\n");
    append_ok("a: 1\n", "/flags", json!("B"), "a: 1\nflags:\n  - B\n");
    append_ok("a: {l: []}\n", "/a/l", json!("x, y"), "a: {l: ['x, y']}\n");
}

#[test]
fn append_to_a_non_sequence_is_an_error() {
    let text = "a: 1\n";
    assert!(matches!(append(text, &parse(text), "/a", &json!(1)), Err(EditError::NotASequence { .. })));
}

// ---- rename_key ----

#[test]
fn rename_keeps_the_value_text() {
    let out =
        run("portals: # old\n  - portalId: 1 # id\n", |t, tr| rename_key(t, tr, "/portals/0/portalId", "accountId"));
    assert_eq!(out, "portals: # old\n  - accountId: 1 # id\n");
    let out = run("{a: 1}\n", |t, tr| rename_key(t, tr, "/a", "b,c"));
    assert_eq!(out, "{'b,c': 1}\n");
    let text = "a: 1\nb: 2\n";
    assert!(matches!(rename_key(text, &parse(text), "/a", "b"), Err(EditError::KeyExists { .. })));
}
