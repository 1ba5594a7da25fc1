//! A JSON string literal, as serde_json's parser has already checked it, turned into its
//! text: written over the literal itself ([`unescape_to_front`], for a document's text), or
//! into one allocation of the literal's size ([`unescape`]).
//!
//! Why: a document's text is the one large string the protocol carries (~9 MB for a
//! 20,000-account config, one `\n` escape per line). serde_json builds it in a scratch
//! buffer that grows by doubling and then copies it out, and an untagged message enum
//! copies it twice more; each copy is fresh memory, which on the VMs measured is the
//! dearest part of the copy.

/// The text of `literal` (a JSON string literal, quotes included), or `None` for anything
/// this does not vouch for (the caller then takes serde_json's general path, which decides).
pub fn unescape(literal: &str) -> Option<String> {
    inside(literal.as_bytes())?;
    let inner = &literal[1..literal.len() - 1];
    let mut out = String::with_capacity(inner.len());
    // Stretches between escapes start and end at ASCII bytes: whole characters.
    walk(inner.as_bytes(), |piece| match piece {
        Piece::As(a, b) => out.push_str(&inner[a..b]),
        Piece::Escaped(c) => out.push(c),
    })?;
    Some(out)
}

/// Writes the text of the literal at `buf[literal]` (one that serde_json's parser let through:
/// every escape well formed) to the front of `buf` and returns its length; `None`, with `buf`
/// as it was, for a literal [`unescape`] would refuse. Why: the message that carried a
/// document's text becomes that text, without fresh memory for it (the text is never longer
/// than its literal, so what is written never overtakes what is still to be read).
pub fn unescape_to_front(buf: &mut [u8], literal: std::ops::Range<usize>) -> Option<usize> {
    // Checked first, so that nothing is changed unless all of it can be: what serde_json did
    // not check, what each `\u` escape stands for (a lone surrogate). A `\\` before a `u`
    // is looked at too: at worst a refusal, and the general path.
    let inner = inside(buf.get(literal.clone())?)?;
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&inner[from..], b"\\u") {
        let (_, len) = unicode(&inner[from + found + 1..])?;
        from += found + 1 + len;
    }
    let (mut from, stop) = (literal.start + 1, literal.end - 1);
    let mut to = 0;
    while let Some(found) = memchr::memchr(b'\\', &buf[from..stop]) {
        let slash = from + found;
        buf.copy_within(from..slash, to);
        to += slash - from;
        let (ch, len) = escape(&buf[slash + 1..stop])?;
        let mut utf8 = [0; 4];
        let utf8 = ch.encode_utf8(&mut utf8).as_bytes();
        // At most as long as the escape it replaces (`\n` -> 1 byte, `\uXXXX` -> 3 at most).
        buf[to..to + utf8.len()].copy_from_slice(utf8);
        to += utf8.len();
        from = slash + 1 + len;
    }
    buf.copy_within(from..stop, to);
    Some(to + (stop - from))
}

/// A literal's bytes between its quotes.
fn inside(literal: &[u8]) -> Option<&[u8]> {
    literal.strip_prefix(b"\"")?.strip_suffix(b"\"")
}

/// A literal's text, piece by piece.
enum Piece {
    /// The bytes `a..b` of the inside, taken as they are.
    As(usize, usize),
    /// The character of an escape.
    Escaped(char),
}

/// Goes through the inside of a literal in order; `None` at an escape not vouched for.
fn walk(inner: &[u8], mut piece: impl FnMut(Piece)) -> Option<()> {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'\\', &inner[at..]) {
        let slash = at + found;
        piece(Piece::As(at, slash));
        let (ch, len) = escape(&inner[slash + 1..])?;
        piece(Piece::Escaped(ch));
        at = slash + 1 + len;
    }
    piece(Piece::As(at, inner.len()));
    Some(())
}

/// The character an escape stands for, and how many bytes after the backslash it took.
fn escape(after: &[u8]) -> Option<(char, usize)> {
    let simple = match *after.first()? {
        b'n' => '\n',
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b't' => '\t',
        b'r' => '\r',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'u' => return unicode(after),
        _ => return None,
    };
    Some((simple, 1))
}

/// `uXXXX`, or a surrogate pair `uXXXX\uXXXX`; a lone surrogate is left to serde_json.
fn unicode(after: &[u8]) -> Option<(char, usize)> {
    let high = hex4(after.get(1..5)?)?;
    if !(0xD800..0xE000).contains(&high) {
        return Some((char::from_u32(high)?, 5));
    }
    if high >= 0xDC00 || after.get(5..7)? != b"\\u" {
        return None;
    }
    let low = hex4(after.get(7..11)?)?;
    if !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    Some((char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))?, 11))
}

fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| Some(acc * 16 + (d as char).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_json makes of the same literal.
    fn serde(literal: &str) -> Option<String> {
        serde_json::from_str::<String>(literal).ok()
    }

    #[test]
    fn agrees_with_serde_json_on_every_kind_of_escape() {
        for text in [
            "",
            "plain",
            "accounts:\n  - name: a\r\n",
            "quote \" backslash \\ slash / tab \t bs \u{8} ff \u{c}",
            "emoji 😀, accents é, CJK 漢字, U+2028 \u{2028}, NUL \u{0}",
            "\\n is not a newline here",
            "ends with a backslash \\",
        ] {
            let literal = serde_json::to_string(text).unwrap();
            assert_eq!(unescape(&literal).as_deref(), Some(text), "{literal}");
        }
        // Escapes serde_json itself would not write.
        for literal in [r#""\/""#, r#""\u00e9\u0041""#, r#""\ud83d\ude00""#, r#""a\u2028b""#, r#""\uD83D\uDE00""#] {
            assert_eq!(unescape(literal), serde(literal), "{literal}");
        }
    }

    #[test]
    fn leaves_what_it_does_not_vouch_for_to_serde_json() {
        // Lone surrogates, a reversed pair, bad hex, an unknown escape, a dangling backslash,
        // missing quotes: never a wrong text, at worst the general path.
        for literal in
            [r#""\ud83d""#, r#""\ude00\ud83d""#, r#""\ud83dx""#, r#""\u12g4""#, r#""\q""#, r#""\""#, "abc", r#""\u12""#]
        {
            assert_eq!(unescape(literal), None, "{literal}");
        }
    }

    #[test]
    fn written_to_the_front_of_its_message_the_text_is_the_same() {
        for text in ["", "plain", "a\nb\r\n\t\"q\" \\ é 😀 \u{2028} \u{0}", &"line: \"x\"\n".repeat(1000)] {
            let message = format!("{{\"text\":{}}}", serde_json::to_string(text).unwrap());
            let mut buf = message.clone().into_bytes();
            let n = unescape_to_front(&mut buf, 8..message.len() - 1).unwrap();
            assert_eq!(std::str::from_utf8(&buf[..n]).unwrap(), text);
        }
        // Refused: left exactly as it was.
        let message = br#"{"text":"ok \ud800 then"}"#;
        let mut buf = message.to_vec();
        assert_eq!(unescape_to_front(&mut buf, 8..message.len() - 1), None);
        assert_eq!(buf, message);
        assert_eq!(unescape_to_front(&mut buf, 8..9999), None, "out of range");
    }

    #[test]
    fn sizes_its_text_once() {
        let text = "line\n".repeat(10_000);
        let literal = serde_json::to_string(&text).unwrap();
        let out = unescape(&literal).unwrap();
        assert_eq!(out, text);
        // One allocation of the literal's size (an upper bound of the text's), never regrown.
        assert_eq!(out.capacity(), literal.len() - 2);
    }
}
