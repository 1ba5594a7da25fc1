//! Reading a config while another thread looks at its accounts.
//!
//! Why: opening a 2,000-account config is two steps of about the same length, reading
//! the text (one thread: it is one pass over the lines) and checking every account (each
//! on its own). Handing each item of the account lists to a second thread as soon as the
//! reader has closed it lets the checks run while the rest is read, instead of after.
//!
//! The items travel by value, in numbered batches: the reader posts each batch (its items'
//! values and spans) and gets the whole list back at its end, so no thread ever sees a
//! half-built tree. At a list's end the reader itself looks at the batches the looker has
//! not reached, from the back, while the looker works from the front: whichever of the two
//! is behind, neither waits for the other's backlog alone.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use serde_json::Value;

use super::{block_tree, fast, parse_full};
use crate::syntax::tree::{Node, SpanNode};
use crate::syntax::Tree;

/// Items go over in batches of this many: waking the other thread for each one (a
/// system call and a switch) cost as much as checking it.
const BATCH: usize = 32;

type Item = (Value, SpanNode);

/// What the reader's side needs of the desk the two threads share (whatever the looking
/// returns).
pub(super) trait Post: Sync {
    /// A list under `key` starts; false when its items cannot be handed (looking at an
    /// earlier one failed), and the reader keeps them.
    fn start(&self, key: String) -> bool;
    /// Items of the list, the first of them its item `first`.
    fn post(&self, first: usize, items: Vec<Item>);
    /// The list ends: its items back, in order, once each has been looked at; None if
    /// they were lost.
    fn end(&self) -> Option<(Vec<Value>, Vec<SpanNode>)>;
}

/// The reader's side.
pub(super) struct Handoff<'a> {
    desk: &'a dyn Post,
    batch: Vec<Item>,
    /// The list index of the first item in `batch`.
    first: usize,
}

impl Handoff<'_> {
    pub(super) fn start(&self, key: String) -> bool {
        self.desk.start(key)
    }

    pub(super) fn item(&mut self, value: Value, node: SpanNode) {
        self.batch.push((value, node));
        if self.batch.len() == BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let items = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            let first = self.first;
            self.first += items.len();
            self.desk.post(first, items);
        }
    }

    pub(super) fn end(&mut self) -> Option<(Vec<Value>, Vec<SpanNode>)> {
        self.flush();
        self.first = 0; // the next list's
        self.desk.end()
    }
}

struct Job {
    first: usize,
    items: Vec<Item>,
}

/// A batch looked at: its items (to go back into the tree) and what was said of each.
struct Looked<R> {
    first: usize,
    items: Vec<Item>,
    said: Vec<R>,
}

/// What the two threads share, under one lock.
struct State<R> {
    /// The list being read: the key of the root mapping holding it.
    key: Option<Arc<str>>,
    waiting: VecDeque<Job>,
    looked: Vec<Looked<R>>,
    /// Batches of this list posted and not yet in `looked`.
    out: usize,
    /// The reader is done: the looker stops.
    closed: bool,
    /// Looking at an item panicked: the batch it was in is lost.
    broken: bool,
    done: Inspected<R>,
}

impl<R> State<R> {
    /// The key of the list being read (posts come only between its start and its end).
    fn list_key(&self) -> Arc<str> {
        self.key.clone().unwrap_or_else(|| Arc::from(""))
    }
}

struct Desk<R, F> {
    state: Mutex<State<R>>,
    /// A batch is waiting, or the reader is done.
    work: Condvar,
    /// A batch was looked at, or looking failed.
    back: Condvar,
    inspect: F,
}

impl<R: Send, F: Fn(&str, usize, Node<'_>) -> R + Sync> Desk<R, F> {
    fn lock(&self) -> MutexGuard<'_, State<R>> {
        // No code panics while holding it (the looking runs outside), so a poisoned lock
        // holds nothing half-done.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Looks at each item of `job`; None if that panicked.
    fn look(&self, key: &str, job: Job) -> Option<Looked<R>> {
        let Job { first, items } = job;
        let said = catch_unwind(AssertUnwindSafe(|| {
            items
                .iter()
                .enumerate()
                .map(|(k, (value, node))| (self.inspect)(key, first + k, Node::top(node, value)))
                .collect()
        }));
        said.ok().map(|said| Looked { first, items, said })
    }

    /// Files what one thread looked at; false when it, or an earlier batch, was lost.
    fn file(&self, looked: Option<Looked<R>>) -> bool {
        let mut st = self.lock();
        st.out -= 1;
        let lost = looked.is_none();
        match looked {
            Some(l) => st.looked.push(l),
            None => st.broken = true,
        }
        let broken = st.broken;
        drop(st);
        self.back.notify_one();
        if lost {
            self.work.notify_all(); // a looker waiting for work learns of it and stops
        }
        !broken
    }

    /// The looker's side: batches from the front until the reader is done.
    fn serve(&self) {
        loop {
            let (key, job) = {
                let mut st = self.lock();
                loop {
                    if st.closed || st.broken {
                        return;
                    }
                    if let Some(job) = st.waiting.pop_front() {
                        break (st.list_key(), job);
                    }
                    st = self.work.wait(st).unwrap_or_else(PoisonError::into_inner);
                }
            };
            if !self.file(self.look(&key, job)) {
                return;
            }
        }
    }

    fn close(&self) {
        self.lock().closed = true;
        self.work.notify_all();
    }
}

impl<R: Send, F: Fn(&str, usize, Node<'_>) -> R + Sync> Post for Desk<R, F> {
    fn start(&self, key: String) -> bool {
        let mut st = self.lock();
        st.key = Some(Arc::from(key));
        !st.broken
    }

    fn post(&self, first: usize, items: Vec<Item>) {
        let mut st = self.lock();
        st.waiting.push_back(Job { first, items });
        st.out += 1;
        drop(st);
        self.work.notify_one();
    }

    fn end(&self) -> Option<(Vec<Value>, Vec<SpanNode>)> {
        let mut st = self.lock();
        // The batches the looker has not reached, from the back: it takes from the front.
        while let Some(job) = st.waiting.pop_back() {
            let key = st.list_key();
            drop(st);
            let looked = self.look(&key, job);
            if !self.file(looked) {
                return None;
            }
            st = self.lock();
        }
        while st.out > 0 && !st.broken {
            st = self.back.wait(st).unwrap_or_else(PoisonError::into_inner);
        }
        if st.broken {
            return None;
        }
        let mut looked = std::mem::take(&mut st.looked);
        looked.sort_unstable_by_key(|l| l.first);
        let n = looked.iter().map(|l| l.items.len()).sum();
        let (mut values, mut nodes, mut said) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for l in looked {
            for (value, node) in l.items {
                values.push(value);
                nodes.push(node);
            }
            said.extend(l.said);
        }
        let key = st.key.take().map_or_else(String::new, |k| k.to_string());
        st.done.push((key, said));
        Some((values, nodes))
    }
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
    F: Fn(&str, usize, Node<'_>) -> R + Sync,
{
    let desk = Desk {
        state: Mutex::new(State {
            key: None,
            waiting: VecDeque::new(),
            looked: Vec::new(),
            out: 0,
            closed: false,
            broken: false,
            done: Vec::new(),
        }),
        work: Condvar::new(),
        back: Condvar::new(),
        inspect,
    };
    std::thread::scope(|scope| {
        // Woken once per batch, the looker would otherwise often be run on the reader's
        // own core, the two taking turns there (see `cores`).
        let reader_core = crate::cores::current();
        let shared = &desk;
        let looker = std::thread::Builder::new().name("hubspot-ls-check".into()).spawn_scoped(scope, move || {
            if let Some(core) = reader_core {
                crate::cores::avoid(core);
            }
            shared.serve();
        });
        // No thread to be had: read alone.
        if looker.is_err() {
            return (super::parse(text), None);
        }
        let outcome = fast::run(text, Some(Handoff { desk: &desk, batch: Vec::with_capacity(BATCH), first: 0 }));
        desk.close();
        match outcome {
            Some(outcome) => {
                let said = std::mem::take(&mut desk.lock().done);
                (block_tree(outcome), Some(said))
            }
            None => (parse_full(text), None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::yaml::parse;

    fn names(text: &str) -> (Tree, Option<Inspected<String>>) {
        parse_inspecting(text, |key, i, node| {
            format!(
                "{key}[{i}]={}@{}",
                node.value().get("name").and_then(Value::as_str).unwrap_or("-"),
                node.spans().entry.start
            )
        })
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
                (
                    "accounts".to_string(),
                    vec![format!("accounts[0]=x@{}", at("name: x")), format!("accounts[1]=y@{}", at("name: y"))]
                ),
                ("portals".to_string(), vec![format!("portals[0]=z@{}", at("name: z"))]),
            ]
        );
    }

    #[test]
    fn text_the_block_reader_gives_up_on_is_read_whole_and_not_inspected() {
        for text in [
            "accounts:\n  - name: x\n  - {name: y}\n",
            "accounts:\n  - name: x\n  - name: [\n",
            "accounts: [{name: x}]\n",
            "accounts:\n  - name: x\n    name: y\n",
        ] {
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
    fn at_a_lists_end_the_reader_looks_at_what_the_looker_has_not_reached() {
        // Looking is slow here and reading fast: at the list's end most batches still
        // wait, and the reader takes them from the back.
        let mut text = String::from("accounts:\n");
        for i in 0..8 * BATCH {
            text.push_str(&format!("  - name: a{i}\n"));
        }
        let reader = std::thread::current().id();
        let (tree, said) = parse_inspecting(&text, |_, i, node| {
            std::thread::sleep(std::time::Duration::from_micros(300));
            (i, node.value().get("name").and_then(Value::as_str).map(str::to_string), std::thread::current().id())
        });
        assert_eq!(tree.value, parse(&text).value);
        let said = said.expect("block YAML is inspected");
        let (key, items) = &said[0];
        assert_eq!(key, "accounts");
        // Each item once, in order, with its own node.
        assert_eq!(
            items.iter().map(|(i, name, _)| (*i, name.clone().unwrap())).collect::<Vec<_>>(),
            (0..8 * BATCH).map(|i| (i, format!("a{i}"))).collect::<Vec<_>>()
        );
        assert!(items.iter().any(|(_, _, by)| *by == reader), "the reader looked at none");
    }

    #[test]
    fn a_panic_while_looking_loses_nothing() {
        let text = "accounts:\n  - name: x\n  - name: y\n";
        let (tree, said) = parse_inspecting(text, |_, i, _| if i == 1 { panic!("boom") } else { i });
        assert!(said.is_none());
        assert_eq!(tree.value, parse(text).value);
    }
}
