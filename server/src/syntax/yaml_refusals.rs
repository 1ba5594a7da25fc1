//! What the CLI's YAML reader (js-yaml) refuses and saphyr-parser reads: tags it does not
//! know, characters it does not print.

use saphyr_parser::{Span, Tag};

use super::super::range::TextRange;
use super::super::tree::SyntaxError;
use super::super::yaml_scalar::{core_tag, unprintable, NodeKind};
use super::super::yaml_text::skip_properties;
use super::Builder;

impl Builder<'_> {
    /// Where a collection's content starts (after its anchor and tag), its tag checked.
    pub(super) fn collection_start(&mut self, span: Span, tag: Option<&Tag>, kind: NodeKind) -> usize {
        let at = self.pos.range(span).start as usize;
        let start = skip_properties(self.text, at);
        if let Some(Err(reason)) = tag.map(|t| core_tag(t, kind)) {
            let range = TextRange::new(at, start.max(at + 1).min(self.text.len()));
            self.refused(range, "A tag the CLI does not read here".into(), &reason, "Remove the tag.");
        }
        start
    }

    /// Something the CLI's YAML reader refuses the file for, in its own words.
    pub(super) fn refused(&mut self, range: TextRange, what: String, reason: &str, fix: &str) {
        self.semantic_errors.push(SyntaxError {
            range,
            message: format!("{what}: the CLI's YAML reader (js-yaml) refuses the file (\"{reason}\"). {fix}"),
        });
    }

    /// A scalar's text (`range`) holding a character js-yaml refuses there.
    pub(super) fn check_printable(&mut self, range: TextRange, quoted: bool) {
        if let Some((at, c, reason)) = unprintable(range.slice(self.text), quoted) {
            let at = range.start as usize + at;
            self.refused(
                TextRange::new(at, at + c.len_utf8()),
                format!("A control character (U+{:04X}) in this value", c as u32),
                reason,
                "Remove it (or write it as an escape in double quotes).",
            );
        }
    }
}
