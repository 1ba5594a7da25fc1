//! Completion: keys not yet present, enum and boolean values, account ids, a new account.

use serde_json::Value;

use crate::analysis::document::{DocKind, SourceFile};
use crate::analysis::schema::{keys_at, KeyDoc, SchemaKind};
use crate::analysis::world::World;
use crate::syntax::{TextRange, Tree};

use super::accounts::{account_source, all_accounts};
use super::context::{self, Context, Slot};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    Key,
    Value,
    Account,
    Snippet,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: ItemKind,
    pub detail: Option<String>,
    /// Markdown.
    pub documentation: Option<String>,
    pub insert_text: String,
    /// `insert_text` uses `${1:...}` placeholders.
    pub is_snippet: bool,
    pub replace: TextRange,
    pub deprecated: bool,
    pub sort_text: Option<String>,
}

pub struct Options {
    pub snippets: bool,
}

/// Keys whose value names an account.
fn is_account_key(kind: DocKind, pointer: &str) -> bool {
    let last = pointer.rsplit('/').next().unwrap_or("");
    match kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => {
            matches!(last, "defaultAccount" | "parentAccountId" | "defaultPortal")
        }
        DocKind::Settings => last == "localDefaultAccount" || pointer.starts_with("/accounts"),
        DocKind::HsAccount => true,
    }
}

pub fn complete(
    file: &SourceFile,
    last_good: Option<&Tree>,
    world: &World,
    offset: usize,
    opts: &Options,
) -> Vec<CompletionItem> {
    let (schema, ctx) = match file.kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => (SchemaKind::Config, context::yaml(&file.text, offset)),
        DocKind::Settings => (SchemaKind::Settings, context::json(&file.text, offset)),
        DocKind::HsAccount => return account_items(file, world, None, &hsaccount_ctx(&file.text, offset), false),
    };
    // The tree of the text as typed, or the last one that parsed, for what already exists.
    let tree = file.tree.as_deref().filter(|t| t.complete).or(last_good).or(file.tree.as_deref());
    let mut out = Vec::new();
    match &ctx.slot {
        Slot::Key => {
            out.extend(key_items(schema, file, tree, &ctx));
            if file.kind != DocKind::Settings && is_account_list(&ctx.parent) {
                out.push(new_account(&ctx, opts.snippets));
            }
        }
        Slot::Value { .. } | Slot::Item => {
            let pointer = ctx.pointer();
            if is_account_key(file.kind, &pointer) {
                let exclude = linked_already(file, tree, &ctx);
                out.extend(
                    account_items(file, world, tree, &ctx, file.kind == DocKind::Settings && ctx.slot == Slot::Item)
                        .into_iter()
                        .filter(|i| !exclude.contains(&i.insert_text)),
                );
            } else if let Some(doc) = crate::analysis::schema::doc_at(schema, &pointer) {
                out.extend(value_items(&doc, &ctx, file.kind == DocKind::Settings));
            }
        }
    }
    out
}

fn hsaccount_ctx(text: &str, offset: usize) -> Context {
    let offset = offset.min(text.len());
    // After the last whitespace character, which may be wider than a byte (U+00A0).
    let start =
        text[..offset].char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(i, c)| i + c.len_utf8());
    Context {
        parent: String::new(),
        slot: Slot::Item,
        prefix: text[start..offset].to_string(),
        replace: TextRange::new(start, offset),
        new_item: false,
        indent: 0,
    }
}

fn is_account_list(parent: &str) -> bool {
    let segs: Vec<&str> = parent.split('/').skip(1).collect();
    matches!(segs.as_slice(), [list, idx] if (*list == "accounts" || *list == "portals") && idx.parse::<usize>().is_ok())
}

fn key_items(schema: SchemaKind, file: &SourceFile, tree: Option<&Tree>, ctx: &Context) -> Vec<CompletionItem> {
    let existing = existing_keys(file, tree, ctx);
    let json = file.kind == DocKind::Settings;
    keys_at(schema, &ctx.parent)
        .into_iter()
        .filter(|(k, _)| !existing.contains(k) || ctx.prefix == *k)
        .map(|(key, doc)| {
            let insert_text = if json { format!("\"{key}\": ") } else { format!("{key}: ") };
            CompletionItem {
                label: key.clone(),
                kind: ItemKind::Key,
                detail: doc.title.clone().or_else(|| Some(doc.type_name.clone()).filter(|t| !t.is_empty())),
                documentation: Some(doc_markdown(&doc)),
                insert_text,
                is_snippet: false,
                replace: ctx.replace,
                deprecated: doc.deprecated,
                sort_text: Some(format!("{}{key}", if doc.deprecated { "z" } else { "a" })),
            }
        })
        .collect()
}

/// Keys already in the mapping: from the tree, plus sibling lines of a half-typed mapping.
fn existing_keys(file: &SourceFile, tree: Option<&Tree>, ctx: &Context) -> Vec<String> {
    let mut keys: Vec<String> = tree
        .and_then(|t| t.get(&ctx.parent))
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    if file.kind != DocKind::Settings {
        // Lines at the same indentation next to the cursor's line, until the block ends.
        let text = &*file.text;
        let line_start = text[..ctx.replace.start as usize].rfind('\n').map_or(0, |i| i + 1);
        let indent = ctx.indent;
        let scan = |lines: &mut dyn Iterator<Item = &str>, keys: &mut Vec<String>| {
            for l in lines {
                let spaces = l.len() - l.trim_start_matches([' ', '-']).len();
                if l.trim().is_empty() || l.trim_start().starts_with('#') {
                    continue;
                }
                if spaces < indent || (spaces == indent && l.trim_start().starts_with("- ")) {
                    break;
                }
                if spaces == indent {
                    if let Some((k, _)) = l.trim_start_matches([' ', '-']).split_once(':') {
                        keys.push(k.trim().to_string());
                    }
                }
            }
        };
        scan(&mut text[..line_start].lines().rev(), &mut keys);
        let after = text[ctx.replace.end as usize..].split_once('\n').map_or("", |(_, rest)| rest);
        scan(&mut after.lines(), &mut keys);
    }
    keys
}

fn doc_markdown(doc: &KeyDoc) -> String {
    let mut s = doc.description.clone();
    if !doc.enum_values.is_empty() {
        s.push_str(&format!(
            "\n\nAllowed: {}",
            doc.enum_values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(d) = &doc.default {
        s.push_str(&format!("\n\nDefault: `{d}`"));
    }
    if doc.deprecated {
        s.push_str("\n\n*Deprecated.*");
    }
    s
}

fn value_items(doc: &KeyDoc, ctx: &Context, json: bool) -> Vec<CompletionItem> {
    let mut values: Vec<String> = doc.enum_values.clone();
    if doc.type_name.contains("boolean") {
        values.extend(["true".to_string(), "false".to_string()]);
    }
    values
        .into_iter()
        .map(|v| CompletionItem {
            label: v.clone(),
            kind: ItemKind::Value,
            detail: None,
            documentation: Some(doc.description.clone()),
            insert_text: if json && v != "true" && v != "false" { format!("\"{v}\"") } else { v },
            is_snippet: false,
            replace: ctx.replace,
            deprecated: false,
            sort_text: None,
        })
        .collect()
}

/// Ids already listed in settings.json `accounts` (offered once only).
fn linked_already(file: &SourceFile, tree: Option<&Tree>, ctx: &Context) -> Vec<String> {
    if file.kind != DocKind::Settings || ctx.slot != Slot::Item {
        return Vec::new();
    }
    let mut ids: Vec<String> = tree
        .and_then(|t| t.get("/accounts"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_i64).map(|i| i.to_string()).collect())
        .unwrap_or_default();
    // Half-typed JSON may not parse at all: read the list's numbers from the text.
    let text = &*file.text;
    if let Some(list) = text.find("\"accounts\"").and_then(|k| text[k..].find('[').map(|b| k + b + 1)) {
        let end = text[list..].find(']').map_or(text.len(), |e| list + e);
        ids.extend(text[list..end].split(|c: char| !c.is_ascii_digit()).filter(|d| !d.is_empty()).map(String::from));
    }
    ids
}

fn account_items(
    file: &SourceFile,
    world: &World,
    tree: Option<&Tree>,
    ctx: &Context,
    _item: bool,
) -> Vec<CompletionItem> {
    let accounts = match file.kind {
        DocKind::GlobalConfig | DocKind::LegacyConfig => match tree {
            Some(t) => all_accounts(file, t),
            None => Vec::new(),
        },
        _ => account_source(file, world).map(|(src, t)| all_accounts(&src, &t)).unwrap_or_default(),
    };
    accounts
        .into_iter()
        .filter_map(|a| {
            let id = a.id?;
            let name = a.name.clone().unwrap_or_default();
            Some(CompletionItem {
                label: if name.is_empty() { id.to_string() } else { format!("{id} {name}") },
                kind: ItemKind::Account,
                detail: Some(format!(
                    "{}{}",
                    if name.is_empty() { "account".into() } else { name.clone() },
                    a.account_type.as_ref().map(|t| format!(" · {t}")).unwrap_or_default()
                )),
                documentation: Some(format!(
                    "**{}** — env `{}`, auth `{}`",
                    a.label(),
                    a.env,
                    a.auth_type.clone().unwrap_or_else(|| "?".into())
                )),
                insert_text: id.to_string(),
                is_snippet: false,
                replace: ctx.replace,
                deprecated: false,
                sort_text: None,
            })
        })
        .collect()
}

/// A whole new account entry, indented for the line it is typed on.
fn new_account(ctx: &Context, snippets: bool) -> CompletionItem {
    let pad = " ".repeat(ctx.indent);
    let lines = if snippets {
        [
            "name: ${1:account-name}",
            "accountId: ${2:12345678}",
            "authType: personalaccesskey",
            "personalAccessKey: ${3:paste-your-key}",
            "auth:",
            "  tokenInfo: {}$0",
        ]
    } else {
        [
            "name: account-name",
            "accountId: 12345678",
            "authType: personalaccesskey",
            "personalAccessKey: paste-your-key",
            "auth:",
            "  tokenInfo: {}",
        ]
    };
    let body = lines
        .iter()
        .enumerate()
        .map(|(i, l)| if i == 0 { l.to_string() } else { format!("{pad}{l}") })
        .collect::<Vec<_>>()
        .join("\n");
    CompletionItem {
        label: "New account".into(),
        kind: ItemKind::Snippet,
        detail: Some("a personal access key account".into()),
        documentation: Some("A complete account entry. Get a personal access key at https://app.hubspot.com/l/personal-access-key, or run `hs account auth`.".into()),
        insert_text: body,
        is_snippet: snippets,
        replace: ctx.replace,
        deprecated: false,
        sort_text: Some("zz".into()),
    }
}
