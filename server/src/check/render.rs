//! Output of `check`: compiler-style text, one JSON array of `{path, range, severity, code,
//! message}` (0-based lines, UTF-16 characters, as in LSP), GitHub Actions workflow commands,
//! or a SARIF log. Every format prints messages and lines through [`Mask`].

use std::io::Write;
use std::path::Path;

use ropey::Rope;
use serde_json::json;

use crate::analysis::{Diagnostic, Severity};
use crate::syntax::position::offset_to_line_col;

use super::mask::Mask;
use super::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

pub fn write(reports: &[Report], format: Format, cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json_out(reports, out),
        Format::Human => human(reports, cwd, out),
        Format::Github => super::github::write(reports, cwd, out),
        Format::Sarif => super::sarif::write(reports, cwd, out),
    }
}

/// Where a finding is, counted both ways: UTF-16 for LSP-shaped JSON, characters (as people
/// and most tools count them) for the rest. All 0-based.
pub(super) struct Spot {
    pub line: usize,
    pub end_line: usize,
    pub utf16: (u32, u32),
    pub column: usize,
    pub end_column: usize,
}

impl Spot {
    pub fn of(rope: &Rope, d: &Diagnostic) -> Spot {
        let (start, end) = (d.range.start as usize, d.range.end as usize);
        let s = offset_to_line_col(rope, start);
        let e = offset_to_line_col(rope, end);
        let column_of = |offset: usize, line: u32| {
            rope.byte_to_char(offset.min(rope.len_bytes())) - rope.line_to_char(line as usize)
        };
        Spot {
            line: s.line as usize,
            end_line: e.line as usize,
            utf16: (s.character, e.character),
            column: column_of(start, s.line),
            end_column: column_of(end, e.line),
        }
    }
}

/// Each report with its file's text as a rope.
pub(super) fn each(reports: &[Report]) -> impl Iterator<Item = (&Report, Rope)> {
    reports.iter().map(|r| (r, Rope::from_str(&r.file.text)))
}

/// A path as the user gave or sees it: relative to the current directory when inside it.
pub(super) fn shown(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn json_out(reports: &[Report], out: &mut dyn Write) -> std::io::Result<()> {
    let mut items = Vec::new();
    for (r, rope) in each(reports) {
        for d in &r.diagnostics {
            let spot = Spot::of(&rope, d);
            items.push(json!({
                "path": r.file.path.display().to_string(),
                "range": {
                    "start": {"line": spot.line, "character": spot.utf16.0},
                    "end": {"line": spot.end_line, "character": spot.utf16.1},
                },
                "severity": d.severity.as_str(),
                "code": d.code.as_str(),
                "message": d.message,
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

fn human(reports: &[Report], cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    if reports.is_empty() {
        return Ok(()); // what was searched is said on stderr instead
    }
    let (mut errors, mut warnings) = (0, 0);
    for (r, rope) in each(reports) {
        let mask = Mask::new(&r.file);
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
            let spot = Spot::of(&rope, d);
            let line_text: String = if spot.line < rope.len_lines() {
                rope.line(spot.line).to_string().trim_end_matches(['\n', '\r']).to_string()
            } else {
                String::new()
            };
            let width = r.file.text[d.range.as_range()].chars().take_while(|c| *c != '\n' && *c != '\r').count().max(1);
            let line_text = mask.line(&line_text, rope.line_to_byte(spot.line));
            writeln!(
                out,
                "{}:{}:{}: {}[{}]: {}",
                shown(&r.file.path, cwd),
                spot.line + 1,
                spot.column + 1,
                d.severity.as_str(),
                d.code.as_str(),
                d.message
            )?;
            writeln!(out, "  {}", line_text)?;
            let pad: String = line_text.chars().take(spot.column).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(out, "  {}{}", pad, "^".repeat(width))?;
        }
    }
    writeln!(out, "{} file(s) checked: {} error(s), {} warning(s)", reports.len(), errors, warnings)
}
