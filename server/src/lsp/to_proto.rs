//! Analysis types -> LSP types. Every conversion out of the analysis lives here.

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::analysis::{Diagnostic, Severity, Tag};
use crate::syntax::position::{offset_to_line_col, LineCol};
use crate::syntax::TextRange;

pub const SOURCE: &str = "hubspot-ls";

pub fn position(p: LineCol) -> lsp::Position {
    lsp::Position { line: p.line, character: p.character }
}

pub fn range(rope: &Rope, r: TextRange) -> lsp::Range {
    lsp::Range {
        start: position(offset_to_line_col(rope, r.start as usize)),
        end: position(offset_to_line_col(rope, r.end as usize)),
    }
}

pub fn severity(s: Severity) -> lsp::DiagnosticSeverity {
    match s {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Information => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// `tag_support`: whether the client understands diagnostic tags (never send what it did not advertise).
pub fn diagnostic(rope: &Rope, d: &Diagnostic, tag_support: bool) -> lsp::Diagnostic {
    let tags = if tag_support && !d.tags.is_empty() {
        Some(
            d.tags
                .iter()
                .map(|t| match t {
                    Tag::Deprecated => lsp::DiagnosticTag::DEPRECATED,
                    Tag::Unnecessary => lsp::DiagnosticTag::UNNECESSARY,
                })
                .collect(),
        )
    } else {
        None
    };
    lsp::Diagnostic {
        range: range(rope, d.range),
        severity: Some(severity(d.severity)),
        code: Some(lsp::NumberOrString::String(d.code.as_str().to_string())),
        source: Some(SOURCE.to_string()),
        message: d.message.clone(),
        tags,
        ..Default::default()
    }
}
