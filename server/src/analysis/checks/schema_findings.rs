//! Schema findings -> diagnostics, placed through the tree's pointer index.

use crate::analysis::diagnostic::{Code, Diagnostic, Severity};
use crate::analysis::schema::{validate, validate_top, FindingKind, SchemaFinding, SchemaKind};
use crate::syntax::Tree;

pub fn check(kind: SchemaKind, tree: &Tree, out: &mut Vec<Diagnostic>) {
    // An empty document is `no-accounts` (config) or a syntax matter (settings), not a type.
    if tree.value.is_null() {
        return;
    }
    place(tree, validate(kind, &tree.value), out);
}

/// A config's findings outside its account lists' items (those are `checks::items`').
pub fn check_config_top(tree: &Tree, out: &mut Vec<Diagnostic>) {
    if tree.value.is_null() {
        return;
    }
    place(tree, validate_top(&tree.value), out);
}

/// Findings -> diagnostics, at the ranges their pointers name in `tree`.
pub fn place(tree: &Tree, findings: Vec<SchemaFinding>, out: &mut Vec<Diagnostic>) {
    for f in findings {
        let (code, severity, range) = match &f.kind {
            FindingKind::UnknownKey { .. } => (Code::UnknownKey, Severity::Warning, tree.key_range(&f.pointer)),
            FindingKind::Type { .. } => (Code::Type, Severity::Error, tree.value_range(&f.pointer)),
            FindingKind::Enum { .. } => (Code::Enum, enum_severity(&f.pointer), tree.value_range(&f.pointer)),
            // Missing things cannot be judged on a tree cut short by a syntax error.
            FindingKind::Required { .. } if !tree.complete => continue,
            FindingKind::Required { .. } => (Code::Required, Severity::Error, tree.first_key_range(&f.pointer)),
            FindingKind::Other => (Code::Type, Severity::Error, tree.value_range(&f.pointer)),
        };
        out.push(Diagnostic::new(code, severity, range.unwrap_or_default(), f.message));
    }
}

/// `env` and `accountType` outside their sets still work (anything but `qa` is prod; an
/// unknown type only hides the account from `hs account list`), so those are warnings.
fn enum_severity(pointer: &str) -> Severity {
    match pointer.rsplit('/').next() {
        Some("env" | "accountType") => Severity::Warning,
        _ => Severity::Error,
    }
}
