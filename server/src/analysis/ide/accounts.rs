//! The accounts a document can refer to, and the references it makes.

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::Value;

use crate::analysis::checks::accounts::{entries, find, list_key, Entry};
use crate::analysis::checks::hsaccount::content_range;
use crate::analysis::document::{DocKind, SourceFile};
use crate::analysis::world::World;
use crate::hubspot::HubEnv;
use crate::syntax::tree::child_pointer;
use crate::syntax::{TextRange, Tree};

/// What hover, completion and inlay hints may show of an account: never a credential.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountInfo {
    pub id: Option<i64>,
    pub name: Option<String>,
    pub env: String,
    pub account_type: Option<String>,
    pub auth_type: Option<String>,
    pub expires_at: Option<String>,
    pub has_token: bool,
    /// Where the entry is: the config file and the entry's range there.
    pub path: PathBuf,
    pub entry: TextRange,
    pub name_range: Option<TextRange>,
}

impl AccountInfo {
    fn from_entry(e: &Entry<'_>, tree: &Tree, path: &std::path::Path) -> AccountInfo {
        let s = |k: &str| e.get(k).and_then(Value::as_str).map(String::from);
        let token = e.get("auth").and_then(|a| a.get("tokenInfo"));
        let spans = tree.spans(&e.pointer);
        AccountInfo {
            id: e.id().and_then(Value::as_i64),
            name: s("name"),
            env: HubEnv::parse(s("env").as_deref()).as_str().into(),
            account_type: s("accountType").or_else(|| s("sandboxAccountType").map(|t| format!("{t} (legacy)"))),
            auth_type: s("authType"),
            expires_at: token.and_then(|t| t.get("expiresAt")).and_then(Value::as_str).map(String::from),
            has_token: token.and_then(|t| t.get("accessToken")).and_then(Value::as_str).is_some_and(|t| !t.is_empty()),
            path: path.to_path_buf(),
            entry: spans.map(|s| s.entry).unwrap_or_default(),
            name_range: tree.spans(&child_pointer(&e.pointer, "name")).map(|s| s.value),
        }
    }

    pub fn label(&self) -> String {
        match (&self.name, self.id) {
            (Some(n), Some(id)) => format!("{n} ({id})"),
            (Some(n), None) => n.clone(),
            (None, Some(id)) => id.to_string(),
            (None, None) => "unnamed account".into(),
        }
    }
}

/// The config whose accounts a document refers to, with its tree: the document itself for a
/// config, else the config in force for its folder. A half-typed config falls back to
/// `fallback` (the last tree that parsed).
pub fn account_source(file: &SourceFile, world: &World) -> Option<(Arc<SourceFile>, Arc<Tree>)> {
    match file.kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => {
            let tree = file.tree.clone()?;
            Some((Arc::new(file.clone()), tree))
        }
        DocKind::Settings | DocKind::HsAccount => {
            let cfg = world.config_in_force(&file.directory()).file()?.clone();
            let tree = cfg.tree.clone()?;
            Some((cfg, tree))
        }
    }
}

pub fn all_accounts(source: &SourceFile, tree: &Tree) -> Vec<AccountInfo> {
    entries(tree).iter().map(|e| AccountInfo::from_entry(e, tree, &source.path)).collect()
}

pub fn lookup(source: &SourceFile, tree: &Tree, ident: &Value) -> Option<AccountInfo> {
    let es = entries(tree);
    find(&es, ident).map(|e| AccountInfo::from_entry(e, tree, &source.path))
}

/// A place in a document that names an account.
#[derive(Clone, Debug, PartialEq)]
pub struct AccountRef {
    pub range: TextRange,
    pub value: Value,
}

/// Every account reference in a document (`defaultAccount`, `parentAccountId`,
/// `localDefaultAccount`, `accounts` in settings.json, `.hsaccount`).
pub fn references(file: &SourceFile) -> Vec<AccountRef> {
    let mut out = Vec::new();
    let mut push = |tree: &Tree, pointer: &str| {
        if let (Some(v), Some(s)) = (tree.get(pointer), tree.spans(pointer)) {
            if v.is_number() || v.is_string() {
                out.push(AccountRef { range: s.value, value: v.clone() });
            }
        }
    };
    match (file.kind, file.tree.as_deref()) {
        (DocKind::GlobalConfig | DocKind::LegacyConfig, Some(tree)) => {
            push(tree, "/defaultAccount");
            push(tree, "/defaultPortal");
            for e in entries(tree) {
                push(tree, &child_pointer(&e.pointer, "parentAccountId"));
            }
        }
        (DocKind::Settings, Some(tree)) => {
            push(tree, "/localDefaultAccount");
            if let Some(Value::Array(items)) = tree.get("/accounts") {
                for i in 0..items.len() {
                    push(tree, &format!("/accounts/{i}"));
                }
            }
        }
        (DocKind::HsAccount, _) => {
            let range = content_range(&file.text);
            if !range.is_empty() {
                let word = range.slice(&file.text);
                let value = word.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(word));
                out.push(AccountRef { range, value });
            }
        }
        _ => {}
    }
    out.sort_by_key(|r| r.range.start);
    out
}

pub fn reference_at(file: &SourceFile, offset: usize) -> Option<AccountRef> {
    if let (DocKind::GlobalConfig | DocKind::LegacyConfig, Some(tree)) = (file.kind, file.tree.as_deref()) {
        // Only the nodes under the cursor can be the reference: look at those rather than
        // listing every account's (hover and definition were linear in the accounts).
        let list = list_key(tree);
        let mut found: Vec<AccountRef> = tree
            .pointers_at(offset)
            .into_iter()
            .filter(|(p, _)| is_config_reference(p, list))
            .filter_map(|(p, s)| {
                tree.get(&p)
                    .filter(|v| v.is_number() || v.is_string())
                    .map(|v| AccountRef { range: s.value, value: v.clone() })
            })
            .filter(|r| r.range.touches(offset))
            .collect();
        found.sort_by_key(|r| r.range.start);
        return found.into_iter().next();
    }
    references(file).into_iter().find(|r| r.range.touches(offset))
}

/// `/defaultAccount`, `/defaultPortal`, or `/<list>/<i>/parentAccountId` of the list in use.
fn is_config_reference(pointer: &str, list: Option<&str>) -> bool {
    if pointer == "/defaultAccount" || pointer == "/defaultPortal" {
        return true;
    }
    let mut segs = pointer.split('/').skip(1);
    match (segs.next(), segs.next(), segs.next(), segs.next()) {
        (Some(l), Some(i), Some("parentAccountId"), None) => Some(l) == list && i.parse::<usize>().is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_at_finds_what_references_lists() {
        let text = "defaultAccount: 2\ndefaultPortal: b\naccounts:\n  - name: a\n    accountId: 1\n    parentAccountId: 2\n  - name: b\n    accountId: 2\n    parentAccountId: x\n";
        let file = SourceFile::parse(PathBuf::from("/h/.hscli/config.yml"), DocKind::GlobalConfig, text);
        for offset in 0..=text.len() {
            let slow = references(&file).into_iter().find(|r| r.range.touches(offset));
            assert_eq!(reference_at(&file, offset), slow, "at {offset}");
        }
    }
}
