//! All findings for one document.

use std::borrow::Cow;

use super::checks;
use super::diagnostic::{Code, Diagnostic};
use super::document::{DocKind, SourceFile};
use super::schema::SchemaKind;
use super::world::World;
use crate::hubspot::credentials::Credentials;
use crate::syntax::Tree;

/// What makes the CLI's `validateConfig` refuse a config whatever else it holds:
/// the CLI runs it before most commands and stops there, `hs config migrate` on
/// the global config among them. Not the type errors the CLI crashes on, nor
/// names that differ only in case (it sees only some of those).
const CLI_REFUSES: [Code; 5] =
    [Code::Syntax, Code::NoAccounts, Code::Required, Code::DuplicateAccountId, Code::NameWhitespace];

/// The first finding in `file` (a config) that makes the CLI refuse it, if any.
pub fn cli_refusal(file: &SourceFile) -> Option<Diagnostic> {
    let tree = file.tree.as_deref()?;
    let mut out: Vec<Diagnostic> =
        tree.errors.iter().map(|e| Diagnostic::error(Code::Syntax, e.range, e.message.clone())).collect();
    config_checks(tree, &mut out);
    out.retain(|d| CLI_REFUSES.contains(&d.code));
    let first = out.into_iter().min_by_key(|d| (d.range.start, d.range.end))?;
    Some(without_credentials(Some(tree), vec![first]).remove(0))
}

pub fn compute(file: &SourceFile, world: &World) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(tree) = &file.tree {
        for e in &tree.errors {
            out.push(Diagnostic::error(Code::Syntax, e.range, e.message.clone()));
        }
    }
    match (file.kind, file.tree.as_deref()) {
        (DocKind::GlobalConfig | DocKind::LegacyConfig, Some(tree)) => {
            config_checks(tree, &mut out);
            if file.kind == DocKind::LegacyConfig {
                checks::legacy::check(file, world, &mut out);
            } else {
                checks::files::permissions(&file.path, &file.text, &mut out);
            }
            checks::files::in_git(&file.path, &file.text, tree, &mut out);
        }
        (DocKind::Settings, Some(tree)) => {
            checks::schema_findings::check(SchemaKind::Settings, tree, &mut out);
            checks::settings::check(file, tree, world, &mut out);
        }
        (DocKind::HsAccount, _) => checks::hsaccount::check(file, world, &mut out),
        _ => {}
    }
    checks::files::env_conflict(world, &file.text, &mut out);
    out.sort_by_key(|d| (d.range.start, d.range.end));
    out.dedup_by(|a, b| a.code == b.code && a.range == b.range);
    without_credentials(file.tree.as_deref(), out)
}

/// No finding quotes a credential: neither a value of the file's credential keys (wherever it
/// appears) nor a key-shaped value pasted elsewhere (`defaultAccount: pat-…`); they show
/// redacted.
fn without_credentials(tree: Option<&Tree>, mut out: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if out.is_empty() {
        return out;
    }
    let credentials = tree.map(Credentials::of).unwrap_or_default();
    for d in &mut out {
        if let Cow::Owned(message) = credentials.scrub(&d.message) {
            d.message = message;
        }
    }
    out
}

/// What a config says by itself: its schema findings and the checks of its accounts.
fn config_checks(tree: &Tree, out: &mut Vec<Diagnostic>) {
    checks::schema_findings::check(SchemaKind::Config, tree, out);
    checks::config::check(tree, out);
}
