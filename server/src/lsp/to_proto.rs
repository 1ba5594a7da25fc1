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

pub fn completion_item(
    rope: &Rope,
    i: &comp::CompletionItem,
    caps: &super::capabilities::ClientCaps,
) -> lsp::CompletionItem {
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
        text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
            range: range(rope, i.replace),
            new_text: i.insert_text.clone(),
        })),
        insert_text_format: Some(if i.is_snippet && caps.snippets {
            lsp::InsertTextFormat::SNIPPET
        } else {
            lsp::InsertTextFormat::PLAIN_TEXT
        }),
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
pub fn document_symbols(
    rope: &Rope,
    uri: &lsp::Uri,
    syms: &[sym::Symbol],
    hierarchical: bool,
) -> lsp::DocumentSymbolResponse {
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
            for (sym, container) in
                std::iter::once((s, None)).chain(s.children.iter().map(|c| (c, Some(s.name.clone()))))
            {
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

use std::collections::HashMap;
use std::path::Path;

use crate::analysis::actions::{Action, ActionKind, Call, Effect};
use crate::hubspot::edit::{FileOp, TextEdit, DEFAULT_NEW_FILE_MODE};

/// The document a code action was asked for.
pub struct ActionTarget<'a> {
    pub uri: &'a lsp::Uri,
    pub version: i32,
    pub rope: &'a Rope,
}

/// The current text of another file and its editor version (`None` when it is not open).
/// `None` as a whole means its text cannot be known for sure (an open buffer with unsaved
/// changes, which a plan computed from the disk would not fit).
pub type FileText<'a> = &'a dyn Fn(&Path) -> Option<(Rope, Option<i32>)>;

pub fn code_action_kind(k: ActionKind) -> lsp::CodeActionKind {
    match k {
        ActionKind::QuickFix => lsp::CodeActionKind::QUICKFIX,
        ActionKind::Source => lsp::CodeActionKind::SOURCE,
        ActionKind::RefactorRewrite => lsp::CodeActionKind::REFACTOR_REWRITE,
    }
}

pub fn command(title: &str, call: &Call) -> lsp::Command {
    lsp::Command { title: title.to_string(), command: call.name.to_string(), arguments: Some(vec![call.args.clone()]) }
}

/// One action as the client can take it, or `None` when it cannot take this one at all.
///
/// Clients without `codeActionLiteralSupport` get bare commands: an edit of the document
/// itself becomes `hubspot.edit.apply`, which hands it back with `workspace/applyEdit` (when
/// the client has that). Other files change through resource operations only when
/// the client advertised all three of them and `documentChanges`, and no file needs
/// permissions a workspace edit cannot set; otherwise through the command doing the same.
pub fn code_action(
    target: &ActionTarget<'_>,
    action: &Action,
    diagnostics: Vec<lsp::Diagnostic>,
    caps: &super::capabilities::ClientCaps,
    file_text: FileText<'_>,
) -> Option<lsp::CodeActionOrCommand> {
    let (edit, call) = match &action.effect {
        Effect::Edits(edits) => (Some(document_edit(target, edits, caps.document_changes)), None),
        Effect::Files { ops, or_run } => {
            match (caps.resource_operations && caps.document_changes).then(|| resource_edit(ops, file_text)).flatten() {
                Some(edit) => (Some(edit), None),
                None => (None, Some(or_run)),
            }
        }
        Effect::Command(call) => (None, Some(call)),
    };
    if !caps.code_action_literals {
        let cmd = match (call, edit) {
            (Some(c), _) => command(&action.title, c),
            (None, Some(edit)) if caps.apply_edit => lsp::Command {
                title: action.title.clone(),
                command: super::commands::APPLY_EDIT.to_string(),
                arguments: Some(vec![serde_json::to_value(edit).ok()?]),
            },
            _ => return None,
        };
        return Some(lsp::CodeActionOrCommand::Command(cmd));
    }
    Some(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: action.title.clone(),
        kind: Some(code_action_kind(action.kind)),
        diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
        edit,
        command: call.map(|c| command(&action.title, c)),
        is_preferred: (caps.code_action_preferred && action.preferred).then_some(true),
        disabled: None,
        data: None,
    }))
}

fn text_edits(rope: &Rope, edits: &[TextEdit]) -> Vec<lsp::TextEdit> {
    edits.iter().map(|e| lsp::TextEdit { range: range(rope, e.range), new_text: e.new_text.clone() }).collect()
}

fn document_edit(target: &ActionTarget<'_>, edits: &[TextEdit], document_changes: bool) -> lsp::WorkspaceEdit {
    let edits = text_edits(target.rope, edits);
    if document_changes {
        let doc = lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: target.uri.clone(),
                version: Some(target.version),
            },
            edits: edits.into_iter().map(lsp::OneOf::Left).collect(),
        };
        lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Edits(vec![doc])), ..Default::default() }
    } else {
        lsp::WorkspaceEdit { changes: Some(HashMap::from([(target.uri.clone(), edits)])), ..Default::default() }
    }
}

/// A plan as `documentChanges` with resource operations, in the plan's order.
fn resource_edit(ops: &[FileOp], file_text: FileText<'_>) -> Option<lsp::WorkspaceEdit> {
    use lsp::{DocumentChangeOperation as Change, ResourceOp};
    let uri = |p: &Path| lsp::Uri::from_file_path(p);
    let mut changes = Vec::new();
    for op in ops {
        match op {
            // A workspace edit has no way to say "0600": such files are the command's.
            FileOp::Write { mode: Some(m), .. } if *m != DEFAULT_NEW_FILE_MODE => return None,
            FileOp::Write { path, text, .. } => {
                let uri = uri(path)?;
                changes.push(Change::Op(ResourceOp::Create(lsp::CreateFile {
                    uri: uri.clone(),
                    options: Some(lsp::CreateFileOptions { overwrite: Some(true), ignore_if_exists: None }),
                    annotation_id: None,
                })));
                if !text.is_empty() {
                    let start = lsp::Position { line: 0, character: 0 };
                    changes.push(Change::Edit(lsp::TextDocumentEdit {
                        text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri, version: None },
                        edits: vec![lsp::OneOf::Left(lsp::TextEdit {
                            range: lsp::Range { start, end: start },
                            new_text: text.clone(),
                        })],
                    }));
                }
            }
            FileOp::Edit { path, edits } => {
                let (rope, version) = file_text(path)?;
                changes.push(Change::Edit(lsp::TextDocumentEdit {
                    text_document: lsp::OptionalVersionedTextDocumentIdentifier { uri: uri(path)?, version },
                    edits: text_edits(&rope, edits).into_iter().map(lsp::OneOf::Left).collect(),
                }));
            }
            FileOp::Delete { path } => changes.push(Change::Op(ResourceOp::Delete(lsp::DeleteFile {
                uri: uri(path)?,
                options: Some(lsp::DeleteFileOptions { recursive: None, ignore_if_not_exists: Some(true) }),
                annotation_id: None,
            }))),
            FileOp::Rename { from, to } => changes.push(Change::Op(ResourceOp::Rename(lsp::RenameFile {
                old_uri: uri(from)?,
                new_uri: uri(to)?,
                options: Some(lsp::RenameFileOptions { overwrite: Some(true), ignore_if_exists: None }),
                annotation_id: None,
            }))),
        }
    }
    Some(lsp::WorkspaceEdit { document_changes: Some(lsp::DocumentChanges::Operations(changes)), ..Default::default() })
}
