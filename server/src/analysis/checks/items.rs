//! What each item of a config's account lists says about itself (its schema findings, the
//! account checks that look at it alone, and the facts the checks across accounts need),
//! computed once per item and kept while the item is unchanged.
//!
//! Why: in a 2,000-account config a keystroke changes one account. Re-reading only that
//! account (`syntax::yaml::reparse_edit`) leaves the other items' values and relative
//! layout as they were, so their reports still hold, moved by however far the edit shifted
//! them. The checks across accounts (duplicates, parents, the default account) then run
//! over the small facts, not over 2,000 mappings.

use std::sync::{Arc, OnceLock};

use serde_json::Value;

use crate::analysis::diagnostic::Diagnostic;
use crate::analysis::schema::{validate_item, ACCOUNT_LISTS};
use crate::syntax::yaml::Inspected;
use crate::syntax::{Node, Spans, TextRange, Tree};

use super::accounts::{entry, list_key};
use super::schema_findings;

/// One item's findings and facts, with the ranges of the text they were computed on. In
/// this order (`repr(C)`): what each keystroke reads of every account first, together.
#[derive(Debug)]
#[repr(C)]
pub struct Report {
    /// Where the item started then; its ranges move with it.
    base: u32,
    diagnostics: Vec<Diagnostic>,
    keys: Keys,
    facts: Facts,
}

/// What the checks across accounts need of one account.
#[derive(Clone, Debug, Default)]
struct Facts {
    /// `name` when it is a string, its lowercase form, and its value's range.
    name: Option<(String, String, TextRange)>,
    /// The id (`accountId`, or `portalId` in a legacy entry) as written, the text
    /// `validateConfig` keys it by (`123` and '123' alike), and its range.
    id: Option<(Value, String, TextRange)>,
    /// `parentAccountId` as written, with its range.
    parent: Option<(Value, TextRange)>,
}

/// What the checks across accounts compare, kept inline (hashes of the texts they compare;
/// the texts themselves are read only where two hashes meet). Why: at 20,000 accounts the
/// reports and their strings lie scattered over the heap, and reading each account's took
/// a cache miss per fact (diagnose: 16.6 ms at 20,000 accounts, 0.25 ms at 2,000); going
/// through one contiguous list of these does not.
#[derive(Clone, Copy, Debug, Default)]
pub struct Keys {
    /// Of the id's text as `validateConfig` compares ids, when not empty.
    pub id_text: Option<u64>,
    /// Of the lowercased name.
    pub folded_name: Option<u64>,
    /// Of the name as written.
    pub name: Option<u64>,
    /// The id when it is an integer (what the CLI finds an account by).
    pub int_id: Option<i64>,
    pub parent: Parent,
}

/// `parentAccountId`, as far as checking it needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Parent {
    #[default]
    Missing,
    Null,
    Int(i64),
    /// Another number (found by its text as a name, if at all).
    OtherNumber,
    NotNumber,
}

/// The hash [`Keys`] keeps of a text.
pub fn key_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

impl Facts {
    fn keys(&self) -> Keys {
        Keys {
            id_text: self.id.as_ref().filter(|(_, t, _)| !t.is_empty()).map(|(_, t, _)| key_hash(t)),
            folded_name: self.name.as_ref().map(|(_, f, _)| key_hash(f)),
            name: self.name.as_ref().map(|(n, _, _)| key_hash(n)),
            int_id: self.id.as_ref().and_then(|(v, _, _)| v.as_i64()),
            parent: match self.parent.as_ref().map(|(v, _)| v) {
                None => Parent::Missing,
                Some(Value::Null) => Parent::Null,
                Some(Value::Number(n)) => n.as_i64().map_or(Parent::OtherNumber, Parent::Int),
                Some(_) => Parent::NotNumber,
            },
        }
    }
}

/// A report as a check holds it: kept in the memo (borrowed, so that a keystroke counts and
/// frees nothing per account), or made for this check alone.
#[derive(Debug)]
enum Held<'m> {
    Kept(&'m Report),
    Made(Box<Report>),
}

impl std::ops::Deref for Held<'_> {
    type Target = Report;

    fn deref(&self) -> &Report {
        match self {
            Held::Kept(r) => r,
            Held::Made(r) => r,
        }
    }
}

/// One account's report where the account is now.
#[derive(Debug)]
pub struct Placed<'m> {
    report: Held<'m>,
    by: i64,
    pub keys: Keys,
}

impl Placed<'_> {
    fn facts(&self) -> &Facts {
        &self.report.facts
    }

    pub fn name(&self) -> Option<&str> {
        self.facts().name.as_ref().map(|(n, _, _)| n.as_str())
    }

    /// The name, lowercased, and where it is.
    pub fn folded_name(&self) -> Option<(&str, TextRange)> {
        self.facts().name.as_ref().map(|(_, f, r)| (f.as_str(), moved(*r, self.by)))
    }

    /// The id when it is an integer (what the CLI finds an account by).
    pub fn int_id(&self) -> Option<i64> {
        self.keys.int_id
    }

    /// The id's text as `validateConfig` compares ids (empty for neither string nor number),
    /// and where it is.
    pub fn id_text(&self) -> Option<(&str, TextRange)> {
        self.facts().id.as_ref().map(|(_, k, r)| (k.as_str(), moved(*r, self.by)))
    }

    pub fn parent(&self) -> Option<(&Value, TextRange)> {
        self.facts().parent.as_ref().map(|(v, r)| (v, moved(*r, self.by)))
    }
}

/// The reports of one tree's list items, filled in as they are asked for.
#[derive(Clone, Debug, Default)]
pub struct ItemMemo {
    lists: [Box<[OnceLock<Arc<Report>>]>; 2],
}

impl ItemMemo {
    pub fn new(tree: &Tree) -> ItemMemo {
        let slots = |name: &str| (0..list_len(tree, name)).map(|_| OnceLock::new()).collect();
        ItemMemo { lists: ACCOUNT_LISTS.map(slots) }
    }

    /// The memo of `tree` with the reports made while it was read ([`inspect`]), those of
    /// the accounts the CLI uses, when the tree is complete (as they were made).
    pub fn with(tree: &Tree, inspected: Option<Inspected<Option<Arc<Report>>>>) -> ItemMemo {
        let memo = ItemMemo::new(tree);
        let used = list_key(tree).filter(|_| tree.complete);
        for (key, reports) in inspected.into_iter().flatten().filter(|(key, _)| Some(key.as_str()) == used) {
            let Some(slots) = ACCOUNT_LISTS.iter().position(|l| *l == key).map(|list| &memo.lists[list]) else {
                continue;
            };
            if slots.len() == reports.len() {
                for (slot, report) in slots.iter().zip(reports) {
                    if let Some(report) = report {
                        let _ = slot.set(report);
                    }
                }
            }
        }
        memo
    }

    /// How many reports are kept.
    #[cfg(test)]
    pub fn kept(&self) -> usize {
        self.lists.iter().flat_map(|l| l.iter()).filter(|s| s.get().is_some()).count()
    }

    /// After the node at `path` (child indices from the root) was re-read: forget the
    /// report of the list item holding it. Anything else in the tree only moved.
    pub fn forget(&mut self, tree: &Tree, path: &[usize]) {
        let (Some(&top), Some(&item)) = (path.first(), path.get(1)) else { return };
        let Some(key) = tree.value.as_object().and_then(|m| m.keys().nth(top)) else { return };
        if let Some(list) = ACCOUNT_LISTS.iter().position(|l| l == key) {
            if let Some(slot) = self.lists[list].get_mut(item) {
                *slot = OnceLock::new();
            }
        }
    }
}

/// What [`crate::syntax::yaml::parse_inspecting`] says of each item as the text is read:
/// its report, as if the tree will be complete and the item one of the accounts in use
/// ([`ItemMemo::with`] keeps it only if so).
pub fn inspect(key: &str, index: usize, node: Node<'_>) -> Option<Arc<Report>> {
    let list = ACCOUNT_LISTS.iter().position(|l| *l == key)?;
    Some(Arc::new(compute(list, index, node.value(), At::Item(node), true, true)))
}

/// Every list item's diagnostics into `out`, and the reports of the accounts the CLI uses
/// (the items of `portals` when it is present, else of `accounts`), in order.
pub fn check<'m>(tree: &Tree, memo: &'m ItemMemo, out: &mut Vec<Diagnostic>) -> Vec<Placed<'m>> {
    let used = list_key(tree);
    let mut placed = Vec::with_capacity(used.map_or(0, |name| list_len(tree, name)));
    for (list, name) in ACCOUNT_LISTS.iter().enumerate() {
        let len = list_len(tree, name);
        if len == 0 {
            continue;
        }
        let accounts = used == Some(*name);
        let items = tree.child_spans(&format!("/{name}"));
        if tree.complete {
            fill(tree, &memo.lists[list], list, &items, accounts);
        }
        for index in 0..len {
            let base = items.get(index).map_or(0, |s| s.entry.start);
            // A tree cut short by a syntax error judges differently (no `required`): its
            // reports are not kept.
            let report = match memo.lists[list].get(index).filter(|_| tree.complete) {
                Some(slot) => Held::Kept(slot.get_or_init(|| Arc::new(compute_in(tree, list, index, accounts)))),
                None => Held::Made(Box::new(compute_in(tree, list, index, accounts))),
            };
            let r: &Report = &report;
            let by = base as i64 - r.base as i64;
            out.extend(r.diagnostics.iter().map(|d| Diagnostic { range: moved(d.range, by), ..d.clone() }));
            if accounts {
                let keys = r.keys;
                placed.push(Placed { report, by, keys });
            }
        }
    }
    placed
}

/// Below this many accounts to check, one thread does it.
const PARALLEL_FROM: usize = 256;

/// Computes the missing reports of one list, on as many threads as there are cores when
/// many are missing (a file just opened): each account is checked on its own.
fn fill(tree: &Tree, slots: &[OnceLock<Arc<Report>>], list: usize, items: &[Spans], accounts: bool) {
    let missing = slots.iter().filter(|s| s.get().is_none()).count();
    if missing < PARALLEL_FROM || slots.len() != items.len() {
        return; // `check` computes them as it goes
    }
    // Asked only now: it reads the cgroup's files each time, and most calls (a keystroke,
    // one account to check) stop above.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 {
        return;
    }
    let chunk = slots.len().div_ceil(threads);
    let work = |from: usize| {
        for (index, slot) in slots.iter().enumerate().skip(from).take(chunk) {
            slot.get_or_init(|| Arc::new(compute_in(tree, list, index, accounts)));
        }
    };
    std::thread::scope(|scope| {
        for from in (chunk..slots.len()).step_by(chunk) {
            // No thread to be had: `check` computes the rest as it goes.
            let _ = std::thread::Builder::new().spawn_scoped(scope, move || work(from));
        }
        work(0);
    });
}

/// Where an item is in the text.
#[derive(Clone, Copy)]
enum At<'t> {
    Item(Node<'t>),
    /// An item without spans of its own (read through an alias): the nearest node above
    /// it, where all its findings go.
    Above(Node<'t>),
}

impl<'t> At<'t> {
    /// Item `index` of the list `name` in `tree`.
    fn find(tree: &'t Tree, name: &str, index: usize) -> Option<At<'t>> {
        let root = tree.root()?;
        Some(match root.child(name) {
            Some(list) => list.item(index).map_or(At::Above(list), At::Item),
            None => At::Above(root),
        })
    }
}

/// What `item`, item `index` of the list `ACCOUNT_LISTS[list]`, says about itself;
/// `complete`: whether the tree holding it is; `accounts`: whether it is one of the
/// accounts the CLI uses.
fn compute(list: usize, index: usize, item: &Value, at: At<'_>, complete: bool, accounts: bool) -> Report {
    let name = ACCOUNT_LISTS[list];
    let (node, base) = match at {
        At::Item(node) => (node, node.spans().entry.start),
        At::Above(node) => (node, 0),
    };
    let mut diagnostics = Vec::new();
    let findings = validate_item(list, index, item);
    if !findings.is_empty() {
        let prefix = match at {
            At::Item(_) => format!("/{name}/{index}"),
            // Every pointer of the item, walked from a node above it, stops there.
            At::Above(_) => String::new(),
        };
        schema_findings::place_below(node, &prefix, complete, findings, &mut diagnostics);
    }
    let entry = entry(name, index, item);
    let mut facts = Facts::default();
    if accounts {
        super::config::account(&entry, node, complete, &mut diagnostics);
        let id_text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        facts = Facts {
            name: entry.name().map(|n| (n.to_string(), n.to_lowercase(), node.value_range(&["name"]))),
            id: entry.id().map(|v| (v.clone(), id_text(v), node.value_range(&[entry.id_key_read()]))),
            parent: entry.get("parentAccountId").map(|v| (v.clone(), node.value_range(&["parentAccountId"]))),
        };
    }
    let keys = facts.keys();
    Report { base, diagnostics, facts, keys }
}

/// [`compute`] for item `index` of `tree`'s list `ACCOUNT_LISTS[list]`.
fn compute_in(tree: &Tree, list: usize, index: usize, accounts: bool) -> Report {
    let name = ACCOUNT_LISTS[list];
    let item = tree.value.get(name).and_then(|l| l.get(index)).unwrap_or(&Value::Null);
    match At::find(tree, name, index) {
        Some(at) => compute(list, index, item, at, tree.complete, accounts),
        None => Report { base: 0, diagnostics: Vec::new(), facts: Facts::default(), keys: Keys::default() },
    }
}

fn list_len(tree: &Tree, name: &str) -> usize {
    tree.value.get(name).and_then(Value::as_array).map_or(0, Vec::len)
}

fn moved(r: TextRange, by: i64) -> TextRange {
    let at = |x: u32| (x as i64 + by).max(0) as u32;
    TextRange { start: at(r.start), end: at(r.end) }
}
