//! All findings for one document.

use super::diagnostic::{Code, Diagnostic};
use super::document::SourceFile;
use super::world::World;

pub fn compute(file: &SourceFile, _world: &World) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(tree) = &file.tree {
        for e in &tree.errors {
            out.push(Diagnostic::error(Code::Syntax, e.range, e.message.clone()));
        }
    }
    out
}
