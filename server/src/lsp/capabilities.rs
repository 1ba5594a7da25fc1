//! What the client can take, read once from `initialize`, so handlers never send a client
//! something it did not advertise.

use tower_lsp_server::ls_types as lsp;

#[derive(Clone, Debug, Default)]
pub struct ClientCaps {
    pub diagnostic_tags: bool,
    pub watched_files_dynamic: bool,
    pub watched_files_relative_pattern: bool,
    pub snippets: bool,
    pub completion_documentation_markdown: bool,
    pub hover_markdown: bool,
    pub work_done_progress: bool,
    pub resource_operations: bool,
    pub document_changes: bool,
    pub inlay_hints: bool,
    pub hierarchical_symbols: bool,
    pub code_action_literals: bool,
    pub code_action_preferred: bool,
    pub apply_edit: bool,
    pub show_document: bool,
}

impl ClientCaps {
    pub fn from(c: &lsp::ClientCapabilities) -> ClientCaps {
        let td = c.text_document.as_ref();
        let ws = c.workspace.as_ref();
        let markdown =
            |formats: Option<&Vec<lsp::MarkupKind>>| formats.is_some_and(|f| f.contains(&lsp::MarkupKind::Markdown));
        let completion_item = td.and_then(|t| t.completion.as_ref()).and_then(|c| c.completion_item.as_ref());
        let workspace_edit = ws.and_then(|w| w.workspace_edit.as_ref());
        ClientCaps {
            diagnostic_tags: td
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.tag_support.as_ref())
                .is_some_and(|t| t.value_set.contains(&lsp::DiagnosticTag::DEPRECATED)),
            watched_files_dynamic: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            watched_files_relative_pattern: ws
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.relative_pattern_support)
                .unwrap_or(false),
            snippets: completion_item.and_then(|i| i.snippet_support).unwrap_or(false),
            completion_documentation_markdown: markdown(completion_item.and_then(|i| i.documentation_format.as_ref())),
            hover_markdown: markdown(td.and_then(|t| t.hover.as_ref()).and_then(|h| h.content_format.as_ref())),
            work_done_progress: c.window.as_ref().and_then(|w| w.work_done_progress).unwrap_or(false),
            resource_operations: workspace_edit.and_then(|e| e.resource_operations.as_ref()).is_some_and(|ops| {
                ops.contains(&lsp::ResourceOperationKind::Create)
                    && ops.contains(&lsp::ResourceOperationKind::Delete)
                    && ops.contains(&lsp::ResourceOperationKind::Rename)
            }),
            document_changes: workspace_edit.and_then(|e| e.document_changes).unwrap_or(false),
            inlay_hints: td.and_then(|t| t.inlay_hint.as_ref()).is_some(),
            hierarchical_symbols: td
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            code_action_literals: td
                .and_then(|t| t.code_action.as_ref())
                .and_then(|a| a.code_action_literal_support.as_ref())
                .is_some(),
            code_action_preferred: td
                .and_then(|t| t.code_action.as_ref())
                .and_then(|a| a.is_preferred_support)
                .unwrap_or(false),
            apply_edit: ws.and_then(|w| w.apply_edit).unwrap_or(false),
            show_document: c.window.as_ref().and_then(|w| w.show_document.as_ref()).is_some_and(|s| s.support),
        }
    }
}

/// The server's capabilities. Features are added here as they are implemented.
pub fn server_capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(lsp::TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
            save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
            ..Default::default()
        })),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![":".into(), " ".into(), "\"".into(), "-".into(), "[".into(), ",".into()]),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        folding_range_provider: Some(lsp::FoldingRangeProviderCapability::Simple(true)),
        inlay_hint_provider: Some(lsp::OneOf::Left(true)),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(lsp::CodeActionOptions {
            code_action_kinds: Some(vec![
                lsp::CodeActionKind::QUICKFIX,
                lsp::CodeActionKind::SOURCE,
                lsp::CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..Default::default()
        })),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: super::commands::names(),
            ..Default::default()
        }),
        ..Default::default()
    }
}
