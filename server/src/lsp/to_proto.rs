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

use crate::analysis::ide::{completion as comp, hover as hov, navigation as nav, symbols as sym};

pub fn completion_item(rope: &Rope, i: &comp::CompletionItem, caps: &super::capabilities::ClientCaps) -> lsp::CompletionItem {
    let kind = match i.kind {
        comp::ItemKind::Key => lsp::CompletionItemKind::PROPERTY,
        comp::ItemKind::Value => lsp::CompletionItemKind::ENUM_MEMBER,
        comp::ItemKind::Account => lsp::CompletionItemKind::REFERENCE,
        comp::ItemKind::Snippet => lsp::CompletionItemKind::SNIPPET,
    };
    let documentation = i.documentation.clone().map(|d| {
        if caps.completion_documentation_markdown {
            lsp::Documentation::MarkupContent(lsp::MarkupContent { kind: lsp::MarkupKind::Markdown, value: d })
        } else {
            lsp::Documentation::String(d)
        }
    });
    lsp::CompletionItem {
        label: i.label.clone(),
        kind: Some(kind),
        detail: i.detail.clone(),
        documentation,
        // Filter on what is typed: the id for accounts, the key or value otherwise.
        filter_text: Some(i.insert_text.trim_matches('"').to_string()),
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit { range: range(rope, i.replace), new_text: i.insert_text.clone() })),
        insert_text_format: Some(if i.is_snippet && caps.snippets { lsp::InsertTextFormat::SNIPPET } else { lsp::InsertTextFormat::PLAIN_TEXT }),
        sort_text: i.sort_text.clone(),
        ..Default::default()
    }
}

pub fn hover(rope: &Rope, h: &hov::Hover, markdown: bool) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: if markdown { lsp::MarkupKind::Markdown } else { lsp::MarkupKind::PlainText },
            value: h.contents.clone(),
        }),
        range: Some(range(rope, h.range)),
    }
}

pub fn location(l: &nav::Location) -> Option<lsp::Location> {
    let rope = Rope::from_str(&l.text);
    Some(lsp::Location { uri: lsp::Uri::from_file_path(&l.path)?, range: range(&rope, l.range) })
}

#[allow(deprecated)]
pub fn document_symbols(rope: &Rope, uri: &lsp::Uri, syms: &[sym::Symbol], hierarchical: bool) -> lsp::DocumentSymbolResponse {
    fn kind(k: sym::SymbolKind) -> lsp::SymbolKind {
        match k {
            sym::SymbolKind::Account => lsp::SymbolKind::OBJECT,
            sym::SymbolKind::Key => lsp::SymbolKind::PROPERTY,
        }
    }
    if hierarchical {
        fn conv(rope: &Rope, s: &sym::Symbol) -> lsp::DocumentSymbol {
            lsp::DocumentSymbol {
                name: s.name.clone(),
                detail: s.detail.clone(),
                kind: kind(s.kind),
                tags: None,
                deprecated: None,
                range: range(rope, s.range),
                selection_range: range(rope, s.selection),
                children: (!s.children.is_empty()).then(|| s.children.iter().map(|c| conv(rope, c)).collect()),
            }
        }
        lsp::DocumentSymbolResponse::Nested(syms.iter().map(|s| conv(rope, s)).collect())
    } else {
        let mut flat = Vec::new();
        for s in syms {
            for (sym, container) in std::iter::once((s, None)).chain(s.children.iter().map(|c| (c, Some(s.name.clone())))) {
                let name = match &sym.detail {
                    Some(d) => format!("{} ({d})", sym.name),
                    None => sym.name.clone(),
                };
                flat.push(lsp::SymbolInformation {
                    name,
                    kind: kind(sym.kind),
                    tags: None,
                    deprecated: None,
                    location: lsp::Location { uri: uri.clone(), range: range(rope, sym.range) },
                    container_name: container,
                });
            }
        }
        lsp::DocumentSymbolResponse::Flat(flat)
    }
}

pub fn inlay_hint(rope: &Rope, h: &sym::InlayHint) -> lsp::InlayHint {
    lsp::InlayHint {
        position: position(offset_to_line_col(rope, h.at)),
        label: lsp::InlayHintLabel::String(h.label.clone()),
        kind: None,
        text_edits: None,
        tooltip: None,
        padding_left: None,
        padding_right: None,
        data: None,
    }
}
