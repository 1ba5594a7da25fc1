//! `textDocument/codeAction`: the analysis' actions for the range, filtered by the kinds the
//! client asked for, each carrying the diagnostics it resolves.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

use crate::analysis::actions::{self, Action};
use crate::analysis::{diagnostics, Diagnostic as Finding, World};
use crate::lsp::capabilities::ClientCaps;
use crate::lsp::documents::Document;
use crate::lsp::server::Server;
use crate::lsp::{from_proto, to_proto};
use crate::syntax::position::line_col_to_offset;
use crate::syntax::TextRange;

pub async fn code_action(server: &Server, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let (doc, world, caps, open) = {
        let s = server.session();
        let Some((doc, world)) = s.snapshot(&params.text_document.uri) else { return Ok(None) };
        let open: HashMap<PathBuf, (i32, Arc<String>)> =
            s.documents.iter().map(|d| (d.file.path.clone(), (d.version, d.file.text.clone()))).collect();
        (doc, world, s.caps.clone(), open)
    };
    // The analysis and the plans read other files from disk.
    super::blocking_cancellable(move |cancel| actions_for(&params, &doc, &world, &caps, &open, cancel)).await.map(Some)
}

fn actions_for(
    params: &CodeActionParams,
    doc: &Document,
    world: &World,
    caps: &ClientCaps,
    open: &HashMap<PathBuf, (i32, Arc<String>)>,
    cancel: &super::Cancel,
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let at = |p: Position| line_col_to_offset(&doc.rope, from_proto::line_col(p));
    let range = TextRange::new(at(params.range.start), at(params.range.end));
    let found = diagnostics::compute(&doc.file, world);
    let only = params.context.only.as_deref();
    let wanted = |a: &Action| {
        only.is_none_or(|kinds| kinds.iter().any(|k| kind_matches(&to_proto::code_action_kind(a.kind), k)))
    };

    // Other files as the client would edit them: an open buffer only when it still holds
    // what is on disk, which is what the plans were computed from.
    let file_text = |p: &Path| -> Option<(Rope, Option<i32>)> {
        let disk = crate::hubspot::read::read_string(p).ok()?;
        match open.get(p) {
            Some((version, text)) if **text == *disk => Some((Rope::from_str(&disk), Some(*version))),
            Some(_) => None,
            None => Some((Rope::from_str(&disk), None)),
        }
    };
    let target = to_proto::ActionTarget { uri, version: doc.version, rope: &doc.rope };
    actions::for_diagnostics(&doc.file, world, range, &found)
        .iter()
        .filter(|a| wanted(a))
        // Each fix is checked against the text it produces: stop once nobody waits for them.
        .take_while(|_| !cancel.is_set())
        .filter_map(|a| {
            let fixed = resolved(a, &params.context.diagnostics, &found, &doc.rope, caps.diagnostic_tags);
            to_proto::code_action(&target, a, fixed, caps, &file_text)
        })
        .collect()
}

/// `only: ["source"]` asks for `source` and every `source.*`.
fn kind_matches(kind: &CodeActionKind, asked: &CodeActionKind) -> bool {
    let (k, a) = (kind.as_str(), asked.as_str());
    a.is_empty() || k == a || k.strip_prefix(a).is_some_and(|rest| rest.starts_with('.'))
}

/// The diagnostics an action resolves: the client's own objects when it sent them (matched by
/// code and range), else ours as they were published.
fn resolved(action: &Action, sent: &[Diagnostic], found: &[Finding], rope: &Rope, tags: bool) -> Vec<Diagnostic> {
    action
        .fixes
        .iter()
        .filter_map(|f| {
            let range = to_proto::range(rope, f.range);
            let code = NumberOrString::String(f.code.as_str().to_string());
            sent.iter().find(|d| d.range == range && d.code.as_ref() == Some(&code)).cloned().or_else(|| {
                found
                    .iter()
                    .find(|d| d.code == f.code && d.range == f.range)
                    .map(|d| to_proto::diagnostic(rope, d, tags))
            })
        })
        .collect()
}
