//! LSP types -> our types.

use std::path::PathBuf;

use tower_lsp_server::ls_types as lsp;

use crate::syntax::position::LineCol;

use super::documents::Change;

pub fn line_col(p: lsp::Position) -> LineCol {
    LineCol { line: p.line, character: p.character }
}

pub fn path(uri: &lsp::Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| p.into_owned())
}

pub fn change(c: lsp::TextDocumentContentChangeEvent) -> Change {
    match c.range {
        Some(r) => Change::Range { start: line_col(r.start), end: line_col(r.end), text: c.text },
        None => Change::Full(c.text),
    }
}
