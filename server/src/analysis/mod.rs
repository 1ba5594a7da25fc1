//! Analysis: documents + a snapshot of the account world -> findings, completions, hovers
//! and actions. Pure functions; no LSP types (those live in `lsp::to_proto`).

pub mod actions;
pub mod checks;
pub mod diagnostic;
pub mod document;

pub use diagnostic::{Code, Diagnostic, Severity, Tag};
pub use document::{DocKind, SourceFile};
pub mod diagnostics;
pub mod ide;
pub mod schema;
pub mod world;

#[cfg(test)]
mod tests;

pub use world::World;
