//! Byte offsets <-> LSP positions (0-based line, UTF-16 code units), over a `ropey::Rope`.
//!
//! Ropey is built with `cr_lines` only, so its line breaks are exactly LSP's: `\n`, `\r\n`
//! and `\r`. U+2028, U+2029 and NEL are ordinary characters here, as LSP says they are.
//! This is the one place where UTF-16 is counted.

use ropey::Rope;

use super::range::TextRange;

/// A position as LSP counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct LineCol {
    pub line: u32,
    /// UTF-16 code units from the start of the line.
    pub character: u32,
}

/// Byte offset -> position. Offsets past the end clamp to the end; offsets inside a
/// multi-byte character clamp to its start.
pub fn offset_to_line_col(rope: &Rope, offset: usize) -> LineCol {
    let offset = offset.min(rope.len_bytes());
    let char_idx = rope.byte_to_char(offset);
    let line = rope.char_to_line(char_idx);
    let line_start = rope.line_to_char(line);
    let character = rope.char_to_utf16_cu(char_idx) - rope.char_to_utf16_cu(line_start);
    LineCol { line: line as u32, character: character as u32 }
}

/// Position -> byte offset. A line past the end means the end of the text; a character
/// past the end of its line means the end of that line (before its line break), as LSP says.
pub fn line_col_to_offset(rope: &Rope, pos: LineCol) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let line_start_char = rope.line_to_char(line);
    let line_slice = rope.line(line);
    let line_chars = line_slice.len_chars();
    let break_chars = trailing_break_chars(&line_slice);
    let content_chars = line_chars - break_chars;
    let start_cu = rope.char_to_utf16_cu(line_start_char);
    let want_cu = start_cu + pos.character as usize;
    let end_cu = rope.char_to_utf16_cu(line_start_char + content_chars);
    let char_idx = if want_cu >= end_cu {
        line_start_char + content_chars
    } else {
        // A position inside a surrogate pair lands on the character's start.
        rope.utf16_cu_to_char(want_cu)
    };
    rope.char_to_byte(char_idx)
}

fn trailing_break_chars(line: &ropey::RopeSlice<'_>) -> usize {
    let n = line.len_chars();
    if n == 0 {
        return 0;
    }
    match line.char(n - 1) {
        '\n' if n >= 2 && line.char(n - 2) == '\r' => 2,
        '\n' | '\r' => 1,
        _ => 0,
    }
}

pub fn range_to_line_cols(rope: &Rope, range: TextRange) -> (LineCol, LineCol) {
    (offset_to_line_col(rope, range.start as usize), offset_to_line_col(rope, range.end as usize))
}

/// Replace the text between two positions (an LSP incremental change). Returns the byte
/// range of the old text that was replaced.
pub fn apply_change(rope: &mut Rope, start: LineCol, end: LineCol, new_text: &str) {
    let s = line_col_to_offset(rope, start);
    let e = line_col_to_offset(rope, end).max(s);
    let (sc, ec) = (rope.byte_to_char(s), rope.byte_to_char(e));
    rope.remove(sc..ec);
    rope.insert(sc, new_text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(line: u32, character: u32) -> LineCol {
        LineCol { line, character }
    }

    #[test]
    fn emoji_count_two_utf16_units() {
        let rope = Rope::from_str("a😀b\nc");
        let b = "a😀".len();
        assert_eq!(offset_to_line_col(&rope, b), lc(0, 3));
        assert_eq!(line_col_to_offset(&rope, lc(0, 3)), b);
        // Inside the surrogate pair: the character's start.
        assert_eq!(line_col_to_offset(&rope, lc(0, 2)), 1);
        assert_eq!(line_col_to_offset(&rope, lc(1, 0)), "a😀b\n".len());
    }

    #[test]
    fn crlf_and_lone_cr_break_lines() {
        let rope = Rope::from_str("ab\r\ncd\ref");
        assert_eq!(offset_to_line_col(&rope, 4), lc(1, 0));
        assert_eq!(offset_to_line_col(&rope, 7), lc(2, 0));
        // Past the end of a CRLF line: before the \r.
        assert_eq!(line_col_to_offset(&rope, lc(0, 99)), 2);
        assert_eq!(line_col_to_offset(&rope, lc(1, 99)), 6);
    }

    #[test]
    fn u2028_is_not_a_line_break() {
        let text = "a\u{2028}b\u{2029}c\u{85}d\ne";
        let rope = Rope::from_str(text);
        assert_eq!(rope.len_lines(), 2);
        let d = text.find('d').unwrap();
        assert_eq!(offset_to_line_col(&rope, d), lc(0, 6));
        assert_eq!(line_col_to_offset(&rope, lc(0, 6)), d);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let rope = Rope::from_str("ab\n");
        assert_eq!(line_col_to_offset(&rope, lc(5, 0)), 3);
        assert_eq!(offset_to_line_col(&rope, 99), lc(1, 0));
    }

    #[test]
    fn incremental_edits_apply() {
        let mut rope = Rope::from_str("name: a😀\nid: 1\n");
        apply_change(&mut rope, lc(0, 6), lc(0, 9), "bc");
        apply_change(&mut rope, lc(1, 4), lc(1, 5), "22");
        assert_eq!(rope.to_string(), "name: bc\nid: 22\n");
        apply_change(&mut rope, lc(2, 0), lc(2, 0), "x: 1");
        assert_eq!(rope.to_string(), "name: bc\nid: 22\nx: 1");
    }
}
