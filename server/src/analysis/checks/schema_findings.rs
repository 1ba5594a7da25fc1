//! Schema findings -> diagnostics, placed through the tree's pointer index.

use serde_json::Value;

use crate::analysis::diagnostic::{Code, Diagnostic, Severity};
use crate::analysis::schema::{validate, FindingKind, SchemaFinding, SchemaKind};
use crate::hubspot::model::truthy;
use crate::syntax::{Node, TextRange, Tree};

use super::validate::JUDGED_HERE;

pub fn check(kind: SchemaKind, tree: &Tree, out: &mut Vec<Diagnostic>) {
    // An empty document is `no-accounts` (config) or a syntax matter (settings), not a type.
    if tree.value.is_null() {
        return;
    }
    let mut findings = validate(kind, &tree.value);
    if kind == SchemaKind::Config {
        // What an account must hold is judged as `validateConfig` judges it (`checks::validate`).
        findings.retain(|f| !matches!(&f.kind, FindingKind::Required { missing } if is_account(&f.pointer) && JUDGED_HERE.contains(&missing.as_str())));
    }
    let severity = |f: &SchemaFinding| severity(kind, &tree.value, f);
    match tree.root() {
        Some(root) => place_below(root, tree.complete, findings, &severity, out),
        // No spans at all: at the start of the file.
        None => findings
            .into_iter()
            .filter(|f| tree.complete || !f.kind.is_required())
            .for_each(|f| out.push(diagnostic(f, TextRange::default(), &severity))),
    }
}

/// Findings -> diagnostics, at the ranges their pointers name below `node` (the root).
fn place_below(
    node: Node<'_>,
    complete: bool,
    findings: Vec<SchemaFinding>,
    severity: &dyn Fn(&SchemaFinding) -> Severity,
    out: &mut Vec<Diagnostic>,
) {
    for f in findings {
        // Missing things cannot be judged on a tree cut short by a syntax error.
        if f.kind.is_required() && !complete {
            continue;
        }
        let (at, exact) = node.walk(&f.pointer);
        let range = match &f.kind {
            FindingKind::UnknownKey { .. } => at.key_range(&[]),
            FindingKind::Required { .. } if exact => at.first_key_range(),
            FindingKind::Required { .. } => at.key_range(&[]),
            FindingKind::Type { .. } | FindingKind::Enum { .. } | FindingKind::Other => at.spans().value,
        };
        out.push(diagnostic(f, range, severity));
    }
}

fn diagnostic(f: SchemaFinding, range: TextRange, severity: &dyn Fn(&SchemaFinding) -> Severity) -> Diagnostic {
    let code = match &f.kind {
        FindingKind::UnknownKey { .. } => Code::UnknownKey,
        FindingKind::Type { .. } | FindingKind::Other => Code::Type,
        FindingKind::Enum { .. } => Code::Enum,
        FindingKind::Required { .. } => Code::Required,
    };
    let severity = severity(&f);
    let mut message = f.message;
    if severity == Severity::Warning && matches!(code, Code::Type | Code::Enum) {
        message.push_str(" The CLI reads it as it is and goes on: a likely mistake, not a failure.");
    }
    Diagnostic::new(code, severity, range, message)
}

/// `/accounts/3` or `/portals/3`.
fn is_account(pointer: &str) -> bool {
    let mut parts = pointer.split('/').skip(1);
    matches!(
        (parts.next(), parts.next().map(|i| i.parse::<usize>().is_ok()), parts.next()),
        (Some("accounts" | "portals"), Some(true), None)
    )
}

/// Errors only where the CLI refuses or crashes: the document or its account list has the
/// wrong shape, an account is not a mapping, a truthy `name` is not text, something the CLI
/// requires is missing. Anything else (a wrong type or value the CLI reads and goes on with,
/// an unknown key) is a warning.
fn severity(kind: SchemaKind, root: &Value, f: &SchemaFinding) -> Severity {
    let p = f.pointer.as_str();
    let value = root.pointer(p);
    let crashes = match (&f.kind, kind) {
        (FindingKind::Required { .. }, _) => true,
        (FindingKind::Type { .. } | FindingKind::Other, SchemaKind::Config) => {
            p.is_empty()
                || p == "/accounts"
                || (p == "/portals" && value.is_some_and(truthy))
                || is_account(p)
                || (p.strip_suffix("/name").is_some_and(is_account) && value.is_some_and(truthy))
        }
        // `hs account list` and the link-aware commands need a mapping holding a list.
        (FindingKind::Type { .. } | FindingKind::Other, SchemaKind::Settings) => p.is_empty() || p == "/accounts",
        (FindingKind::UnknownKey { .. } | FindingKind::Enum { .. }, _) => false,
    };
    if crashes {
        Severity::Error
    } else {
        Severity::Warning
    }
}
