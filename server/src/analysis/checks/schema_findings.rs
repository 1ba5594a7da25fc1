//! Schema findings -> diagnostics, placed through the tree's pointer index.

use crate::analysis::diagnostic::{Code, Diagnostic, Severity};
use crate::analysis::schema::{validate, FindingKind, SchemaFinding, SchemaKind};
use crate::syntax::{Node, TextRange, Tree};

pub fn check(kind: SchemaKind, tree: &Tree, out: &mut Vec<Diagnostic>) {
    // An empty document is `no-accounts` (config) or a syntax matter (settings), not a type.
    if tree.value.is_null() {
        return;
    }
    place(tree, validate(kind, &tree.value), out);
}

/// Findings -> diagnostics, at the ranges their pointers name in `tree`.
pub fn place(tree: &Tree, findings: Vec<SchemaFinding>, out: &mut Vec<Diagnostic>) {
    match tree.root() {
        Some(root) => place_below(root, "", tree.complete, findings, out),
        // No spans at all: at the start of the file.
        None => findings
            .into_iter()
            .filter(|f| tree.complete || !f.kind.is_required())
            .for_each(|f| out.push(diagnostic(f, TextRange::default()))),
    }
}

/// As [`place`], for findings whose pointers all start with `prefix`, the pointer of
/// `node` (one account's findings, placed from the account's node).
pub fn place_below(
    node: Node<'_>,
    prefix: &str,
    complete: bool,
    findings: Vec<SchemaFinding>,
    out: &mut Vec<Diagnostic>,
) {
    for f in findings {
        // Missing things cannot be judged on a tree cut short by a syntax error.
        if f.kind.is_required() && !complete {
            continue;
        }
        let (at, exact) = node.walk(f.pointer.strip_prefix(prefix).unwrap_or(&f.pointer));
        let range = match &f.kind {
            FindingKind::UnknownKey { .. } => at.key_range(&[]),
            FindingKind::Required { .. } if exact => at.first_key_range(),
            FindingKind::Required { .. } => at.key_range(&[]),
            FindingKind::Type { .. } | FindingKind::Enum { .. } | FindingKind::Other => at.spans().value,
        };
        out.push(diagnostic(f, range));
    }
}

fn diagnostic(f: SchemaFinding, range: TextRange) -> Diagnostic {
    let (code, severity) = match &f.kind {
        FindingKind::UnknownKey { .. } => (Code::UnknownKey, Severity::Warning),
        FindingKind::Type { .. } | FindingKind::Other => (Code::Type, Severity::Error),
        FindingKind::Enum { .. } => (Code::Enum, enum_severity(&f.pointer)),
        FindingKind::Required { .. } => (Code::Required, Severity::Error),
    };
    Diagnostic::new(code, severity, range, f.message)
}

/// `env` and `accountType` outside their sets still work (anything but `qa` is prod; an
/// unknown type only hides the account from `hs account list`), so those are warnings.
fn enum_severity(pointer: &str) -> Severity {
    match pointer.rsplit('/').next() {
        Some("env" | "accountType") => Severity::Warning,
        _ => Severity::Error,
    }
}
