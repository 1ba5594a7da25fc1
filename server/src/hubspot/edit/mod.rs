//! Minimal, comment-preserving edits of the CLI's files, and plans of file operations.
//!
//! The golden rule: never re-serialise a user's whole file to change one value. Every change
//! is a list of byte-range replacements into the original text that keeps comments, key
//! order, quoting and formatting of everything else. The CLI itself loses all of that on
//! every write (docs/hubspot-cli.md, *How files are written*); we must not.
//!
//! [`yaml`] edits the global/legacy config, [`json`] edits `.hs/settings.json`; both take the
//! text and its parsed [`Tree`](crate::syntax::Tree) and return [`TextEdit`]s. A change that
//! touches several files is a plan, a `Vec<`[`FileOp`]`>`, that the LSP layer either turns
//! into a `WorkspaceEdit` with resource operations or applies on disk with [`apply_ops`].
//!
//! Every operation is checked: the edited text is parsed again and must hold exactly the old
//! data with the one change made, or the operation fails with an [`EditError`] and nothing is
//! returned. A file with syntax errors is not edited at all.
//!
//! Writing back a refreshed token, the typical use:
//!
//! ```
//! use hubspot_ls::hubspot::edit::{apply, yaml};
//! use serde_json::json;
//!
//! let text = "accounts:\n  - name: prod # main\n    accountId: 1\n    auth:\n      tokenInfo: {}\n";
//! let tree = hubspot_ls::syntax::yaml::parse(text);
//! let auth = json!({"tokenInfo": {"accessToken": "t", "expiresAt": "2030-01-01T00:00:00.000Z"}});
//! let edits = yaml::set(text, &tree, "/accounts/0/auth", &auth).unwrap();
//! assert_eq!(
//!     apply(text, &edits),
//!     "accounts:\n  - name: prod # main\n    accountId: 1\n    auth:\n      tokenInfo:\n        \
//!      accessToken: t\n        expiresAt: '2030-01-01T00:00:00.000Z'\n"
//! );
//! ```
//!
//! Several changes to one file: [`yaml::YamlEditor`] / [`json::JsonEditor`] (each step checked,
//! [`Editor::edits`] gives non-overlapping edits of the original text).

mod checked;
mod expected;
pub mod json;
mod scalar;
pub(crate) mod text;
pub mod yaml;

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::syntax::TextRange;

pub use checked::Editor;
pub use scalar::{yaml_scalar, yaml_string};

/// Replace `range` (bytes into the original text) with `new_text`. An empty range inserts.
#[derive(Clone, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

impl TextEdit {
    pub fn replace(range: TextRange, new_text: impl Into<String>) -> TextEdit {
        TextEdit { range, new_text: new_text.into() }
    }

    pub fn insert(at: usize, new_text: impl Into<String>) -> TextEdit {
        TextEdit { range: TextRange::empty(at), new_text: new_text.into() }
    }

    pub fn delete(range: TextRange) -> TextEdit {
        TextEdit { range, new_text: String::new() }
    }
}

/// Only sizes and the range: the new text may be a token or a key, which must never reach
/// a log.
impl fmt::Debug for TextEdit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TextEdit").field("range", &self.range).field("new_text_len", &self.new_text.len()).finish()
    }
}

/// Why an edit could not be computed. Messages name JSON pointers and say what to do, never
/// the values involved (they may be credentials).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// Nothing at this pointer (for `remove`, `rename_key`, or a sequence index past the end).
    NotFound { pointer: String },
    /// The parent of the pointer is a scalar, so no key or item can go there.
    NotAContainer { pointer: String },
    /// `append` on something that is not a sequence.
    NotASequence { pointer: String },
    /// The text has syntax errors: editing it could make things worse.
    Unparsable { message: String },
    /// `rename_key` to a key the mapping already has.
    KeyExists { pointer: String, key: String },
    /// A construct we will not edit by bytes (an alias, a multi-line flow collection being
    /// reshaped, the document root being replaced ...).
    Unsupported { pointer: String, why: String },
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotFound { pointer } => {
                write!(f, "nothing at `{}` in the file; reload it and try again", show(pointer))
            }
            EditError::NotAContainer { pointer } => write!(
                f,
                "`{}` is a single value, not a mapping or list, so nothing can be added under it; fix the file by hand",
                show(pointer)
            ),
            EditError::NotASequence { pointer } => {
                write!(f, "`{}` is not a list, so nothing can be appended to it; fix the file by hand", show(pointer))
            }
            EditError::Unparsable { message } => {
                write!(f, "the file does not parse ({message}); fix the syntax error first, then try again")
            }
            EditError::KeyExists { pointer, key } => {
                write!(f, "`{}` already has a key `{key}`; remove or rename that one first", show(pointer))
            }
            EditError::Unsupported { pointer, why } => {
                write!(f, "cannot change `{}` without rewriting the file: {why}; edit it by hand", show(pointer))
            }
        }
    }
}

impl std::error::Error for EditError {}

impl EditError {
    pub(crate) fn unsupported(pointer: &str, why: &str) -> EditError {
        EditError::Unsupported { pointer: pointer.to_string(), why: why.to_string() }
    }
}

fn show(pointer: &str) -> &str {
    if pointer.is_empty() {
        "/"
    } else {
        pointer
    }
}

pub type Result<T> = std::result::Result<T, EditError>;

/// Apply non-overlapping edits given in any order. Edits that do not fit the text or overlap
/// an earlier one are dropped (and logged) rather than corrupting it or panicking: they are a
/// caller bug, or edits computed from another version of the text. Insertions at the same
/// offset keep their given order.
pub fn apply(text: &str, edits: &[TextEdit]) -> String {
    let mut order: Vec<usize> = (0..edits.len()).collect();
    order.sort_by_key(|&i| (edits[i].range.start, edits[i].range.end, i));
    let mut out = String::with_capacity(text.len() + edits.iter().map(|e| e.new_text.len()).sum::<usize>());
    let mut at = 0usize;
    for i in order {
        let e = &edits[i];
        let (s, t) = (e.range.start as usize, e.range.end as usize);
        let fits = s >= at && t <= text.len() && text.is_char_boundary(s) && text.is_char_boundary(t);
        if !fits {
            tracing::warn!("dropped an edit at {:?}: it overlaps another or does not fit the text", e.range);
            continue;
        }
        out.push_str(&text[at..s]);
        out.push_str(&e.new_text);
        at = t;
    }
    out.push_str(&text[at..]);
    out
}

/// One step of a multi-file change. Paths are absolute.
#[derive(Clone, PartialEq, Eq)]
pub enum FileOp {
    /// Create or replace the whole file. `mode` is for a new file (Unix permission bits);
    /// an existing file keeps its own. `None`: `0o644`, what the CLI creates.
    Write {
        path: PathBuf,
        text: String,
        mode: Option<u32>,
    },
    /// Minimal edits of an existing file, against the text the plan was computed from.
    Edit {
        path: PathBuf,
        edits: Vec<TextEdit>,
    },
    Delete {
        path: PathBuf,
    },
    /// Rename, replacing `to` if it exists (as the CLI's archive step of a migration does).
    Rename {
        from: PathBuf,
        to: PathBuf,
    },
}

impl FileOp {
    /// The file this step creates or changes (the target of a rename).
    pub fn path(&self) -> &std::path::Path {
        match self {
            FileOp::Write { path, .. } | FileOp::Edit { path, .. } | FileOp::Delete { path } => path,
            FileOp::Rename { to, .. } => to,
        }
    }
}

impl fmt::Debug for FileOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileOp::Write { path, text, mode } => f
                .debug_struct("Write")
                .field("path", path)
                .field("text_len", &text.len())
                .field("mode", &mode.map(|m| format!("{m:o}")))
                .finish(),
            FileOp::Edit { path, edits } => f.debug_struct("Edit").field("path", path).field("edits", edits).finish(),
            FileOp::Delete { path } => f.debug_struct("Delete").field("path", path).finish(),
            FileOp::Rename { from, to } => f.debug_struct("Rename").field("from", from).field("to", to).finish(),
        }
    }
}

/// Mode of files we create when the plan does not say: what the CLI gets under the usual
/// umask.
pub const DEFAULT_NEW_FILE_MODE: u32 = 0o644;

/// Perform a plan on disk, in order, each write atomic (see [`super::write`]).
///
/// Everything that can be checked first is: every `Edit` target is read and edited in memory
/// and every `Rename` source must exist before anything is written, so a plan that cannot run
/// changes nothing, and so is a plan touching a file that has changes in the editor not
/// saved ([`super::buffers`]). Past that, it stops at the first failure; the error names the file. Edits
/// apply to the file as it is on disk, so the plan must be computed from its current content.
pub fn apply_ops(ops: &[FileOp]) -> io::Result<()> {
    let named = |op: &FileOp, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", op.path().display()));
    let mut edited = Vec::with_capacity(ops.len());
    for op in ops {
        // Nothing is written while any file of the plan has unsaved changes in the editor.
        let touched = match op {
            FileOp::Rename { from, to } => vec![from.as_path(), to.as_path()],
            _ => vec![op.path()],
        };
        for p in touched {
            // (Checked again, and noted as written, by each write.)
            drop(super::buffers::check_saved(p, None).map_err(|e| named(op, e))?);
        }
        edited.push(match op {
            FileOp::Edit { path, edits } => {
                Some(apply(&std::fs::read_to_string(path).map_err(|e| named(op, e))?, edits))
            }
            FileOp::Rename { from, .. } if !from.exists() && !ops.iter().any(|o| o.path() == from) => {
                return Err(named(
                    op,
                    io::Error::new(io::ErrorKind::NotFound, format!("{} does not exist", from.display())),
                ));
            }
            _ => None,
        });
    }
    for (op, new_text) in ops.iter().zip(edited) {
        apply_op(op, new_text).map_err(|e| named(op, e))?;
    }
    Ok(())
}

fn apply_op(op: &FileOp, edited: Option<String>) -> io::Result<()> {
    match op {
        FileOp::Write { path, text, mode } => {
            super::write::write_atomic(path, text.as_bytes(), mode.unwrap_or(DEFAULT_NEW_FILE_MODE))
        }
        FileOp::Edit { path, edits } => {
            let new = match edited {
                Some(t) => t,
                None => apply(&std::fs::read_to_string(path)?, edits),
            };
            super::write::write_atomic(path, new.as_bytes(), DEFAULT_NEW_FILE_MODE)
        }
        FileOp::Delete { path } => match std::fs::remove_file(path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            r => r,
        },
        FileOp::Rename { from, to } => std::fs::rename(from, to),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: usize, e: usize) -> TextRange {
        TextRange::new(s, e)
    }

    #[test]
    fn apply_in_any_order() {
        let text = "abcdef";
        let edits = [TextEdit::replace(r(4, 5), "E"), TextEdit::insert(0, ">"), TextEdit::delete(r(1, 3))];
        assert_eq!(apply(text, &edits), ">adEf");
    }

    #[test]
    fn insertions_at_one_offset_keep_their_order() {
        let edits = [TextEdit::insert(1, "x"), TextEdit::insert(1, "y")];
        assert_eq!(apply("ab", &edits), "axyb");
    }

    #[test]
    fn insert_then_replace_at_the_same_start() {
        let edits = [TextEdit::replace(r(1, 2), "B"), TextEdit::insert(1, "+")];
        assert_eq!(apply("abc", &edits), "a+Bc");
    }

    #[test]
    fn no_edits_is_identity_and_end_insert_works() {
        assert_eq!(apply("abc", &[]), "abc");
        assert_eq!(apply("abc", &[TextEdit::insert(3, "d")]), "abcd");
        assert_eq!(apply("", &[TextEdit::insert(0, "x")]), "x");
    }

    #[test]
    fn bad_edits_are_dropped_not_applied() {
        let edits = [TextEdit::replace(r(0, 2), "X"), TextEdit::replace(r(1, 3), "Y"), TextEdit::insert(99, "Z")];
        assert_eq!(apply("abcd", &edits), "Xcd");
        // Not on a character boundary.
        assert_eq!(apply("é", &[TextEdit::insert(1, "x")]), "é");
    }

    #[test]
    fn multibyte_text() {
        let text = "é: 1";
        assert_eq!(apply(text, &[TextEdit::replace(r(4, 5), "2")]), "é: 2");
    }

    #[test]
    fn debug_hides_new_text() {
        let e = TextEdit::replace(r(0, 1), "pat-na1-secret");
        assert!(!format!("{e:?}").contains("secret"));
        let op = FileOp::Write { path: "/x".into(), text: "pat-na1-secret".into(), mode: Some(0o600) };
        let d = format!("{op:?}");
        assert!(!d.contains("secret") && d.contains("600"), "{d}");
    }

    #[test]
    fn errors_say_what_to_do() {
        let e = EditError::NotFound { pointer: "/accounts/3".into() };
        assert!(e.to_string().contains("/accounts/3"));
        assert!(EditError::Unparsable { message: "x".into() }.to_string().contains("fix the syntax error"));
    }

    #[cfg(unix)]
    #[test]
    fn apply_ops_runs_a_plan() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("sub/a.yml");
        let b = dir.path().join("b.yml");
        let c = dir.path().join("c.yml");
        std::fs::write(&b, "x: 1\n").unwrap();
        std::fs::write(&c, "gone").unwrap();
        let ops = vec![
            FileOp::Write { path: a.clone(), text: "new\n".into(), mode: Some(0o600) },
            FileOp::Edit { path: b.clone(), edits: vec![TextEdit::replace(r(3, 4), "2")] },
            FileOp::Rename { from: b.clone(), to: dir.path().join("b2.yml") },
            FileOp::Delete { path: c.clone() },
            FileOp::Delete { path: dir.path().join("never-existed") },
        ];
        apply_ops(&ops).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new\n");
        assert_eq!(std::fs::metadata(&a).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(std::fs::read_to_string(dir.path().join("b2.yml")).unwrap(), "x: 2\n");
        assert!(!b.exists() && !c.exists());
    }

    #[test]
    fn a_plan_that_cannot_run_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let written = dir.path().join("new.yml");
        let ops = vec![
            FileOp::Write { path: written.clone(), text: "x".into(), mode: None },
            FileOp::Rename { from: dir.path().join("missing"), to: dir.path().join("to") },
        ];
        let err = apply_ops(&ops).unwrap_err();
        assert!(err.to_string().contains("does not exist"), "{err}");
        assert!(!written.exists());
    }

    #[test]
    fn apply_ops_error_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.yml");
        let err = apply_ops(&[FileOp::Edit { path: missing.clone(), edits: vec![] }]).unwrap_err();
        assert!(err.to_string().contains("missing.yml"), "{err}");
    }
}
