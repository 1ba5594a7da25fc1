//! YAML text -> [`Tree`], with the semantics of the CLI's `js-yaml` `load()` where they matter.
//!
//! Built on `saphyr-parser`'s event stream (YAML 1.2, the parser under `saphyr`'s `MarkedYaml`)
//! rather than on `MarkedYaml` itself, because the events let us keep everything read before a
//! syntax error, and a line-skipping retry lets us read what comes after it. Like js-yaml:
//! plain scalars resolve by the 1.2 core schema (`yes` is a string), keys become strings,
//! aliases expand, a duplicated key is an error, and a second document is an error.

use std::collections::{HashMap, HashSet};

use saphyr::ScalarStyle;
use saphyr_parser::{Event, Parser, Span};
use serde_json::{Map, Value};

use super::range::TextRange;
use super::tree::{SpanNode, Spans, SyntaxError, Tree};
pub use super::yaml_scalar::dates_as_text;
use super::yaml_scalar::{key_string, may_be_unprintable, scalar_value, NodeKind};
use super::yaml_text::{dash_before, line_of, quoted_extent, tab_after_colon, tab_after_dash, CharToByte};
use super::MAX_NESTING;

/// How many times a syntax error may be stepped over by blanking its line.
const MAX_RECOVERIES: usize = 8;

/// Reads `text` whole; after a syntax error, the offending line is blanked and the text read
/// again (up to [`MAX_RECOVERIES`] times), so what follows the error is still checked.
pub fn parse(text: &str) -> Tree {
    let mut errors = Vec::new();
    let mut patched: Option<String> = None;
    let mut blanked: HashSet<usize> = HashSet::new();
    loop {
        let source = patched.as_deref().unwrap_or(text);
        let outcome = Builder::run(source);
        match outcome.error {
            None => {
                let mut tree = Tree::new(outcome.value, outcome.root, errors);
                tree.errors.extend(outcome.semantic_errors);
                tree.complete = tree.errors.is_empty() && blanked.is_empty();
                return tree;
            }
            // js-yaml takes a tab after `key:` as the separator, saphyr wants a space: the
            // same bytes with a space there read as js-yaml reads the original.
            Some(err) if tab_after_colon(source, err.range.start as usize).is_some() => {
                let mut bytes = source.as_bytes().to_vec();
                bytes[tab_after_colon(source, err.range.start as usize).unwrap_or_default()] = b' ';
                patched = Some(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()));
            }
            Some(err) => {
                // Report each distinct position once (a retry may fail at the same place).
                if !errors.iter().any(|e: &SyntaxError| e.range.start == err.range.start) {
                    errors.push(err.clone());
                }
                let line = line_of(source, err.range.start as usize);
                let can_retry = blanked.len() < MAX_RECOVERIES && blanked.insert(line.start);
                if !can_retry {
                    let mut tree = Tree::new(outcome.value, outcome.root, errors);
                    tree.errors.extend(outcome.semantic_errors);
                    tree.complete = false;
                    return tree;
                }
                // Blank the offending line with spaces of the same byte length, so every byte
                // offset in the patched text is the same offset in the user's text.
                let mut bytes = source.as_bytes().to_vec();
                for b in &mut bytes[line.clone()] {
                    *b = b' ';
                }
                // Only ASCII spaces replaced whole lines, so this stays valid UTF-8.
                patched = Some(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()));
            }
        }
    }
}

/// [`parse`], with dates as the text they are written as: edits change text, and a date is
/// one scalar to them (see [`dates_as_text`]).
pub fn parse_for_edits(text: &str) -> Tree {
    let mut tree = parse(text);
    dates_as_text(&mut tree.value);
    tree
}

enum Frame {
    Map {
        map: Map<String, Value>,
        /// Span nodes of the entries, in `map`'s order.
        children: Vec<SpanNode>,
        start: usize,
        end: usize,
        anchor: usize,
        pending_key: Option<PendingKey>,
        /// Keys that came from a merge (`<<`), which a key written later may replace.
        merged: HashSet<String>,
    },
    Seq {
        items: Vec<Value>,
        children: Vec<SpanNode>,
        start: usize,
        end: usize,
        anchor: usize,
    },
}

/// A key read, waiting for its value; `merge` when it is a plain `<<`.
struct PendingKey {
    key: String,
    range: TextRange,
    merge: bool,
}

struct Outcome {
    value: Value,
    root: Option<SpanNode>,
    error: Option<SyntaxError>,
    /// Errors that do not stop the parser but that js-yaml refuses (duplicate keys, ...).
    semantic_errors: Vec<SyntaxError>,
}

struct Builder<'t> {
    text: &'t str,
    pos: CharToByte<'t>,
    stack: Vec<Frame>,
    root_spans: Option<SpanNode>,
    anchors: HashMap<usize, Value>,
    root: Option<Value>,
    documents: usize,
    semantic_errors: Vec<SyntaxError>,
    expanded: usize,
    alias_overflow: bool,
    /// Whether the last scalar read was a plain `<<`: a merge key when it is a key.
    last_merge_key: bool,
    /// Whether the text has a byte that may start a character js-yaml refuses in a scalar.
    may_be_unprintable: bool,
}

const ALIAS_BUDGET: usize = 100_000;

/// Nodes in a value, counting no further than `limit`.
fn node_count(v: &Value, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        if n > limit {
            break;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
    }
    n
}

impl<'t> Builder<'t> {
    fn new(text: &'t str) -> Self {
        Builder {
            text,
            pos: CharToByte::new(text),
            stack: Vec::new(),
            root_spans: None,
            anchors: HashMap::new(),
            root: None,
            documents: 0,
            semantic_errors: Vec::new(),
            expanded: 0,
            alias_overflow: false,
            last_merge_key: false,
            may_be_unprintable: may_be_unprintable(text),
        }
    }

    fn run(text: &'t str) -> Outcome {
        let mut b = Builder::new(text);
        let mut error = None;
        for item in Parser::new_from_str(text) {
            match item {
                Ok((event, span)) => {
                    if !b.on_event(event, span) {
                        break;
                    }
                }
                Err(e) => {
                    let mut at = b.pos.byte(e.marker().index());
                    // An error at the end of the text (an unclosed bracket or quote) is shown
                    // on the last thing written, where the user is looking.
                    if text[at..].trim().is_empty() {
                        let trimmed = text[..at].trim_end();
                        at = trimmed.char_indices().next_back().map_or(0, |(i, _)| i);
                    }
                    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                    error = Some(SyntaxError {
                        range: TextRange::new(at, end),
                        message: format!("YAML syntax error: {}", e.info()),
                    });
                    break;
                }
            }
        }
        b.finish(error)
    }

    /// Closes whatever is still open (what an error left open, so the partial tree keeps
    /// what was read; the blocks still open at the end of the text).
    fn close_all(&mut self) {
        while !self.stack.is_empty() {
            self.close_container(None);
        }
    }

    fn finish(mut self, error: Option<SyntaxError>) -> Outcome {
        self.close_all();
        Outcome {
            value: self.root.unwrap_or(Value::Null),
            root: self.root_spans,
            error,
            semantic_errors: self.semantic_errors,
        }
    }

    /// Returns false when reading should stop.
    fn on_event(&mut self, event: Event<'t>, span: Span) -> bool {
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    let r = self.pos.range(span);
                    let at = if r.is_empty() {
                        TextRange::new(r.start as usize, line_of(self.text, r.start as usize).end)
                    } else {
                        r
                    };
                    self.semantic_errors.push(SyntaxError {
                        range: at,
                        message: "A config file holds one YAML document; the CLI refuses a second one (`---`).".into(),
                    });
                    return false;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let mut range = self.pos.range(span);
                if matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted) {
                    range = quoted_extent(self.text, range);
                }
                // A missing value (`{a}`, `{a, b}`): saphyr's span is the token after it.
                if style == ScalarStyle::Plain && value.is_empty() && tag.is_none() {
                    range = TextRange::new(range.start as usize, range.start as usize);
                }
                if self.may_be_unprintable {
                    self.check_printable(range, matches!(style, ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted));
                }
                let merge_key = style == ScalarStyle::Plain && tag.is_none() && value == "<<";
                let (v, refused) = scalar_value(value, style, tag.as_ref());
                if let Some(reason) = refused {
                    self.refused(range, "A tag the CLI does not read here".into(), &reason, "Remove the tag.");
                }
                if anchor > 0 {
                    self.anchors.insert(anchor, v.clone());
                }
                self.last_merge_key = merge_key;
                self.attach(v, range, Vec::new());
                self.last_merge_key = false;
            }
            Event::Alias(id) => {
                let range = self.pos.range(span);
                let mut v = self.anchors.get(&id).cloned().unwrap_or(Value::Null);
                // Aliases of aliases grow exponentially ("billion laughs"): expand, as
                // js-yaml does, but only up to a budget.
                self.expanded += node_count(&v, ALIAS_BUDGET);
                if self.expanded > ALIAS_BUDGET {
                    if !self.alias_overflow {
                        self.alias_overflow = true;
                        self.semantic_errors.push(SyntaxError {
                            range,
                            message: "Aliases here expand to too much data to read; the rest of them is ignored."
                                .into(),
                        });
                    }
                    v = Value::Null;
                }
                // An alias's value has no spans of its own below the alias itself.
                self.attach(v, range, Vec::new());
            }
            Event::MappingStart(..) | Event::SequenceStart(..) if self.stack.len() >= MAX_NESTING => {
                self.semantic_errors.push(SyntaxError {
                    range: self.pos.range(span),
                    message: format!(
                        "Collections here nest deeper than {MAX_NESTING} levels; the rest of the file is not read."
                    ),
                });
                return false;
            }
            Event::MappingStart(anchor, tag) => {
                let start = self.collection_start(span, tag.as_deref(), NodeKind::Mapping);
                if matches!(self.stack.last(), Some(Frame::Seq { .. })) && tab_after_dash(self.text, start) {
                    self.semantic_errors.push(SyntaxError {
                        range: TextRange::new(start, line_of(self.text, start).end),
                        message: "YAML syntax error: a tab between `-` and a mapping: the CLI's YAML reader (js-yaml) refuses the file (\"bad indentation of a sequence entry\"). Use spaces.".into(),
                    });
                }
                self.stack.push(Frame::Map {
                    map: Map::new(),
                    children: Vec::new(),
                    start,
                    end: start,
                    anchor,
                    pending_key: None,
                    merged: HashSet::new(),
                });
            }
            Event::SequenceStart(anchor, tag) => {
                let start = self.collection_start(span, tag.as_deref(), NodeKind::Sequence);
                self.stack.push(Frame::Seq { items: Vec::new(), children: Vec::new(), start, end: start, anchor });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let end = self.pos.range(span).end as usize;
                self.close_container(Some(end));
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        true
    }

    fn close_container(&mut self, end: Option<usize>) {
        let Some(frame) = self.stack.pop() else { return };
        let (value, children, start, last_end, anchor) = match frame {
            Frame::Map { map, children, start, end, anchor, .. } => (Value::Object(map), children, start, end, anchor),
            Frame::Seq { items, children, start, end, anchor } => (Value::Array(items), children, start, end, anchor),
        };
        // Block collections end where their last child ends; the end event's own span can sit
        // on the next line (after comments and blank lines), which would make ranges too wide.
        let end = match end {
            Some(e) if e > start && self.text.as_bytes().get(start).is_some_and(|b| *b == b'{' || *b == b'[') => e,
            _ => last_end.max(start),
        };
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        self.attach(value, TextRange::new(start, end), children);
    }

    /// `children`: the span nodes under `value` (empty for scalars and aliases).
    fn attach(&mut self, value: Value, range: TextRange, children: Vec<SpanNode>) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root_spans = Some(SpanNode::with_children(
                        Spans { key: None, value: range, entry: range },
                        children,
                        &value,
                    ));
                    self.root = Some(value);
                }
            }
            Some(Frame::Map { map, children: siblings, end, pending_key, merged, .. }) => {
                *end = (*end).max(range.end as usize);
                match pending_key.take() {
                    None => {
                        let merge = self.last_merge_key;
                        let key = key_string(value, range.slice(self.text));
                        *pending_key = Some(PendingKey { key, range, merge });
                    }
                    Some(PendingKey { range: key_range, merge: true, .. }) => {
                        let entry = Spans { key: Some(key_range), value: range, entry: key_range.cover(range) };
                        if let Err(message) = super::yaml_merge::merge(map, siblings, merged, &value, entry) {
                            self.semantic_errors.push(SyntaxError { range: key_range, message });
                        }
                    }
                    Some(PendingKey { key, range: key_range, .. }) if !merged.is_empty() && merged.remove(&key) => {
                        let entry = key_range.cover(range);
                        let node = SpanNode::with_children(
                            Spans { key: Some(key_range), value: range, entry },
                            children,
                            &value,
                        );
                        super::yaml_merge::replace(map, siblings, key, value, node);
                    }
                    // One hash per key: the entry tells a duplicate and inserts otherwise.
                    Some(PendingKey { key, range: key_range, .. }) => match map.entry(key) {
                        serde_json::map::Entry::Occupied(dup) => {
                            self.semantic_errors.push(SyntaxError {
                                range: key_range,
                                message: format!(
                                    "Duplicated key `{}`: the CLI's YAML reader rejects the whole file.",
                                    dup.key()
                                ),
                            });
                        }
                        serde_json::map::Entry::Vacant(slot) => {
                            let entry = key_range.cover(range);
                            siblings.push(SpanNode::with_children(
                                Spans { key: Some(key_range), value: range, entry },
                                children,
                                &value,
                            ));
                            slot.insert(value);
                        }
                    },
                }
            }
            Some(Frame::Seq { items, children: siblings, end, .. }) => {
                *end = (*end).max(range.end as usize);
                let entry = TextRange::new(dash_before(self.text, range.start as usize), range.end as usize);
                let node = SpanNode::with_children(Spans { key: None, value: range, entry }, children, &value);
                siblings.push(node);
                items.push(value);
            }
        }
    }
}

#[path = "yaml_refusals.rs"]
mod refusals;

#[cfg(test)]
#[path = "yaml_tests.rs"]
mod tests;
