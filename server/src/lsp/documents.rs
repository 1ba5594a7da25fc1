//! Open documents: the editor's text (a rope, for cheap incremental edits) and its parse.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::Uri;

use crate::analysis::{DocKind, SourceFile};
use crate::hubspot::buffers::Buffers;
use crate::syntax::position::{apply_change, LineCol};
use crate::syntax::yaml::TextEdit;
use crate::syntax::Tree;

#[derive(Clone)]
pub struct Document {
    pub uri: Uri,
    pub version: i32,
    pub rope: Rope,
    pub file: Arc<SourceFile>,
    /// While `file` has syntax errors: the newest tree that parsed without any (completion
    /// on half-typed text uses it for everything but the line being typed). `None` while
    /// `file`'s own tree is complete: then that one is the last good tree, and holding a
    /// second reference to it would stop the next edit from updating it in place.
    good_tree_before: Option<Arc<Tree>>,
}

impl Document {
    /// `read`: this very text, already parsed (as read from disk).
    fn new(
        uri: Uri,
        path: PathBuf,
        kind: DocKind,
        version: i32,
        text: String,
        read: Option<Arc<SourceFile>>,
    ) -> Document {
        let rope = Rope::from_str(&text);
        let file = read.unwrap_or_else(|| Arc::new(SourceFile::parse(path, kind, text)));
        Document { uri, version, rope, file, good_tree_before: None }
    }

    /// The newest tree that parsed without errors.
    pub fn last_good_tree(&self) -> Option<&Arc<Tree>> {
        match &self.file.tree {
            Some(t) if t.complete => Some(t),
            _ => self.good_tree_before.as_ref(),
        }
    }

    fn reparse(&mut self, edit: Option<TextEdit>) {
        let Some(old) = SourceFile::update(&mut self.file, self.rope.to_string(), edit) else {
            return; // updated in place: still complete
        };
        if self.file.tree.as_ref().is_some_and(|t| t.complete) {
            self.good_tree_before = None;
        } else if let Some(t) = old.tree.as_ref().filter(|t| t.complete) {
            self.good_tree_before = Some(t.clone());
        }
        drop_later(old);
    }
}

/// Freeing a large document's tree takes milliseconds; the edit that replaced it should not
/// wait for that. One thread frees what it is sent, in order.
fn drop_later<T: Send + 'static>(value: T) {
    type Garbage = Box<dyn Send>;
    static BIN: OnceLock<Mutex<mpsc::Sender<Garbage>>> = OnceLock::new();
    let bin = BIN.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Garbage>();
        let spawned =
            std::thread::Builder::new().name("hubspot-ls-drop".into()).spawn(move || rx.into_iter().for_each(drop));
        if let Err(e) = spawned {
            tracing::warn!("no thread to free old documents on: {e}");
        }
        Mutex::new(tx)
    });
    // If the thread is gone, the value comes back in the error and is freed here.
    let sent = bin.lock().map(|tx| tx.send(Box::new(value)));
    drop(sent);
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
    /// Opens `text` at `uri`; `read` is the same text as already parsed, if it is at hand.
    pub fn open(
        &mut self,
        uri: Uri,
        path: PathBuf,
        kind: DocKind,
        version: i32,
        text: String,
        read: Option<Arc<SourceFile>>,
    ) -> &Document {
        let doc = Document::new(uri.clone(), path, kind, version, text, read);
        self.buffers.holds(&doc.file.path, doc.file.text.clone());
        self.docs.insert(uri.clone(), doc);
        &self.docs[&uri]
    }

    /// Applies the changes in order and reparses once. Returns None for unknown documents.
    pub fn change(&mut self, uri: &Uri, version: i32, changes: Vec<Change>) -> Option<&Document> {
        let doc = self.docs.get_mut(uri)?;
        let single = changes.len() == 1;
        let mut edit = None;
        for change in changes {
            match change {
                Change::Full(text) => doc.rope = Rope::from_str(&text),
                Change::Range { start, end, text } => {
                    let replaced = apply_change(&mut doc.rope, start, end, &text);
                    edit = single.then_some(TextEdit {
                        start: replaced.start,
                        old_end: replaced.end,
                        new_len: text.len(),
                    });
                }
            }
        }
        doc.version = version;
        doc.reparse(edit);
        self.buffers.holds(&doc.file.path, doc.file.text.clone());
        Some(doc)
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
