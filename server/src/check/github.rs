//! `--format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the file and line (a pull request shows it in its diff).

use std::io::Write;
use std::path::Path;

use crate::analysis::Severity;

use super::render::{each, shown, Spot};
use super::Report;

pub(super) fn write(reports: &[Report], cwd: &Path, out: &mut dyn Write) -> std::io::Result<()> {
    for (r, rope) in each(reports) {
        let file = shown(&r.file.path, cwd);
        for d in &r.diagnostics {
            let spot = Spot::of(&rope, d);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Information | Severity::Hint => "notice",
            };
            writeln!(
                out,
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                property(&file),
                spot.line + 1,
                spot.column + 1,
                spot.end_line + 1,
                spot.end_column + 1,
                property(&format!("hubspot-ls({})", d.code.as_str())),
                data(&d.message),
            )?;
        }
    }
    Ok(())
}

/// A message: the runner reads a command up to the line's end and decodes these three.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: besides the message's escapes, `,` ends a property and `:` the list.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_decodes() {
        assert_eq!(data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(property("C:\\a,b%\n"), "C%3A\\a%2Cb%25%0A");
    }
}
