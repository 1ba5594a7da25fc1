//! Keeps credentials out of what `check` prints, in every format and in `--diff`.

use crate::analysis::SourceFile;
use crate::syntax::tree::last_segment;

/// Keeps credentials out of what `check` prints (CI logs are read by many): the quoted source
/// line of a finding on a key's line, or a message that quotes its value, would otherwise show
/// a personal access key or token. Each character of one becomes `*`, so carets still line up.
/// Found through the tree at the places printed, not by collecting every key of the file.
pub(super) struct Mask<'a> {
    file: &'a SourceFile,
}

/// A key that names a credential (`personalAccessKey`, `accessToken`, misspellings such as
/// `personalAcessKey`), by what it contains.
fn names_credential(key: &str) -> bool {
    let k = key.as_bytes();
    [&b"key"[..], b"token", b"secret", b"password"]
        .iter()
        .any(|w| k.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w)))
}

/// Shorter values are left alone: they are not credentials, and masking every `qa` on a line
/// would hide more than it saves.
const MIN_MASKED: usize = 6;

/// What separates a value from what is around it on a line.
fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '{' | '}' | '[' | ']' | '"' | '\'' | '#')
}

fn stars(s: &str) -> String {
    "*".repeat(s.chars().count())
}

impl<'a> Mask<'a> {
    pub(super) fn new(file: &'a SourceFile) -> Mask<'a> {
        Mask { file }
    }

    /// The credential whose value starts at byte `at` (or right after its opening quote).
    fn credential_at(&self, at: usize) -> Option<&'a str> {
        let tree = self.file.tree.as_deref()?;
        let (pointer, spans) = tree.pointers_at(at).into_iter().next()?;
        let start = spans.value.start as usize;
        if !(start == at || start + 1 == at) || !names_credential(&last_segment(&pointer)) {
            return None;
        }
        tree.get(&pointer)?.as_str().filter(|v| v.chars().count() >= MIN_MASKED)
    }

    /// A finding's message, should it quote the credential it is about.
    pub(super) fn message(&self, d: &crate::analysis::Diagnostic) -> String {
        match self.credential_at(d.range.start as usize).or_else(|| self.credential_at(d.range.start as usize + 1)) {
            Some(v) if d.message.contains(v) => d.message.replace(v, &stars(v)),
            _ => d.message.clone(),
        }
    }

    /// The source line starting at byte `line_start`: each credential value on it, and
    /// whatever follows `key:` when the key names a credential (a line the parser could not
    /// read has no value in the tree).
    pub(super) fn line(&self, line: &str, line_start: usize) -> String {
        let mut out = String::with_capacity(line.len());
        let mut i = 0;
        while i < line.len() {
            let word_end = line[i..].find(is_delimiter).map_or(line.len(), |n| i + n);
            if word_end == i {
                let c = line[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&line[i..i + c]);
                i += c;
                continue;
            }
            match self.credential_at(line_start + i).filter(|v| line[i..].starts_with(v)) {
                Some(v) => {
                    out.push_str(&stars(v));
                    i += v.len();
                }
                None => {
                    out.push_str(&line[i..word_end]);
                    i = word_end;
                }
            }
        }
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
