//! Text -> one spanned tree for YAML and JSON, and byte <-> line/UTF-16 conversion.
//!
//! The lowest layer: knows nothing of HubSpot or LSP.

pub mod json;
pub mod position;
pub mod range;
pub mod tree;
pub mod yaml;
mod yaml_merge;
mod yaml_scalar;
mod yaml_text;

/// How deep collections may nest. Real configs nest five or six levels; past this a file is
/// refused with a `syntax` finding, so no tree (and no walk or drop of one) gets deep enough
/// to overflow the stack.
pub const MAX_NESTING: usize = 100;

pub use range::TextRange;
pub use tree::{Node, Spans, SyntaxError, Tree};

#[cfg(test)]
mod saphyr_input_tests;
