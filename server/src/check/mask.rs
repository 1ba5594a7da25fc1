//! Keeps credentials out of what `check` prints, in every format and in `--diff`.

use crate::analysis::SourceFile;
use crate::hubspot::credentials::{names_credential, Credentials, MIN_CREDENTIAL};
use crate::syntax::TextRange;

/// Keeps credentials out of the source lines `check` prints (CI logs are read by many): a
/// finding's quoted line, or a diff's, would otherwise show a personal access key or token.
/// Each character of one becomes `*`, so carets still line up. (Findings' messages never
/// quote one: the analysis redacts them.)
pub(super) struct Mask<'a> {
    credentials: Credentials<'a>,
}

impl<'a> Mask<'a> {
    pub(super) fn new(file: &'a SourceFile) -> Mask<'a> {
        let credentials = file.tree.as_deref().map(Credentials::of).unwrap_or_default();
        Mask { credentials }
    }

    /// The source line starting at byte `line_start`: every part of it inside a credential's
    /// value (which may span lines), each word that is one of the file's credentials or looks
    /// like a personal access key (an anchor's text, a key pasted under another name), and
    /// whatever follows `key:` when the key names a credential (a line the parser could not
    /// read has no value in the tree).
    pub(super) fn line(&self, line: &str, line_start: usize) -> String {
        let line_range = TextRange::new(line_start, line_start + line.len());
        let mut hidden = vec![false; line.len()];
        for r in self.credentials.ranges.iter().filter(|r| r.start < line_range.end && r.end > line_range.start) {
            let from = (r.start as usize).saturating_sub(line_start);
            let to = (r.end as usize - line_start).min(line.len());
            hidden[from..to].iter_mut().for_each(|h| *h = true);
        }
        for (at, core) in self.credentials.found_in(line) {
            hidden[at..at + core.len()].iter_mut().for_each(|h| *h = true);
        }
        let out: String = line
            .char_indices()
            .map(|(i, c)| if hidden[i] && !c.is_whitespace() && c != '"' && c != '\'' { '*' } else { c })
            .collect();
        let body = out.trim_start_matches([' ', '-']);
        let Some(colon) = body.find(':') else { return out };
        let key = body[..colon].trim_matches(['"', '\'', ' ']);
        let value_at = out.len() - body.len() + colon + 1;
        let value = &out[value_at..];
        if !names_credential(key) || value.trim().chars().count() < MIN_CREDENTIAL {
            return out;
        }
        let lead = value.len() - value.trim_start().len();
        let masked: String = value[lead..].chars().map(|c| if c == ' ' { ' ' } else { '*' }).collect();
        format!("{}{}{}", &out[..value_at], &value[..lead], masked)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::analysis::DocKind;

    const KEYS: [&str; 5] =
        ["pat-na1-11112222-3333", "CNtokentokentoken", "refresh-me-please", "s3cr3t-value", "quoted pak value"];

    fn file(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::parse("/x/.hscli/config.yml".into(), DocKind::GlobalConfig, text))
    }

    #[test]
    fn no_printed_line_shows_a_credential_whatever_its_layout() {
        let text = format!(
            "accounts:\n  - name: a\n    personalAccessKey: {} # from the page\n    auth:\n      tokenInfo: {{accessToken: {}, expiresAt: x}}\n  - {{name: b, refreshToken: '{}'}}\n  - name: c\n    clientSecret:\n      {}\n    apiKey: \"{}\"\n    personalAcessKey: {}:broken: line\n    name: 😀 {}\n",
            KEYS[0], KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[0], KEYS[1]
        );
        let r = file(&text);
        let mask = Mask::new(&r);
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            let shown = mask.line(line.trim_end_matches('\n'), at);
            for k in KEYS.iter().filter(|_| !line.starts_with("    name: 😀")) {
                assert!(!shown.contains(k), "{k} in {shown:?}");
            }
            assert_eq!(
                shown.chars().count(),
                line.trim_end_matches('\n').chars().count(),
                "masked in place: {shown:?}"
            );
            at += line.len();
        }
        // The same text under a key that names no credential stays (the last line's `name`).
        assert!(mask.line(&format!("    name: 😀 {}", KEYS[1]), text.rfind("    name: 😀").unwrap()).contains("😀"));
    }

    #[test]
    fn lines_that_are_not_key_value_pairs_pass_unchanged() {
        let r = file("a: 1\n");
        let mask = Mask::new(&r);
        for line in [
            "",
            "-",
            "- - x",
            ":",
            "::::",
            "# personalAccessKey: abcdefgh",
            "key:",
            "'token': ",
            "\u{2028}é:ü",
            "  token : x",
        ] {
            let shown = mask.line(line, 0);
            assert_eq!(shown.chars().count(), line.chars().count(), "{line:?} -> {shown:?}");
        }
        assert_eq!(mask.line("token: abcdefgh", 0), "token: ********");
        assert_eq!(mask.line("httpTimeout: 30000", 0), "httpTimeout: 30000");
    }
}
