//! Semantic checks of a global or legacy config: what `validateConfig` rejects, and the
//! mistakes the CLI lets through (spec 5.1, 8.3, 8.5).

use std::collections::hash_map::Entry as Slot;

use rustc_hash::{FxHashMap, FxHashSet};

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic, Tag};
use crate::hubspot::model::truthy;
use crate::syntax::{Node, TextRange, Tree};

use super::accounts::{list_key, Entry};
use super::items::{self, ItemMemo, Parent, Placed};
use crate::hubspot::model::{self, parse_int_js};

/// `hs config set` refuses less (spec 1.9); reads take anything.
const MIN_HTTP_TIMEOUT: u32 = 3000;
use super::dates::parses_as_date;

pub fn check(tree: &Tree, memo: &ItemMemo, out: &mut Vec<Diagnostic>) {
    let root = tree.value.as_object();
    let facts = items::check(tree, memo, out);
    top_level(tree, &facts, out);
    if tree.complete {
        no_accounts(tree, root.is_some(), !facts.is_empty(), out);
    }
    duplicates(&facts, out);
    let index = Index::new(&facts);
    for f in &facts {
        parent(f, &index, out);
    }
}

/// What `find` answers, for many questions: the accounts by numeric id and by name. Each
/// `parentAccountId` used to scan the whole list (quadratic in sandboxes). Built from the
/// accounts' inline keys, not their reports (see [`items::Keys`]).
struct Index<'a> {
    accounts: &'a [Placed<'a>],
    ids: FxHashSet<i64>,
    /// Name hash -> an account with a name of that hash.
    names: FxHashMap<u64, usize>,
}

impl<'a> Index<'a> {
    fn new(accounts: &'a [Placed<'a>]) -> Self {
        let (mut ids, mut names) = (FxHashSet::default(), FxHashMap::default());
        ids.reserve(accounts.len());
        names.reserve(accounts.len());
        ids.extend(accounts.iter().filter_map(|a| a.keys.int_id));
        for (i, a) in accounts.iter().enumerate() {
            if let Some(h) = a.keys.name {
                names.entry(h).or_insert(i);
            }
        }
        Index { accounts, ids, names }
    }

    /// Whether `find(entries, ident)` finds an account.
    fn resolves(&self, ident: &Value) -> bool {
        let as_id = match ident {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => parse_int_js(s),
            _ => None,
        };
        if as_id.is_some_and(|id| self.ids.contains(&id)) {
            return true;
        }
        match ident {
            Value::String(s) => self.has_name(s),
            Value::Number(n) => self.has_name(&n.to_string()),
            _ => false,
        }
    }

    fn has_name(&self, name: &str) -> bool {
        match self.names.get(&items::key_hash(name)) {
            None => false,
            Some(&i) if self.accounts[i].name() == Some(name) => true,
            // Another name of the same hash: look at them all.
            Some(_) => self.accounts.iter().any(|a| a.name() == Some(name)),
        }
    }
}

/// The first account with each text (an id's, a folded name's), found by the texts' hashes;
/// a text whose hash meets another text's is kept by its text.
struct FirstSeen<'a> {
    by_hash: FxHashMap<u64, usize>,
    by_text: FxHashMap<&'a str, usize>,
}

impl<'a> FirstSeen<'a> {
    fn with_capacity(n: usize) -> Self {
        let mut by_hash = FxHashMap::default();
        by_hash.reserve(n);
        FirstSeen { by_hash, by_text: FxHashMap::default() }
    }

    /// The account seen before `i` with `text(i)` (of hash `hash`), else `i` is noted as the first.
    fn earlier(&mut self, hash: u64, i: usize, text: impl Fn(usize) -> &'a str) -> Option<usize> {
        match self.by_hash.entry(hash) {
            Slot::Vacant(v) => {
                v.insert(i);
                None
            }
            Slot::Occupied(o) if text(*o.get()) == text(i) => Some(*o.get()),
            Slot::Occupied(_) => match self.by_text.entry(text(i)) {
                Slot::Occupied(o) => Some(*o.get()),
                Slot::Vacant(v) => {
                    v.insert(i);
                    None
                }
            },
        }
    }
}

fn top_level(tree: &Tree, facts: &[Placed], out: &mut Vec<Diagnostic>) {
    let Some(root) = tree.value.as_object() else { return };
    let key = |k: &str| tree.key_range(&format!("/{k}")).unwrap_or_default();
    let value = |k: &str| tree.value_range(&format!("/{k}")).unwrap_or_default();

    if root.contains_key("portals") {
        out.push(
            Diagnostic::warning(Code::Deprecated, key("portals"), "`portals` is the legacy name of `accounts` (entries use `portalId`). The CLI still reads it; `hs config migrate` rewrites it as `accounts`.")
                .with_tag(Tag::Deprecated),
        );
        if root.contains_key("accounts") {
            out.push(Diagnostic::error(
                Code::PortalsReplaceAccounts,
                key("accounts"),
                "Both `accounts` and `portals` are present: the CLI replaces `accounts` with the converted `portals`, so every account listed here is silently ignored (and dropped on the next write). Move these entries into one list.",
            ));
        }
    }
    if root.contains_key("defaultPortal") {
        out.push(
            Diagnostic::warning(Code::Deprecated, key("defaultPortal"), "`defaultPortal` is the legacy form of `defaultAccount` (it holds an account name; `defaultAccount` holds the id).")
                .with_tag(Tag::Deprecated),
        );
    }
    if let Some(mode) = root.get("defaultMode") {
        let mut msg = String::from("`defaultMode` is the legacy name of `defaultCmsPublishMode`.");
        if root.contains_key("defaultCmsPublishMode") && mode.as_str().is_some_and(|s| !s.is_empty()) {
            msg.push_str(" The CLI copies it over `defaultCmsPublishMode` on read, so this value wins.");
        }
        out.push(Diagnostic::warning(Code::Deprecated, key("defaultMode"), msg).with_tag(Tag::Deprecated));
    }
    if let Some(n) = root.get("httpTimeout").and_then(Value::as_f64) {
        if n < MIN_HTTP_TIMEOUT as f64 {
            let msg = if n == 0.0 {
                "`httpTimeout: 0` means the default of 15000 ms to the CLI; remove it or set at least 3000.".to_string()
            } else {
                format!("`httpTimeout` is {n} ms, below the CLI's minimum of {MIN_HTTP_TIMEOUT}: the CLI uses it as-is when reading (requests may time out), but `hs config set` refuses it.")
            };
            out.push(Diagnostic::warning(Code::HttpTimeoutLow, value("httpTimeout"), msg));
        }
    }
    default_account(tree, facts, out);
}

fn default_account(tree: &Tree, facts: &[Placed], out: &mut Vec<Diagnostic>) {
    let Some(root) = tree.value.as_object() else { return };
    // `defaultPortal` is only consulted when truthy, and resolves against the accounts the
    // CLI ends up with (after `portals` replaced `accounts`).
    for key in ["defaultAccount", "defaultPortal"] {
        let Some(v) = root.get(key) else { continue };
        if !truthy(v) || v.is_object() || v.is_array() {
            continue;
        }
        if model::find_by_identifier(facts, v, Placed::int_id, Placed::name).is_none() {
            let shown = match v {
                Value::String(s) => format!("\"{s}\""),
                other => other.to_string(),
            };
            let mut msg = format!("`{key}` is {shown}, but no account has that id or name: commands without `--account` fail with \"An account needs to be supplied\".");
            if matches!(v, Value::String(s) if s.trim().parse::<i64>().is_ok()) {
                msg.push_str(" Note the id is quoted: write it as a number.");
            }
            out.push(Diagnostic::error(
                Code::DefaultAccountUnknown,
                tree.value_range(&format!("/{key}")).unwrap_or_default(),
                msg,
            ));
        }
    }
}

fn no_accounts(tree: &Tree, is_mapping: bool, has_entries: bool, out: &mut Vec<Diagnostic>) {
    let list = list_key(tree);
    let list_value = list.and_then(|k| tree.value.get(k));
    let empty = match list_value {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        _ => false, // a wrong type is the schema's `type` finding
    };
    if !empty || has_entries {
        return;
    }
    let (range, msg) = match list {
        Some(k) => (
            tree.key_range(&format!("/{k}")).unwrap_or_default(),
            format!("`{k}` is empty: every `hs` command fails with \"No accounts found\". Add an account with `hs account auth` (or the Authenticate action)."),
        ),
        None if is_mapping => (
            tree.first_key_range("").unwrap_or_default(),
            "No `accounts` list: every `hs` command fails with \"No accounts found\". Add an account with `hs account auth` (or the Authenticate action).".to_string(),
        ),
        None if tree.value.is_null() => (
            TextRange::empty(0),
            "The config is empty: the CLI cannot read an empty file (it reports \"No config file found\"). Add `accounts:` with at least one account, or run `hs account auth`.".to_string(),
        ),
        None => return, // not a mapping at all: the schema's `type` finding says so
    };
    out.push(Diagnostic::error(Code::NoAccounts, range, msg));
}

fn duplicates(accounts: &[Placed], out: &mut Vec<Diagnostic>) {
    // `validateConfig` keys its seen-map by the id as an object key, so `123` and '123' collide.
    let mut ids = FirstSeen::with_capacity(accounts.len());
    let mut names = FirstSeen::with_capacity(accounts.len());
    let id_text = |i: usize| accounts[i].id_text().map_or("", |(k, _)| k);
    let folded = |i: usize| accounts[i].folded_name().map_or("", |(f, _)| f);
    for (i, a) in accounts.iter().enumerate() {
        if let Some(first) = a.keys.id_text.and_then(|h| ids.earlier(h, i, id_text)) {
            if let Some((k, range)) = a.id_text() {
                let first = accounts[first].name().map(|n| format!(" (`{n}`)")).unwrap_or_default();
                out.push(Diagnostic::error(
                    Code::DuplicateAccountId,
                    range,
                    format!("Account id {k} is already used by an earlier account{first}: the CLI rejects the config (\"Multiple accounts with accountId: {k}\"). Remove one of them."),
                ));
            }
        }
        if let Some(first) = a.keys.folded_name.and_then(|h| names.earlier(h, i, folded)) {
            if let (Some(name), Some((folded, range)), Some(first)) =
                (a.name(), a.folded_name(), accounts[first].name())
            {
                // The CLI's own check only fires when the earlier name is exactly the
                // lowercase form of this one (spec 5.1).
                let cli_sees_it = first == folded;
                let consequence = if cli_sees_it {
                    format!("the CLI rejects the config (\"Multiple accounts with name: {name}\")")
                } else {
                    "the CLI does not notice (its check is case-sensitive in one direction), but `--account` and `defaultAccount` by name silently pick the first one".to_string()
                };
                out.push(Diagnostic::error(
                    Code::DuplicateAccountName,
                    range,
                    format!("Account name \"{name}\" is already used by an earlier account (\"{first}\", ignoring case): {consequence}. Rename one of them."),
                ));
            }
        }
    }
}

/// `parent-account-unknown`: a sandbox whose parent is not configured.
fn parent(a: &Placed, all: &Index<'_>, out: &mut Vec<Diagnostic>) {
    // From the inline keys; the report itself only for a warning, or a number found (if at
    // all) by its text.
    let found = match a.keys.parent {
        Parent::Missing | Parent::Null => return,
        Parent::Int(id) => all.ids.contains(&id) || all.has_name(&id.to_string()),
        Parent::OtherNumber => a.parent().is_some_and(|(p, _)| all.resolves(p)),
        Parent::NotNumber => false,
    };
    if found {
        return;
    }
    let Some((parent, range)) = a.parent() else { return };
    out.push(Diagnostic::warning(
        Code::ParentAccountUnknown,
        range,
        format!("`parentAccountId` {parent} names no account in this config: `hs sandbox delete` needs the parent account to be configured."),
    ));
}

/// The checks of one account that look at it alone; `node` is where the account is,
/// `complete` whether the tree holding it is.
pub(super) fn account(e: &Entry<'_>, node: Node<'_>, complete: bool, out: &mut Vec<Diagnostic>) {
    let Some(map) = e.map else { return };
    let key_range = |k: &str| node.key_range(&[k]);
    let value_range = |k: &str| node.value_range(&[k]);

    if let Some(name) = e.name() {
        if name.chars().any(char::is_whitespace) {
            let fixed: String = name.split_whitespace().collect::<Vec<_>>().join("-");
            out.push(Diagnostic::error(
                Code::NameWhitespace,
                value_range("name"),
                format!("Account name \"{name}\" contains whitespace: the CLI rejects the config (\"Account name {name} contains spaces\"). Use `{fixed}`."),
            ));
        }
    }
    if e.id_key == "accountId" && map.contains_key("portalId") {
        out.push(
            Diagnostic::warning(
                Code::Deprecated,
                key_range("portalId"),
                "`portalId` is the legacy name of `accountId`.",
            )
            .with_tag(Tag::Deprecated),
        );
    } else if e.id_key == "portalId" && map.contains_key("portalId") {
        out.push(
            Diagnostic::warning(
                Code::Deprecated,
                key_range("portalId"),
                "`portalId` is the legacy name of `accountId` (`hs config migrate` renames it).",
            )
            .with_tag(Tag::Deprecated),
        );
    }
    if map.contains_key("sandboxAccountType") {
        let note = if map.contains_key("accountType") {
            " `accountType` is already set, so the CLI ignores this key."
        } else {
            " The CLI converts it to `accountType` on read."
        };
        out.push(
            Diagnostic::warning(
                Code::Deprecated,
                key_range("sandboxAccountType"),
                format!("`sandboxAccountType` is deprecated.{note}"),
            )
            .with_tag(Tag::Deprecated),
        );
    }
    if map.contains_key("defaultMode") {
        out.push(
            Diagnostic::warning(Code::Deprecated, key_range("defaultMode"), "`defaultMode` inside an account is ignored by the CLI (only the top-level one is renamed). Use `defaultCmsPublishMode`.")
                .with_tag(Tag::Deprecated),
        );
    }
    if e.auth_type() == Some("apikey") {
        out.push(
            Diagnostic::warning(Code::Deprecated, value_range("authType"), "HubSpot has retired developer API keys (`authType: apikey`). Re-authenticate this account with a personal access key (`hs account auth`).")
                .with_tag(Tag::Deprecated),
        );
    }
    if e.auth_type() == Some("personalaccesskey") && complete {
        let token_info = map.get("auth").and_then(Value::as_object).and_then(|a| a.get("tokenInfo"));
        if !token_info.is_some_and(Value::is_object) {
            let at = if map.contains_key("auth") { key_range("auth") } else { node.first_key_range() };
            out.push(Diagnostic::warning(
                Code::TokenInfoMissing,
                at,
                "This personal access key account has no `auth.tokenInfo` mapping: the CLI fails with a TypeError on every API call for it, and `hs account clean` skips it. Add `auth: {tokenInfo: {}}` or re-run `hs account auth`.",
            ));
        }
    }
    if let Some(expires) = map.get("auth").and_then(|a| a.get("tokenInfo")).and_then(|t| t.get("expiresAt")) {
        let ok = match expires {
            Value::String(s) => parses_as_date(s),
            Value::Number(_) => true, // epoch milliseconds: moment() accepts them
            _ => false,
        };
        if !ok {
            out.push(Diagnostic::warning(
                Code::ExpiresAtInvalid,
                node.value_range(&["auth", "tokenInfo", "expiresAt"]),
                "`expiresAt` is not a date: the CLI then never refreshes the cached access token and keeps sending it until HubSpot answers 401. Remove it (with `accessToken`) to force a refresh.",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn texts_whose_hashes_meet_are_still_told_apart() {
        let texts = ["a", "b", "a", "b", "c"];
        let mut seen = FirstSeen::with_capacity(texts.len());
        // Every text under the same hash: a collision at each step after the first.
        let got: Vec<_> = (0..texts.len()).map(|i| seen.earlier(7, i, |j| texts[j])).collect();
        assert_eq!(got, [None, None, Some(0), Some(1), None]);
    }

    #[test]
    fn the_index_answers_as_find_does() {
        let tree = crate::syntax::yaml::parse(
            "accounts:\n  - {name: '2024', accountId: 111}\n  - {name: b, accountId: '123'}\n  - {name: c, accountId: 2024}\n  - {name: '77', accountId: 5}\n",
        );
        let es = super::super::accounts::entries(&tree);
        let memo = ItemMemo::new(&tree);
        let facts = items::check(&tree, &memo, &mut Vec::new());
        let index = Index::new(&facts);
        for ident in [
            json!(2024),
            json!("2024"),
            json!(123),
            json!("b"),
            json!("111x"),
            json!(111),
            json!(77),
            json!(5),
            json!(6),
            json!("zz"),
            json!(1.5),
        ] {
            assert_eq!(index.resolves(&ident), super::super::accounts::find(&es, &ident).is_some(), "{ident}");
        }
    }
}
