//! Requests that read a snapshot: completion, hover, definition, references, symbols,
//! folding ranges, inlay hints. Each takes the session lock only to clone a snapshot, and
//! does its work on a blocking thread (the world reads other files from disk).

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::ide::{completion, hover, navigation, symbols};
use crate::lsp::documents::Document;
use crate::lsp::server::Server;
use crate::lsp::{from_proto, to_proto};

use super::blocking;
use crate::syntax::position::line_col_to_offset;

fn snapshot(
    server: &Server,
    uri: &Uri,
) -> Option<(Document, crate::analysis::World, crate::lsp::capabilities::ClientCaps, Vec<std::path::PathBuf>)> {
    let s = server.session();
    let (d, w) = s.snapshot(uri)?;
    Some((d, w, s.caps.clone(), s.workspace_roots.clone()))
}

fn offset(doc: &Document, p: Position) -> usize {
    line_col_to_offset(&doc.rope, from_proto::line_col(p))
}

pub async fn completion(server: &Server, params: CompletionParams) -> Result<Option<CompletionResponse>> {
    let pos = params.text_document_position;
    let Some((doc, world, caps, _)) = snapshot(server, &pos.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let at = offset(&doc, pos.position);
        let items = completion::complete(
            &doc.file,
            doc.last_good_tree().map(|t| &**t),
            &world,
            at,
            &completion::Options { snippets: caps.snippets },
        );
        let items: Vec<_> = items.iter().map(|i| to_proto::completion_item(&doc.rope, i, &caps)).collect();
        Some(CompletionResponse::List(CompletionList { is_incomplete: false, items }))
    })
    .await
}

pub async fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let pos = params.text_document_position_params;
    let Some((doc, world, caps, _)) = snapshot(server, &pos.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let at = offset(&doc, pos.position);
        hover::hover(&doc.file, &world, at, chrono::Utc::now())
            .map(|h| to_proto::hover(&doc.rope, &h, caps.hover_markdown))
    })
    .await
}

pub async fn definition(server: &Server, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
    let pos = params.text_document_position_params;
    let Some((doc, world, _, _)) = snapshot(server, &pos.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let at = offset(&doc, pos.position);
        navigation::definition(&doc.file, &world, at)
            .and_then(|l| to_proto::location(&l))
            .map(GotoDefinitionResponse::Scalar)
    })
    .await
}

pub async fn references(server: &Server, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let pos = params.text_document_position;
    let Some((doc, world, _, roots)) = snapshot(server, &pos.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let at = offset(&doc, pos.position);
        let locs = navigation::references_to(&doc.file, &world, at, &roots);
        Some(locs.iter().filter_map(to_proto::location).collect())
    })
    .await
}

pub async fn document_symbol(server: &Server, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
    let Some((doc, _, caps, _)) = snapshot(server, &params.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let syms = symbols::document_symbols(&doc.file);
        Some(to_proto::document_symbols(&doc.rope, &params.text_document.uri, &syms, caps.hierarchical_symbols))
    })
    .await
}

pub async fn folding_range(server: &Server, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
    let Some((doc, _, _, _)) = snapshot(server, &params.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let rope: &Rope = &doc.rope;
        let mut out: Vec<FoldingRange> = symbols::folding_ranges(&doc.file)
            .into_iter()
            .map(|r| to_proto::range(rope, r))
            .filter(|r| r.end.line > r.start.line)
            .map(|r| FoldingRange {
                start_line: r.start.line,
                end_line: r.end.line,
                kind: Some(FoldingRangeKind::Region),
                ..Default::default()
            })
            .collect();
        out.dedup_by_key(|f| (f.start_line, f.end_line));
        Some(out)
    })
    .await
}

pub async fn inlay_hint(server: &Server, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
    let Some((doc, world, _, _)) = snapshot(server, &params.text_document.uri) else { return Ok(None) };
    blocking(move || {
        let hints = symbols::inlay_hints(&doc.file, &world);
        Some(hints.iter().map(|h| to_proto::inlay_hint(&doc.rope, h)).collect())
    })
    .await
}
