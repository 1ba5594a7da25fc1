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
mod ops;
mod scalar;
pub(crate) mod text;
pub mod yaml;

use std::fmt;

use crate::syntax::TextRange;

pub use checked::Editor;
pub(crate) use ops::touched;
pub use ops::{apply_ops, FileOp, DEFAULT_NEW_FILE_MODE};
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
}
