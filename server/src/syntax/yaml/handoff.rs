//! Reading a config while another thread looks at its accounts.
//!
//! Why: opening a 2,000-account config is two steps of about the same length, reading
//! the text (one thread: it is one pass over the lines) and checking every account (each
//! on its own). Handing each item of the account lists to a second thread as soon as the
//! reader has closed it lets the checks run while the rest is read, instead of after.
//!
//! The items travel by value: the reader sends each one (its value and spans) and gets
//! the whole list back at its end, so no thread ever sees a half-built tree.

use std::sync::mpsc::{channel, Receiver, Sender};

use serde_json::Value;

use super::{block_tree, fast, parse_full};
use crate::syntax::tree::{Node, SpanNode};
use crate::syntax::Tree;

enum Handed {
    /// A sequence under this key of the root mapping starts.
    List(String),
    Items(Vec<(Value, SpanNode)>),
    /// The sequence ends: send its items back.
    End,
}

/// Items go over in batches of this many: waking the other thread for each one (a
/// system call and a switch) cost as much as checking it.
const BATCH: usize = 32;

/// The reader's side.
pub(super) struct Handoff {
    to: Sender<Handed>,
    back: Receiver<(Vec<Value>, Vec<SpanNode>)>,
    batch: Vec<(Value, SpanNode)>,
}

impl Handoff {
    /// A list under `key` starts; false when its items cannot be handed (the other side is
    /// gone), and the reader keeps them.
    pub(super) fn start(&self, key: String) -> bool {
        self.to.send(Handed::List(key)).is_ok()
    }

    pub(super) fn item(&mut self, value: Value, node: SpanNode) {
        self.batch.push((value, node));
        if self.batch.len() == BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            // If the other side is gone the items are lost, and `end` says so.
            let _ = self.to.send(Handed::Items(std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH))));
        }
    }

    /// The list's items back, in order; None if they were lost.
    pub(super) fn end(&mut self) -> Option<(Vec<Value>, Vec<SpanNode>)> {
        self.flush();
        self.to.send(Handed::End).ok()?;
        self.back.recv().ok()
    }
}

/// One list's items while the other side holds them, and what was said of them.
struct Held<R> {
    key: String,
    values: Vec<Value>,
    nodes: Vec<SpanNode>,
    said: Vec<R>,
}

/// What `inspect` said of each item, per list (the key of the root mapping holding it).
pub type Inspected<R> = Vec<(String, Vec<R>)>;

/// Reads `text` as [`super::parse`] does and, on a second thread while it reads, calls
/// `inspect(key, index, item)` for each item of each sequence that is the value of a key
/// of the root mapping. The results come back only when the text was read by the
/// block-YAML reader, whole: otherwise (flow collections, anchors, syntax errors, ...)
/// nothing was inspected and the caller looks at the tree itself.
pub fn parse_inspecting<R, F>(text: &str, inspect: F) -> (Tree, Option<Inspected<R>>)
where
    R: Send,
    F: Fn(&str, usize, Node<'_>) -> R + Send,
{
    std::thread::scope(|scope| {
        let (to, from_reader) = channel();
        let (to_reader, back) = channel();
        // Woken once per batch, the looker would otherwise often be run on the reader's
        // own core, the two taking turns there (see `cores`).
        let reader_core = crate::cores::current();
        let looker = std::thread::Builder::new().name("hubspot-ls-check".into()).spawn_scoped(scope, move || {
            if let Some(core) = reader_core {
                crate::cores::avoid(core);
            }
            let mut done: Inspected<R> = Vec::new();
            let mut list: Option<Held<R>> = None;
            for handed in from_reader {
                match (handed, &mut list) {
                    (Handed::List(key), _) => list = Some(Held { key, values: Vec::new(), nodes: Vec::new(), said: Vec::new() }),
                    (Handed::Items(items), Some(held)) => {
                        for (value, node) in items {
                            held.said.push(inspect(&held.key, held.values.len(), Node::top(&node, &value)));
                            held.values.push(value);
                            held.nodes.push(node);
                        }
                    }
                    (Handed::End, Some(_)) => {
                        let Some(held) = list.take() else { break };
                        if to_reader.send((held.values, held.nodes)).is_err() {
                            break;
                        }
                        done.push((held.key, held.said));
                    }
                    // Out of order: cannot happen; stop, and the reader sees its items lost.
                    _ => break,
                }
            }
            done
        });
        // No thread to be had: read alone.
        let Ok(looker) = looker else { return (super::parse(text), None) };
        let outcome = fast::run(text, Some(Handoff { to, back, batch: Vec::with_capacity(BATCH) }));
        // The reader is done (its hand-off dropped): the looker has finished too.
        let said = looker.join().ok();
        match outcome {
            Some(outcome) => (block_tree(outcome), said),
            None => (parse_full(text), None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml::parse;

    fn names(text: &str) -> (Tree, Option<Inspected<String>>) {
        parse_inspecting(text, |key, i, node| format!("{key}[{i}]={}@{}", node.value().get("name").and_then(Value::as_str).unwrap_or("-"), node.spans().entry.start))
    }

    #[test]
    fn each_item_is_seen_once_in_order_and_the_tree_is_whole() {
        let text = "a: 1\naccounts:\n  - name: x\n    accountId: 1\n  - name: y\nportals:\n- name: z\nnested:\n  deep:\n    - name: no\n";
        let (tree, said) = names(text);
        let plain = parse(text);
        assert_eq!(tree.value, plain.value);
        assert_eq!(tree.root_node(), plain.root_node());
        assert!(tree.complete && tree.block_yaml);
        let said = said.expect("block YAML is inspected");
        let at = |s: &str| text.find(s).unwrap() - 2;
        assert_eq!(
            said,
            [
                ("accounts".to_string(), vec![format!("accounts[0]=x@{}", at("name: x")), format!("accounts[1]=y@{}", at("name: y"))]),
                ("portals".to_string(), vec![format!("portals[0]=z@{}", at("name: z"))]),
            ]
        );
    }

    #[test]
    fn text_the_block_reader_gives_up_on_is_read_whole_and_not_inspected() {
        for text in ["accounts:\n  - name: x\n  - {name: y}\n", "accounts:\n  - name: x\n  - name: [\n", "accounts: [{name: x}]\n", "accounts:\n  - name: x\n    name: y\n"] {
            let (tree, said) = names(text);
            let plain = parse(text);
            assert_eq!(tree.value, plain.value, "{text:?}");
            assert_eq!(tree.errors, plain.errors, "{text:?}");
            assert_eq!(tree.complete, plain.complete, "{text:?}");
            // A duplicate key is read by the block reader (the tree is then incomplete, and
            // the caller does not keep what it was told); the others are not.
            assert_eq!(said.is_some(), plain.block_yaml, "{text:?}");
        }
    }

    #[test]
    fn a_panic_while_looking_loses_nothing() {
        let text = "accounts:\n  - name: x\n  - name: y\n";
        let (tree, said) = parse_inspecting(text, |_, i, _| if i == 1 { panic!("boom") } else { i });
        assert!(said.is_none());
        assert_eq!(tree.value, parse(text).value);
    }
}
