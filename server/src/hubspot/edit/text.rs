//! Line arithmetic on byte offsets, line-break style, and a line diff that turns "old text,
//! new text" back into minimal [`TextEdit`]s.

use super::TextEdit;
use crate::syntax::TextRange;

/// Offset of the start of the line holding `at`.
pub(crate) fn line_start(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Offset of the end of the line holding `at`, before its `\n` or `\r\n`.
pub(crate) fn line_end(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// Offset just past the line break at `end` (a [`line_end`]), or `end` at the end of the text.
pub(crate) fn after_line_break(text: &str, end: usize) -> usize {
    let rest = &text.as_bytes()[end.min(text.len())..];
    if rest.starts_with(b"\r\n") {
        end + 2
    } else if rest.starts_with(b"\n") {
        end + 1
    } else {
        end
    }
}

/// Column (in bytes, which is characters for the ASCII indentation YAML allows) of `at`.
pub(crate) fn column(text: &str, at: usize) -> usize {
    let mut start = line_start(text, at);
    // A byte order mark opens the first line (Notepad writes one) but is not indentation.
    if start == 0 && text.starts_with('\u{feff}') {
        start = '\u{feff}'.len_utf8();
    }
    at.min(text.len()).saturating_sub(start)
}

/// `\r\n` if the file uses it (CRLF files stay CRLF), else `\n`.
pub(crate) fn newline(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

/// The first non-blank offset of the line holding `at`.
pub(crate) fn line_content_start(text: &str, at: usize) -> usize {
    let s = line_start(text, at);
    s + text[s..].bytes().take_while(|b| *b == b' ' || *b == b'\t').count()
}

/// Whether only blanks separate `at` from the start of its line.
pub(crate) fn starts_line(text: &str, at: usize) -> bool {
    line_content_start(text, at) >= at.min(text.len())
}

/// Edits turning `old` into `new`: one per changed run of lines, each trimmed to the bytes
/// that really differ. Falls back to one edit when the files are too different to diff
/// cheaply (the result is the same text either way).
pub(crate) fn diff(old: &str, new: &str) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (am, bm) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let a_base: usize = a[..prefix].iter().map(|l| l.len()).sum();
    let b_base: usize = b[..prefix].iter().map(|l| l.len()).sum();
    let mut hunks: Vec<(usize, usize, usize, usize)> = Vec::new(); // line ranges in am, bm
    if am.len().saturating_mul(bm.len()) > 1_000_000 {
        hunks.push((0, am.len(), 0, bm.len()));
    } else {
        // Longest common subsequence of lines, then walk it into hunks.
        let (n, m) = (am.len(), bm.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if am[i] == bm[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        let mut open: Option<(usize, usize)> = None;
        while i < n || j < m {
            if i < n && j < m && am[i] == bm[j] {
                if let Some((si, sj)) = open.take() {
                    hunks.push((si, i, sj, j));
                }
                i += 1;
                j += 1;
                continue;
            }
            open.get_or_insert((i, j));
            if j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j]) {
                j += 1;
            } else {
                i += 1;
            }
        }
        if let Some((si, sj)) = open {
            hunks.push((si, n, sj, m));
        }
    }
    let offsets = |lines: &[&str], base: usize| {
        let mut v = Vec::with_capacity(lines.len() + 1);
        let mut at = base;
        v.push(at);
        for l in lines {
            at += l.len();
            v.push(at);
        }
        v
    };
    let (ao, bo) = (offsets(am, a_base), offsets(bm, b_base));
    hunks.into_iter().map(|(si, ei, sj, ej)| trimmed_edit(old, new, ao[si], ao[ei], bo[sj], bo[ej])).collect()
}

/// One edit replacing `old[a0..a1]` by `new[b0..b1]`, without their common ends.
fn trimmed_edit(old: &str, new: &str, mut a0: usize, mut a1: usize, mut b0: usize, mut b1: usize) -> TextEdit {
    let (x, y) = (old.as_bytes(), new.as_bytes());
    while a0 < a1 && b0 < b1 && x[a0] == y[b0] {
        a0 += 1;
        b0 += 1;
    }
    while a1 > a0 && b1 > b0 && x[a1 - 1] == y[b1 - 1] {
        a1 -= 1;
        b1 -= 1;
    }
    // Back off to character boundaries (both sides moved in step, so they agree).
    while !(old.is_char_boundary(a0) && new.is_char_boundary(b0)) {
        a0 -= 1;
        b0 -= 1;
    }
    while !(old.is_char_boundary(a1) && new.is_char_boundary(b1)) {
        a1 += 1;
        b1 += 1;
    }
    TextEdit { range: TextRange::new(a0, a1), new_text: new[b0..b1].to_string() }
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::*;

    #[test]
    fn lines() {
        let t = "ab\r\n  cd\nef";
        assert_eq!(line_end(t, 0), 2);
        assert_eq!(after_line_break(t, 2), 4);
        assert_eq!(line_start(t, 6), 4);
        assert_eq!(column(t, 6), 2);
        assert_eq!(line_end(t, 10), 11);
        assert!(starts_line(t, 6) && !starts_line(t, 7));
        assert_eq!(newline(t), "\r\n");
        assert_eq!(newline("a\n"), "\n");
    }

    #[test]
    fn diff_round_trips_and_stays_small() {
        let cases = [
            ("a\nb\nc\n", "a\nB\nc\n"),
            ("a\nb\nc\n", "a\nc\n"),
            ("a\nc", "a\nb\nc"),
            ("", "x: 1\n"),
            ("x: 1\n", ""),
            ("é1\né2\n", "é1\nè2\n"),
            ("k: a\nm: b\nn: c\n", "k: A\nm: b\nn: C\nz: 1\n"),
        ];
        for (old, new) in cases {
            let edits = diff(old, new);
            assert_eq!(apply(old, &edits), new, "{old:?} -> {new:?}");
        }
        let edits = diff("k: a\nm: b\nn: c\n", "k: A\nm: b\nn: C\n");
        assert_eq!(edits.len(), 2);
        assert!(edits.iter().all(|e| e.range.len() == 1 && e.new_text.len() == 1));
    }
}
