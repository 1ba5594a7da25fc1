//! Output of `check`: compiler-style text, or the JSON array of CONTRACT §1.

use std::io::Write;
use std::path::Path;

use ropey::Rope;
use serde_json::json;

use crate::analysis::Severity;
use crate::syntax::position::offset_to_line_col;

use super::Report;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

pub fn write(reports: &[Report], format: Format, cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json_out(reports, out),
        Format::Human => human(reports, cwd, out),
    }
}

fn json_out(reports: &[Report], out: &mut dyn Write) -> std::io::Result<()> {
    let mut items = Vec::new();
    for r in reports {
        let rope = Rope::from_str(&r.file.text);
        for d in &r.diagnostics {
            let s = offset_to_line_col(&rope, d.range.start as usize);
            let e = offset_to_line_col(&rope, d.range.end as usize);
            items.push(json!({
                "path": r.file.path.display().to_string(),
                "range": {
                    "start": {"line": s.line, "character": s.character},
                    "end": {"line": e.line, "character": e.character},
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
    let (mut errors, mut warnings) = (0, 0);
    for r in reports {
        let rope = Rope::from_str(&r.file.text);
        let shown = r.file.path.strip_prefix(cwd).unwrap_or(&r.file.path);
        for d in &r.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                _ => {}
            }
            let s = offset_to_line_col(&rope, d.range.start as usize);
            // Humans count columns in characters, from 1.
            let line_text: String = if (s.line as usize) < rope.len_lines() {
                rope.line(s.line as usize).to_string().trim_end_matches(['\n', '\r']).to_string()
            } else {
                String::new()
            };
            let start_char = rope.byte_to_char(d.range.start as usize) - rope.line_to_char(s.line as usize);
            let width = r.file.text[d.range.as_range()].chars().take_while(|c| *c != '\n' && *c != '\r').count().max(1);
            writeln!(out, "{}:{}:{}: {}[{}]: {}", shown.display(), s.line + 1, start_char + 1, d.severity.as_str(), d.code.as_str(), d.message)?;
            writeln!(out, "  {}", line_text)?;
            let pad: String = line_text.chars().take(start_char).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(out, "  {}{}", pad, "^".repeat(width))?;
        }
    }
    writeln!(out, "{} file(s) checked: {} error(s), {} warning(s)", reports.len(), errors, warnings)
}
