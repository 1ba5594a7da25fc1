//! The credentials written in one file, to keep them out of what is shown about it: findings
//! (in the editor and in `check`), and the source lines `check` prints.

use std::borrow::Cow;

use serde_json::Value;

use super::secret::redact;
use crate::syntax::{Node, TextRange, Tree};

/// A key that names a credential (`personalAccessKey`, `accessToken`, `clientSecret`,
/// misspellings such as `personalAcessKey`), by what it contains.
pub fn names_credential(key: &str) -> bool {
    let k = key.as_bytes();
    // One pass on the first letters: every key of every account is asked.
    (0..k.len()).any(|i| {
        let word: &[u8] = match k[i].to_ascii_lowercase() {
            b'k' => b"key",
            b't' => b"token",
            b's' => b"secret",
            b'p' => b"password",
            _ => return false,
        };
        k.get(i..i + word.len()).is_some_and(|x| x.eq_ignore_ascii_case(word))
    })
}

/// Whether `word` has the shape of a personal access key (`pat-na1-…`): wherever it is
/// written, it is most likely one pasted in the wrong place.
pub fn looks_like_key(word: &str) -> bool {
    word.len() >= 16 && word.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("pat-"))
}

/// Shorter values are not credentials, and hiding every `qa` would hide more than it saves.
pub const MIN_CREDENTIAL: usize = 6;

fn long_enough(s: &str) -> bool {
    s.len() >= MIN_CREDENTIAL && s.chars().nth(MIN_CREDENTIAL - 1).is_some()
}

/// The bytes a value must not hold to be found as one word: the ASCII delimiters and every
/// non-ASCII byte. A table, since every byte of every token is looked up (the 2,000-account
/// rows of tests/bench).
const SPLITS_WORDS: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b >= 0x80 || is_delimiter(b as u8 as char);
        b += 1;
    }
    table
};

/// What separates a word from what is around it in a message or a line.
pub const fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '{' | '}' | '[' | ']' | '"' | '\'' | '`' | '#')
}

/// The credential values of one file: every string under a key that names a credential
/// (aliases included, so the anchor's own text counts too), and where each is written.
#[derive(Debug, Default)]
pub struct Credentials<'t> {
    /// Sorted, for a binary search: hashing thousands of long tokens cost more than the rest of
    /// the scan (the 2,000-account rows of tests/bench).
    words: Vec<&'t str>,
    /// Values with a delimiter inside, which no single word can equal.
    spaced: Vec<&'t str>,
    /// Where the values are written (a value may span lines).
    pub ranges: Vec<TextRange>,
}

impl<'t> Credentials<'t> {
    pub fn of(tree: &'t Tree) -> Credentials<'t> {
        let mut found = Credentials::default();
        found.walk(&tree.value, tree.root());
        found.words.sort_unstable();
        found.words.dedup();
        found
    }

    fn add(&mut self, value: &'t str) {
        let value = value.trim();
        // Non-ASCII text may hold a delimiter too (a no-break space): searched for whole.
        // In blocks without an early exit, which the compiler can vectorise (tests/bench's
        // 2,000-account change row: every token is scanned).
        let splits =
            value.as_bytes().chunks(64).any(|block| block.iter().fold(false, |s, &b| s | SPLITS_WORDS[b as usize]));
        if splits {
            self.spaced.push(value);
        } else {
            self.words.push(value);
        }
    }

    /// `value`, with its node when it has spans (not below an alias, whose strings still count).
    fn walk(&mut self, value: &'t Value, node: Option<Node<'t>>) {
        match value {
            Value::Object(map) => {
                // A node's entries come in the mapping's order.
                let mut children = node.into_iter().flat_map(|n| n.entries()).map(|(_, _, child)| child);
                for (key, v) in map {
                    let child = children.next().flatten();
                    match v {
                        Value::String(s) if names_credential(key) && long_enough(s) => {
                            self.add(s);
                            self.ranges.extend(child.map(|c| c.spans().value));
                        }
                        _ => self.walk(v, child),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, node.and_then(|n| n.item(i)));
                }
            }
            _ => {}
        }
    }

    /// Whether `word` is one of the credentials or looks like a personal access key.
    pub fn is_credential(&self, word: &str) -> bool {
        long_enough(word) && (self.words.binary_search(&word).is_ok() || looks_like_key(word))
    }

    /// The words of `text` that are credentials (a sentence's closing punctuation left out),
    /// with their byte offsets.
    pub fn found_in<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, &'a str)> + 'a {
        words(text)
            .map(|(at, word)| (at, word.trim_end_matches(['.', ':', '!', '?'])))
            .filter(|(_, core)| self.is_credential(core))
    }

    /// `text` with each credential in it redacted (`pat-na1-…a1b2`).
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Option<String> = None;
        let mut at = 0;
        for (start, core) in self.found_in(text) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
            o.push_str(&text[at..start]);
            o.push_str(&redact(core));
            at = start + core.len();
        }
        let mut text = match out {
            Some(mut o) => {
                o.push_str(&text[at..]);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(text),
        };
        for s in &self.spaced {
            if text.contains(*s) {
                text = Cow::Owned(text.replace(*s, &redact(s)));
            }
        }
        text
    }
}

/// The words of `text` with their byte offsets.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(is_delimiter)
        .scan(0, |at, w| {
            let start = *at;
            // Each split consumed one delimiter character after the word.
            *at += w.len() + text[start + w.len()..].chars().next().map_or(0, char::len_utf8);
            Some((start, w))
        })
        .filter(|(_, w)| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAK: &str = "pat-na1-11111111-2222-3333-4444-55555555a1b2";

    fn tree(text: &str) -> Tree {
        crate::syntax::yaml::parse(text)
    }

    #[test]
    fn findings_never_quote_a_credential_of_the_file_or_a_pasted_key() {
        let t = tree(&format!(
            "x: &k CNtoken-abcdefghijklmnop\naccounts:\n  - personalAccessKey: {PAK}\n    auth: {{tokenInfo: {{accessToken: *k}}}}\n    clientSecret: with spaces inside\n"
        ));
        let c = Credentials::of(&t);
        assert_eq!(
            c.scrub(&format!("`defaultAccount` is \"{PAK}\", but …")),
            "`defaultAccount` is \"pat-na1-…a1b2\", but …"
        );
        assert_eq!(c.scrub("the token CNtoken-abcdefghijklmnop."), "the token …mnop.");
        assert_eq!(c.scrub("name (with spaces inside)"), "name (…side)");
        // A key-shaped word is redacted even when this file does not hold it.
        assert_eq!(c.scrub("`pat-eu1-99999999-aaaa-bbbb-cccc-dddddddddddd`"), "`pat-eu1-…dddd`");
        assert!(matches!(c.scrub("nothing secret here: prod (123)"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_value_over_several_lines_is_one_range() {
        let text = "accounts:\n  - personalAccessKey: \"pat-na1-BBBBBBBB-2222-bbbb-cccc-\n      00000000b456\"\n";
        let t = tree(text);
        let c = Credentials::of(&t);
        let [r] = c.ranges[..] else { panic!("{:?}", c.ranges) };
        assert!(r.slice(text).contains("00000000b456\""), "{:?}", r.slice(text));
    }

    #[test]
    fn words_keep_their_offsets() {
        let text = "a `bé` c,d";
        let got: Vec<_> = words(text).collect();
        assert_eq!(got, vec![(0, "a"), (3, "bé"), (8, "c"), (10, "d")]);
        for (at, w) in got {
            assert_eq!(&text[at..at + w.len()], w);
        }
    }
}
