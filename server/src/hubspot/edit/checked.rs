//! What every editor shares: each step's edits are applied and the text re-parsed (a step
//! that breaks the syntax is refused), and an operation stands only if the document then
//! holds exactly the data it promised; otherwise the text is put back as it was.

use serde_json::Value;

use super::{EditError, Result, TextEdit};
use crate::syntax::Tree;

pub(super) trait Checked {
    /// The parser of the editor's format.
    const PARSE: fn(&str) -> Tree;
    /// Said when an operation did not read back as intended.
    const NOT_AS_INTENDED: &'static str;

    fn state(&mut self) -> (&mut String, &mut Tree);

    /// Runs the steps of one operation; the document must then hold exactly `want`.
    fn transaction(&mut self, want: Option<Value>, f: impl FnOnce(&mut Self) -> Result<()>) -> Result<()>
    where
        Self: Sized,
    {
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
