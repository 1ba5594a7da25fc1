//! Open documents: the editor's text (a rope, for cheap incremental edits) and its parse.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use ropey::Rope;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::{DocKind, SourceFile};
use crate::hubspot::buffers::Buffers;
use crate::syntax::position::{apply_change, LineCol};
use crate::syntax::Tree;

#[derive(Clone)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    pub file: Arc<SourceFile>,
    /// The newest tree that parsed without errors: completion on half-typed text uses it
    /// for everything but the line being typed.
    last_good_tree: Option<Arc<Tree>>,
}

impl Document {
    fn new(uri: Uri, path: PathBuf, kind: DocKind, version: i32, text: String) -> Document {
        let rope = Rope::from_str(&text);
        let file = Arc::new(SourceFile::parse(path, kind, text));
        let mut doc = Document { uri, version, rope, file, last_good_tree: None };
        doc.keep_good_tree();
        doc
    }

    /// The newest tree that parsed without errors.
    pub fn last_good_tree(&self) -> Option<&Arc<Tree>> {
        self.last_good_tree.as_ref()
    }

    /// `text`: the rope's text when the caller already has it. Returns what the new parse
    /// replaces, for the caller to drop once it is off the path to the diagnostics.
    fn reparse(&mut self, text: Option<String>) -> Superseded {
        let text = text.unwrap_or_else(|| self.rope.to_string());
        let new = Arc::new(SourceFile::parse(self.file.path.clone(), self.file.kind, text));
        let file = std::mem::replace(&mut self.file, new);
        let good_tree = self.last_good_tree.clone();
        self.keep_good_tree();
        Superseded { _file: file, _good_tree: good_tree }
    }

    fn keep_good_tree(&mut self) {
        if let Some(tree) = self.file.tree.as_ref().filter(|t| t.complete) {
            self.last_good_tree = Some(tree.clone());
        }
    }
}

/// A document's previous parse, kept alive by whoever holds it. Dropping a large tree takes a
/// few milliseconds: the bench's 2,000-account didChange target needs it after the publish.
pub struct Superseded {
    _file: Arc<SourceFile>,
    _good_tree: Option<Arc<Tree>>,
}

/// An edit as the protocol sends it, already free of LSP types.
pub enum Change {
    Full(String),
    Range { start: LineCol, end: LineCol, text: String },
}

#[derive(Default, Clone)]
pub struct DocumentStore {
    docs: HashMap<Uri, Document>,
    /// What the editor holds, for the commands that write files (shared with them).
    buffers: Arc<Buffers>,
}

impl DocumentStore {
    pub fn open(&mut self, uri: Uri, path: PathBuf, kind: DocKind, version: i32, text: String) -> &Document {
        let doc = Document::new(uri.clone(), path, kind, version, text);
        self.buffers.holds(&doc.file.path, doc.file.text.clone());
        self.docs.insert(uri.clone(), doc);
        &self.docs[&uri]
    }

    /// Applies the changes in order and reparses once. Returns None for unknown documents.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<Change>) -> Option<Superseded> {
        let doc = self.docs.get_mut(uri)?;
        let mut full_text = None;
        for change in changes {
            match change {
                Change::Full(text) => {
                    doc.rope = Rope::from_str(&text);
                    full_text = Some(text);
                }
                Change::Range { start, end, text } => {
                    apply_change(&mut doc.rope, start, end, &text);
                    full_text = None;
                }
            }
        }
        doc.version = version;
        let superseded = doc.reparse(full_text);
        self.buffers.holds(&doc.file.path, doc.file.text.clone());
        Some(superseded)
    }

    pub fn close(&mut self, uri: &Uri) -> Option<Document> {
        let doc = self.docs.remove(uri)?;
        self.buffers.closed(&doc.file.path);
        Some(doc)
    }

    pub fn get(&self, uri: &Uri) -> Option<&Document> {
        self.docs.get(uri)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Document> {
        self.docs.values()
    }

    pub fn buffers(&self) -> &Arc<Buffers> {
        &self.buffers
    }
}
