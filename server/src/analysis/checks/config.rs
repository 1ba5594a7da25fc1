//! Semantic checks of a global or legacy config: what `validateConfig` rejects, and the
//! mistakes the CLI lets through (see docs/hubspot-cli.md, *What the CLI validates*).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic, Severity, Tag};
use crate::hubspot::model::truthy;
use crate::syntax::{Node, TextRange, Tree};

use super::accounts::{list_key, Entry};
use crate::hubspot::model::{self, parse_int_js};

/// `hs config set` refuses values below this; reads take anything.
const MIN_HTTP_TIMEOUT: u32 = 3000;
use super::dates::parses_as_date;

pub fn check(tree: &Tree, out: &mut Vec<Diagnostic>) {
    let root = tree.value.as_object();
    let accounts = accounts(tree);
    for a in &accounts {
        account(&a.entry, a.node, tree.complete, out);
        super::validate::account(&a.entry, a.node, tree, out);
    }
    top_level(tree, &accounts, out);
    if tree.complete {
        no_accounts(tree, root.is_some(), !accounts.is_empty(), out);
    }
    duplicates(&accounts, out);
    let index = Index::new(&accounts);
    for a in &accounts {
        parent(a, &index, out);
    }
}

/// One account of the list the CLI uses, with the node its findings are placed on.
struct Account<'t> {
    entry: Entry<'t>,
    /// The item itself, or for an item without spans of its own (read through an alias)
    /// the nearest node above it.
    node: Node<'t>,
}

impl Account<'_> {
    fn name(&self) -> Option<&str> {
        self.entry.name()
    }

    /// The id when it is an integer (what the CLI finds an account by).
    fn int_id(&self) -> Option<i64> {
        self.entry.id().and_then(Value::as_i64)
    }

    /// The id's text as `validateConfig` compares ids (`123` and '123' alike), and where it is.
    fn id_text(&self) -> Option<(String, TextRange)> {
        let text = match self.entry.id()? {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        Some((text, self.node.value_range(&[self.entry.id_key_read()])))
    }
}

/// The accounts of the list the CLI uses (`portals` when present, else `accounts`).
fn accounts(tree: &Tree) -> Vec<Account<'_>> {
    let (Some(key), Some(root)) = (list_key(tree), tree.root()) else { return Vec::new() };
    let Some(Value::Array(items)) = tree.value.get(key) else { return Vec::new() };
    let list = root.child(key);
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let node = list.and_then(|l| l.item(i)).or(list).unwrap_or(root);
            Account { entry: super::accounts::entry(key, i, item), node }
        })
        .collect()
}

/// The accounts by integer id and by name, so that each `parentAccountId` is looked up
/// without a scan of the whole list (quadratic in sandboxes).
struct Index<'a> {
    ids: HashSet<i64>,
    names: HashSet<&'a str>,
}

impl<'a> Index<'a> {
    fn new(accounts: &'a [Account<'a>]) -> Self {
        Index {
            ids: accounts.iter().filter_map(Account::int_id).collect(),
            names: accounts.iter().filter_map(Account::name).collect(),
        }
    }

    /// Whether the CLI's lookup (an integer id, else a name) finds an account for `ident`.
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
            Value::String(s) => self.names.contains(s.as_str()),
            Value::Number(n) => self.names.contains(n.to_string().as_str()),
            _ => false,
        }
    }
}

fn top_level(tree: &Tree, accounts: &[Account], out: &mut Vec<Diagnostic>) {
    let Some(root) = tree.value.as_object() else { return };
    let key = |k: &str| tree.key_range(&format!("/{k}")).unwrap_or_default();
    let value = |k: &str| tree.value_range(&format!("/{k}")).unwrap_or_default();

    if root.contains_key("portals") {
        out.push(
            Diagnostic::warning(Code::Deprecated, key("portals"), "`portals` is the legacy name of `accounts` (entries use `portalId`). The CLI still reads it; `hs config migrate` rewrites it as `accounts`.")
                .with_tag(Tag::Deprecated),
        );
        // Only a truthy `portals` replaces `accounts`; `portals:` with no value is ignored.
        if root.contains_key("accounts") && root.get("portals").is_some_and(truthy) {
            out.push(Diagnostic::warning(
                Code::PortalsReplaceAccounts,
                key("accounts"),
                "Both `accounts` and `portals` are present: the CLI works, but with `portals` alone, so every account listed here is silently ignored (and dropped on the next write). Move these entries into one list.",
            ));
        }
    }
    if root.contains_key("defaultPortal") {
        let mut msg = String::from("`defaultPortal` is the legacy form of `defaultAccount` (it holds an account name; `defaultAccount` holds the id).");
        if let Some((portal, account)) = overridden_default(root, accounts) {
            msg.push_str(&format!(" It wins on read: the default account is {portal}, not `defaultAccount`'s {account}. Remove one of them."));
        }
        out.push(Diagnostic::warning(Code::Deprecated, key("defaultPortal"), msg).with_tag(Tag::Deprecated));
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
    default_account(tree, accounts, out);
}

/// When `defaultPortal` and `defaultAccount` both find an account, and not the same one: the
/// labels of the two (the CLI takes `defaultPortal`'s).
fn overridden_default(root: &serde_json::Map<String, Value>, accounts: &[Account]) -> Option<(String, String)> {
    let find = |key: &str| {
        let v = root.get(key).filter(|v| truthy(v))?;
        model::find_by_identifier(accounts, v, Account::int_id, Account::name)
    };
    let (portal, account) = (find("defaultPortal")?, find("defaultAccount")?);
    (!std::ptr::eq(portal, account)).then(|| (label(portal), label(account)))
}

fn label(a: &Account) -> String {
    match (a.name(), a.int_id()) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (Some(name), None) => name.to_string(),
        (None, Some(id)) => id.to_string(),
        (None, None) => "an account without name or id".into(),
    }
}

fn default_account(tree: &Tree, accounts: &[Account], out: &mut Vec<Diagnostic>) {
    let Some(root) = tree.value.as_object() else { return };
    // Only truthy values are consulted; `defaultPortal` resolves against the accounts the CLI
    // ends up with (after `portals` replaced `accounts`), and wins when it resolves.
    let consulted = |key: &str| root.get(key).filter(|v| truthy(v));
    let found = |v: &Value| model::find_by_identifier(accounts, v, Account::int_id, Account::name).is_some();
    let shown = |v: &Value| match v {
        Value::String(s) => format!("\"{s}\""),
        Value::Object(m) if m.contains_key("$date") => format!("the date {} (unquoted, a Date to the CLI)", m["$date"]),
        other => other.to_string(),
    };
    let range = |key: &str| tree.value_range(&format!("/{key}")).unwrap_or_default();
    let portal = consulted("defaultPortal");
    let portal_found = portal.is_some_and(found);
    let account = consulted("defaultAccount");
    if let Some(v) = portal.filter(|_| !portal_found) {
        let then = match account {
            Some(_) => "and uses `defaultAccount`",
            None => "so there is no default account (commands need `--account`)",
        };
        out.push(Diagnostic::warning(
            Code::DefaultAccountUnknown,
            range("defaultPortal"),
            format!("`defaultPortal` is {}, but no account has that id or name: the CLI drops it on read {then}. Remove it, or name an account.", shown(v)),
        ));
    }
    let Some(v) = account.filter(|v| !found(v)) else { return };
    let mut msg = format!("`defaultAccount` is {}, but no account has that id or name", shown(v));
    if matches!(v, Value::String(s) if s.trim().parse::<i64>().is_ok()) {
        msg.push_str(" (the id is quoted: write it as a number)");
    }
    if portal_found {
        msg.push_str(": the CLI uses `defaultPortal` instead, which wins on read. Remove one of them.");
        out.push(Diagnostic::warning(Code::DefaultAccountUnknown, range("defaultAccount"), msg));
    } else {
        msg.push_str(": commands without `--account` fail with \"An account needs to be supplied\".");
        out.push(Diagnostic::error(Code::DefaultAccountUnknown, range("defaultAccount"), msg));
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

fn duplicates(accounts: &[Account], out: &mut Vec<Diagnostic>) {
    // `validateConfig` keys its seen-map by the id as an object key, so `123` and '123' collide.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut names: HashMap<String, usize> = HashMap::new();
    let mut exact: HashSet<&str> = HashSet::new();
    for (i, a) in accounts.iter().enumerate() {
        if let Some((k, range)) = a.id_text().filter(|(k, _)| !k.is_empty()) {
            if let Some(&first) = ids.get(&k) {
                let first = accounts[first].name().map(|n| format!(" (`{n}`)")).unwrap_or_default();
                out.push(Diagnostic::error(
                    Code::DuplicateAccountId,
                    range,
                    format!("Account id {k} is already used by an earlier account{first}: the CLI rejects the config (\"Multiple accounts with accountId: {k}\"). Remove one of them."),
                ));
            } else {
                ids.insert(k, i);
            }
        }
        // An empty name is falsy: the CLI skips it.
        let Some(name) = a.name().filter(|n| !n.is_empty()) else { continue };
        let folded = name.to_lowercase();
        let cli_notices = exact.contains(folded.as_str());
        exact.insert(name);
        let Some(first) = names.get(&folded).and_then(|&f| accounts[f].name()) else {
            names.insert(folded, i);
            continue;
        };
        // The CLI's own check only fires when an earlier name is exactly the lowercase form
        // of this one; otherwise it works, and the clash is only a likely mistake.
        let (severity, consequence) = if cli_notices {
            (Severity::Error, format!("the CLI rejects the config (\"Multiple accounts with name: {name}\")"))
        } else {
            (Severity::Warning, "the CLI does not notice (its check is case-sensitive in one direction), but `--account` and `defaultAccount` by name silently pick the first one".to_string())
        };
        out.push(Diagnostic::new(
            Code::DuplicateAccountName,
            severity,
            a.node.value_range(&["name"]),
            format!("Account name \"{name}\" is already used by an earlier account (\"{first}\", ignoring case): {consequence}. Rename one of them."),
        ));
    }
}

/// `parent-account-unknown`: a sandbox whose parent is not configured.
fn parent(a: &Account, all: &Index<'_>, out: &mut Vec<Diagnostic>) {
    let Some(parent) = a.entry.get("parentAccountId") else { return };
    let found = match parent {
        Value::Null => return,
        // A number is found by id, or by its text as a name; anything else never is.
        Value::Number(_) => all.resolves(parent),
        _ => false,
    };
    if found {
        return;
    }
    out.push(Diagnostic::warning(
        Code::ParentAccountUnknown,
        a.node.value_range(&["parentAccountId"]),
        format!("`parentAccountId` {parent} names no account in this config: `hs sandbox delete` needs the parent account to be configured."),
    ));
}

/// The name with each whitespace run replaced by `-` (`my  sandbox` -> `my-sandbox`): what
/// `hs account rename` users write, and what the quick fix renames to.
pub(crate) fn dashed(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_space = false;
    for c in name.chars() {
        if model::is_js_whitespace(c) {
            if !in_space {
                out.push('-');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// The checks of one account that look at it alone; `node` is where the account is,
/// `complete` whether the tree holding it is.
fn account(e: &Entry<'_>, node: Node<'_>, complete: bool, out: &mut Vec<Diagnostic>) {
    let Some(map) = e.map else { return };
    let key_range = |k: &str| node.key_range(&[k]);
    let value_range = |k: &str| node.value_range(&[k]);

    if let Some(name) = e.name() {
        // The CLI tests `/\s+/`: JavaScript's whitespace, which is not quite Rust's.
        if name.chars().any(model::is_js_whitespace) {
            let fixed = dashed(name);
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
    // JavaScript holds integers exactly up to 2^53: a larger id is rounded on read.
    if let Some(n) = e.id().and_then(Value::as_f64).filter(|n| n.abs() >= 9_007_199_254_740_992.0) {
        out.push(Diagnostic::warning(
            Code::Type,
            value_range(e.id_key_read()),
            format!("This id is too large for the CLI (JavaScript) to hold exactly: it reads {n:e}, which is no HubSpot account id. Check the number."),
        ));
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
            Value::Object(m) => m.contains_key("$date"), // an unquoted date: a Date to the CLI
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
#[path = "config_tests.rs"]
mod tests;
