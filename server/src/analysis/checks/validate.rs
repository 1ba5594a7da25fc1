//! `validateConfig`'s per-account checks, on the account as the CLI holds it after
//! normalisation (a `portals` entry's `portalId` or `accountId`): what it rejects, and the
//! names it crashes on (docs/hubspot-cli.md, *What the CLI validates*).

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic};
use crate::analysis::schema::required_message;
use crate::hubspot::model::truthy;
use crate::syntax::{Node, Tree};

use super::accounts::Entry;

/// The keys whose absence the schema would report as `required`: here instead, judged as the
/// CLI judges them (falsy counts as missing: `accountId: 0`, `personalAccessKey: ''`).
pub const JUDGED_HERE: [&str; 6] = ["accountId", "portalId", "authType", "personalAccessKey", "auth", "apiKey"];

/// The id the CLI reads: a truthy `portalId` of a `portals` entry, else `accountId`.
pub fn id_of<'a>(e: &Entry<'a>) -> Option<&'a Value> {
    match e.get(e.id_key).filter(|v| truthy(v)) {
        Some(v) => Some(v),
        None => e.get("accountId"),
    }
}

/// `validateConfigAccount`, then the name checks that crash: each failure is an error.
pub fn account(e: &Entry<'_>, node: Node<'_>, tree: &Tree, out: &mut Vec<Diagnostic>) {
    let Some(map) = e.map else { return }; // not a mapping: the schema's `type` finding
                                           // Missing things cannot be judged on a tree cut short by a syntax error.
    let missing = |key: &str| tree.complete && !map.get(key).is_some_and(truthy);
    let place = |key: &str| match map.get(key) {
        Some(_) => node.value_range(&[key]),
        None => node.first_key_range(),
    };
    let id = id_of(e);
    if tree.complete && !id.is_some_and(truthy) {
        let key = if map.contains_key(e.id_key) { e.id_key } else { "accountId" };
        let mut msg = required_message("accountId", None);
        if id.is_some() {
            msg.push_str(" An id of 0 or an empty one counts as missing.");
        }
        out.push(Diagnostic::error(Code::Required, place(key), msg));
        return; // the CLI checks nothing else of this account
    }
    // The message names the account by id; built only for an account that has a finding.
    let message = |key: &str| {
        let id_text = id.map(|v| v.to_string());
        let parent = serde_json::json!({ "accountId": id_text.as_deref().map(|t| t.trim_matches('"')) });
        required_message(key, Some(&parent))
    };
    if missing("authType") {
        out.push(Diagnostic::error(Code::Required, place("authType"), message("authType")));
        return;
    }
    let needs = match e.auth_type() {
        Some("personalaccesskey") => "personalAccessKey",
        Some("oauth2") => "auth",
        Some("apikey") => "apiKey",
        _ => return,
    };
    if missing(needs) {
        let mut msg = message(needs);
        if map.contains_key(needs) {
            msg.push_str(" An empty value counts as missing.");
        }
        out.push(Diagnostic::error(Code::Required, place(needs), msg));
    }
}
