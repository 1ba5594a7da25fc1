//! Facts about YAML source text that saphyr-parser's events do not carry: byte offsets for
//! its char indices, where a quoted scalar really ends, where a collection's node starts
//! after its anchor or tag, a block item's dash, and the tabs js-yaml accepts.

use saphyr_parser::Span;

use super::range::TextRange;

/// Byte range of the line holding `offset`, without its line break.
pub fn line_of(text: &str, offset: usize) -> std::ops::Range<usize> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let end = text[offset..].find(['\n', '\r']).map_or(text.len(), |i| offset + i);
    start..end
}

/// Maps saphyr's char indices to byte offsets. Events arrive almost in order, so a cursor
/// that walks forward (and, rarely, back) is cheaper than a table for the whole text.
pub struct CharToByte<'t> {
    text: &'t str,
    ascii: bool,
    char_idx: usize,
    byte_idx: usize,
}

impl<'t> CharToByte<'t> {
    pub fn new(text: &'t str) -> Self {
        CharToByte { text, ascii: text.is_ascii(), char_idx: 0, byte_idx: 0 }
    }

    pub fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if char_index < self.char_idx / 2 {
            self.char_idx = 0;
            self.byte_idx = 0;
        }
        while self.char_idx < char_index {
            match self.text[self.byte_idx..].chars().next() {
                Some(c) => {
                    self.byte_idx += c.len_utf8();
                    self.char_idx += 1;
                }
                None => break,
            }
        }
        while self.char_idx > char_index {
            match self.text[..self.byte_idx].chars().next_back() {
                Some(c) => {
                    self.byte_idx -= c.len_utf8();
                    self.char_idx -= 1;
                }
                None => break,
            }
        }
        self.byte_idx
    }

    pub fn range(&mut self, span: Span) -> TextRange {
        let start = self.byte(span.start.index());
        let end = self.byte(span.end.index());
        TextRange::new(start, end)
    }
}

/// Where the tab is when saphyr's error at `at` is about a `:` followed by a tab (which
/// js-yaml accepts as the separator).
pub fn tab_after_colon(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes();
    (at.saturating_sub(2)..b.len().min(at + 2)).find(|&i| i > 0 && b[i] == b'\t' && b[i - 1] == b':')
}

/// The parser's span of a quoted scalar can run past the closing quote (over trailing
/// blanks and a comment); end it at the closing quote.
pub fn quoted_extent(text: &str, range: TextRange) -> TextRange {
    let start = range.start as usize;
    let bytes = text.as_bytes();
    let Some(&quote) = bytes.get(start).filter(|b| **b == b'"' || **b == b'\'') else { return range };
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return TextRange::new(start, i + 1),
            _ => i += 1,
        }
    }
    range
}

/// A collection's span starts at its anchor or tag (`&x {...}`); the node itself starts after.
pub fn skip_properties(text: &str, mut start: usize) -> usize {
    while let Some(rest) = text.get(start..) {
        if !(rest.starts_with('&') || rest.starts_with('!')) {
            break;
        }
        let token = rest.find([' ', '\t', '\n', '\r']).unwrap_or(rest.len());
        let after = &rest[token..];
        let ws = after.len() - after.trim_start_matches([' ', '\t', '\n', '\r']).len();
        start += token + ws;
    }
    start
}

/// For a block sequence item, where its `-` is (so deleting the entry removes the dash too).
pub fn dash_before(text: &str, start: usize) -> usize {
    let before = &text[..start.min(text.len())];
    let trimmed = before.trim_end_matches([' ', '\t']);
    if trimmed.ends_with('-') {
        trimmed.len() - 1
    } else {
        start
    }
}

/// Between the `-` before `start` and `start` there is a tab (`-\tname: a`).
pub fn tab_after_dash(text: &str, start: usize) -> bool {
    let before = &text[..start.min(text.len())];
    let gap = before.len() - before.trim_end_matches([' ', '\t']).len();
    before.trim_end_matches([' ', '\t']).ends_with('-') && before[before.len() - gap..].contains('\t')
}
