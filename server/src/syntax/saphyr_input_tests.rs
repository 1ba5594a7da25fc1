//! The YAML reader's scanner reads plain scalars in bulk from a `&str` (our patch of
//! saphyr-parser, vendor/saphyr-parser/PATCHED.md) and character by character from any other
//! input. Both must give the same events, spans and errors for every text.

use proptest::prelude::*;
use saphyr_parser::{BufferedInput, Parser};

/// Every event with its span, then the error that stopped the parser, as text.
fn read<'a, T: saphyr_parser::Input>(parser: Parser<'a, T>) -> Vec<String> {
    let mut out = Vec::new();
    for item in parser {
        match item {
            Ok((event, span)) => out.push(format!("{event:?} {span:?}")),
            Err(e) => {
                out.push(format!("error {e:?}"));
                break;
            }
        }
    }
    out
}

fn assert_same(text: &str) {
    let from_str = read(Parser::new_from_str(text));
    let by_char = read(Parser::new(BufferedInput::new(text.chars())));
    assert_eq!(from_str, by_char, "for {text:?}");
}

#[test]
fn plain_scalars_read_alike_in_bulk_and_by_character() {
    for text in [
        "name: portal-1\naccountId: 123\n",
        "accessToken: CN3W_-abc.def/ghi+jkl=\n",
        "a:b: c\nurl: http://x.test:8080/p?q=1#frag\n",
        "k: value # comment\nk2: v#not-a-comment\n",
        "{a: b, c: d:e, f: [g, h:i, j]}\n",
        "[a,b]: c\n",
        "{a:1}\n",
        "- é ü 漢字 😀 mixed: ok\n- x\u{feff}y\n",
        "key: multi\n  line\n  plain\n",
        "key: trailing",
        "key: ends-with-colon:",
        "key: :x\n",
        "a: b\t\n  c\n",
        "- [a, -b, c-]\n",
        "a: 1\r\nb: 2\r\n",
        "a: b\0c\n",
        "? complex\n: value\n",
        "%YAML 1.2\n---\na: b\n...\n",
    ] {
        assert_same(text);
    }
}

/// Text drawn from the characters that decide where a plain scalar ends.
fn yamlish() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a", "b", "key", "0", "-", ":", ": ", "#", " #", ",", "[", "]", "{", "}", "?", "&x", "*x", "!", "'", "\"", "|",
        ">", " ", "  ", "\t", "\n", "\r\n", "é", "漢", "\u{feff}", "- ", "---", "...", "\0",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(crate::test_support::proptest_config(2000))]

    #[test]
    fn any_text_reads_alike_in_bulk_and_by_character(text in yamlish()) {
        assert_same(&text);
    }
}
