//! What every editor shares: each step's edits are applied and the text re-parsed (a step
//! that breaks the syntax is refused), and an operation stands only if the document then
//! holds exactly the data it promised; otherwise the text is put back as it was. The
//! operations both formats have (set, remove, append) are written here once, over each
//! format's own steps.

use serde_json::{Map, Value};

use super::text::diff;
use super::{expected, EditError, Result, TextEdit};
use crate::syntax::tree::{child_pointer, last_segment, parent_pointer};
use crate::syntax::Tree;

/// A text being changed step by step ([`super::yaml::YamlEditor`], [`super::json::JsonEditor`]).
pub trait Editor: Sized {
    /// The parser of the editor's format.
    const PARSE: fn(&str) -> Tree;
    /// Said when an operation did not read back as intended.
    const NOT_AS_INTENDED: &'static str;

    fn state(&mut self) -> (&mut String, &mut Tree);

    /// The text as it was before the first step.
    fn original(&self) -> &str;

    /// The text and its parse now.
    fn current(&self) -> (&str, &Tree);

    /// The format's own steps, unchecked ([`Editor::set`] and the others check them): put
    /// `value` in place of the value at `pointer` (which exists), add a mapping entry,
    /// remove, append.
    fn replace_step(&mut self, pointer: &str, value: &Value) -> Result<()>;
    /// Adds the entry `key: value` to the mapping at `map_pointer`, which lacks it.
    fn insert_entry(&mut self, map_pointer: &str, key: &str, value: &Value) -> Result<()>;
    fn remove_step(&mut self, pointer: &str) -> Result<()>;
    fn append_step(&mut self, pointer: &str, value: &Value) -> Result<()>;

    /// Whether the value at `pointer` (`old`) can be changed where it stands.
    fn changeable(&self, _pointer: &str, _old: &Value) -> Result<()> {
        Ok(())
    }

    /// Writes `value` at `pointer`, which does not exist: below the nearest ancestor that
    /// does, with the rest of the path as nested mappings around the value (`.../-` or the
    /// next index of a sequence appends).
    fn insert_step(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let mut segments = Vec::new();
        let mut anc = pointer;
        while self.value().pointer(anc).is_none() && !anc.is_empty() {
            segments.push(last_segment(anc));
            anc = parent_pointer(anc);
        }
        let anc = anc.to_string();
        let Some(first) = segments.pop() else { return Err(EditError::NotFound { pointer: pointer.into() }) };
        let nested = segments.iter().fold(value.clone(), |v, k| {
            let mut m = Map::new();
            m.insert(k.clone(), v);
            Value::Object(m)
        });
        match self.value().pointer(&anc).cloned() {
            Some(Value::Object(_)) => self.insert_entry(&anc, &first, &nested),
            Some(Value::Array(items)) if first == "-" || first == items.len().to_string() => {
                self.append_step(&anc, &nested)
            }
            Some(Value::Array(_)) => Err(EditError::NotFound { pointer: child_pointer(&anc, &first) }),
            Some(Value::Null) | None => {
                let mut m = Map::new();
                m.insert(first, nested);
                self.replace_step(&anc, &Value::Object(m))
            }
            Some(_) => Err(EditError::NotAContainer { pointer: anc }),
        }
    }

    /// The pointers of the entry at `pointer` and of its siblings, in order, and its place
    /// among them (what removing it needs: the document itself has none, and is refused).
    fn siblings(&self, pointer: &str) -> Result<(Vec<String>, usize)> {
        if pointer.is_empty() {
            return Err(EditError::unsupported(pointer, "the whole document cannot be removed"));
        }
        let parent = parent_pointer(pointer);
        let siblings: Vec<String> = match self.value().pointer(parent) {
            Some(Value::Object(m)) => m.keys().map(|k| child_pointer(parent, k)).collect(),
            Some(Value::Array(a)) => (0..a.len()).map(|i| child_pointer(parent, &i.to_string())).collect(),
            _ => return Err(EditError::NotFound { pointer: pointer.into() }),
        };
        let idx = siblings
            .iter()
            .position(|p| p == pointer)
            .ok_or_else(|| EditError::NotFound { pointer: pointer.into() })?;
        Ok((siblings, idx))
    }

    /// Sets `pointer` to `value` with the least text changed: a mapping set over a mapping is
    /// merged key by key (keys the new value lacks removed) and a sequence over one as long
    /// item by item, so what did not change keeps its text and its comments.
    fn set_step(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let Some(old) = self.value().pointer(pointer).cloned() else { return self.insert_step(pointer, value) };
        if &old == value {
            return Ok(());
        }
        self.changeable(pointer, &old)?;
        match (&old, value) {
            (Value::Object(o), Value::Object(n)) if !o.is_empty() && !n.is_empty() => {
                for (k, v) in n {
                    self.set_step(&child_pointer(pointer, k), v)?;
                }
                for k in o.keys().filter(|k| !n.contains_key(*k)) {
                    self.remove_step(&child_pointer(pointer, k))?;
                }
                Ok(())
            }
            (Value::Array(o), Value::Array(n)) if !o.is_empty() && o.len() == n.len() => {
                for (i, v) in n.iter().enumerate() {
                    self.set_step(&child_pointer(pointer, &i.to_string()), v)?;
                }
                Ok(())
            }
            _ => self.replace_step(pointer, value),
        }
    }

    fn text(&self) -> &str {
        self.current().0
    }

    fn value(&self) -> &Value {
        &self.current().1.value
    }

    /// The changes so far, as edits of the original text.
    fn edits(&self) -> Vec<TextEdit> {
        diff(self.original(), self.text())
    }

    /// Sets the value at `pointer`, creating what is missing on the way; `.../-` appends,
    /// except in a mapping, where `-` is a key like any other.
    fn set(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let in_mapping = self.value().pointer(parent_pointer(pointer)).is_some_and(Value::is_object);
        if last_segment(pointer) == "-" && !pointer.is_empty() && !in_mapping {
            return self.append(parent_pointer(pointer), value);
        }
        let want = expected::set(self.value(), pointer, value);
        self.transaction(want, |ed| ed.set_step(pointer, value))
    }

    /// Removes a mapping entry or a sequence item.
    fn remove(&mut self, pointer: &str) -> Result<()> {
        let want = expected::remove(self.value(), pointer);
        self.transaction(want, |ed| ed.remove_step(pointer))
    }

    /// Appends to the sequence at `pointer` (created if missing).
    fn append(&mut self, pointer: &str, value: &Value) -> Result<()> {
        let want = expected::append(self.value(), pointer, value);
        self.transaction(want, |ed| ed.append_step(pointer, value))
    }

    /// Runs the steps of one operation; the document must then hold exactly `want`.
    fn transaction(&mut self, want: Option<Value>, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        let saved = {
            let (text, tree) = self.state();
            (text.clone(), tree.clone())
        };
        let r = f(self).and_then(|()| match &want {
            Some(w) if w == &self.state().1.value => Ok(()),
            _ => Err(EditError::Unsupported { pointer: String::new(), why: Self::NOT_AS_INTENDED.to_string() }),
        });
        if r.is_err() {
            let (text, tree) = self.state();
            (*text, *tree) = saved;
        }
        r
    }

    /// Applies one step's edits and re-parses.
    fn commit(&mut self, edits: Vec<TextEdit>) -> Result<()> {
        let (text, tree) = self.state();
        let next = super::apply(text, &edits);
        let parsed = Self::PARSE(&next);
        if !parsed.errors.is_empty() {
            return Err(EditError::Unsupported { pointer: String::new(), why: "the result would not parse".into() });
        }
        *text = next;
        *tree = parsed;
        Ok(())
    }
}

/// One operation on a text, as edits of it: the one-shot `set`/`remove`/`append` of each format.
pub(super) fn once<E: Editor>(editor: Result<E>, op: impl FnOnce(&mut E) -> Result<()>) -> Result<Vec<TextEdit>> {
    let mut ed = editor?;
    op(&mut ed)?;
    Ok(ed.edits())
}
