//! Byte ranges into a document's text.

use std::ops::Range;

/// A half-open byte range `[start, end)` into a document's UTF-8 text.
///
/// Everything below the protocol layer speaks bytes; conversion to LSP's UTF-16
/// line/character positions happens once, in `syntax::position`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: usize, end: usize) -> Self {
        let (start, end) = if end < start { (end, start) } else { (start, end) };
        TextRange { start: start as u32, end: end as u32 }
    }

    pub fn empty(at: usize) -> Self {
        TextRange::new(at, at)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < self.end as usize
    }

    /// Like `contains`, but a cursor right after the last character also counts
    /// (the usual situation while typing).
    pub fn touches(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset <= self.end as usize
    }

    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange { start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    pub fn as_range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The text under this range, or "" if it does not fit the text.
    pub fn slice(self, text: &str) -> &str {
        text.get(self.as_range()).unwrap_or("")
    }
}
