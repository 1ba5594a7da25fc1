//! Output of `check`: compiler-style text, or the JSON array of CONTRACT §1.

use std::io::Write;
use std::path::Path;

use ropey::Rope;
use serde_json::{json, Value};

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
        let mask = Mask::of(r);
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
                "message": mask.apply(&d.message),
            }));
        }
    }
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

fn human(reports: &[Report], cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    let (mut errors, mut warnings) = (0, 0);
    for r in reports {
        let mask = Mask::of(r);
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
            let line_text = mask.line(&line_text);
            writeln!(out, "{}:{}:{}: {}[{}]: {}", shown.display(), s.line + 1, start_char + 1, d.severity.as_str(), d.code.as_str(), mask.apply(&d.message))?;
            writeln!(out, "  {}", line_text)?;
            let pad: String = line_text.chars().take(start_char).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            writeln!(out, "  {}{}", pad, "^".repeat(width))?;
        }
    }
    writeln!(out, "{} file(s) checked: {} error(s), {} warning(s)", reports.len(), errors, warnings)
}

/// Keeps credentials out of what `check` prints (CI logs are read by many): the quoted source
/// line of a finding on a key's line, or a message that quotes a value, would otherwise show a
/// personal access key or token. Each character of one becomes `*`, so carets still line up.
struct Mask {
    /// Values under keys that name a credential (`personalAccessKey`, `accessToken`, and
    /// misspellings such as `personalAcessKey`), long enough not to be common words.
    values: Vec<String>,
}

/// A key that names a credential, by what it contains (lowercased).
fn names_credential(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    ["key", "token", "secret", "password"].iter().any(|w| k.contains(w))
}

/// Shorter values are left alone: masking every `qa` on a line would hide more than it saves.
const MIN_MASKED: usize = 6;

impl Mask {
    fn of(r: &Report) -> Mask {
        fn walk(v: &Value, under_credential: bool, out: &mut Vec<String>) {
            match v {
                Value::String(s) if under_credential && s.chars().count() >= MIN_MASKED => out.push(s.clone()),
                Value::Object(m) => m.iter().for_each(|(k, v)| walk(v, names_credential(k), out)),
                Value::Array(items) => items.iter().for_each(|i| walk(i, under_credential, out)),
                _ => {}
            }
        }
        let mut values = Vec::new();
        if let Some(tree) = &r.file.tree {
            walk(&tree.value, false, &mut values);
        }
        // Longest first, so a value holding another is masked whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        values.dedup();
        Mask { values }
    }

    fn apply(&self, text: &str) -> String {
        let mut out = text.to_string();
        for v in &self.values {
            if out.contains(v.as_str()) {
                out = out.replace(v.as_str(), &"*".repeat(v.chars().count()));
            }
        }
        out
    }

    /// A source line: the known values, and whatever follows `key:` on a line whose key names
    /// a credential (a line the parser could not read holds no known value).
    fn line(&self, line: &str) -> String {
        let out = self.apply(line);
        let body = out.trim_start_matches([' ', '-']);
        let Some(colon) = body.find(':') else { return out };
        let key = body[..colon].trim_matches(['"', '\'', ' ']);
        let value_at = out.len() - body.len() + colon + 1;
        let value = &out[value_at..];
        if !names_credential(key) || value.trim().chars().count() < MIN_MASKED {
            return out;
        }
        let lead = value.len() - value.trim_start().len();
        let masked: String = value[lead..].chars().map(|c| if c == ' ' { ' ' } else { '*' }).collect();
        format!("{}{}{}", &out[..value_at], &value[..lead], masked)
    }
}
