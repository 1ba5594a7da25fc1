//! Text -> one spanned tree for YAML and JSON, and byte <-> line/UTF-16 conversion.
//!
//! The lowest layer: knows nothing of HubSpot or LSP.

pub mod json;
pub mod position;
pub mod range;
pub mod tree;
pub mod yaml;

pub use range::TextRange;
pub use tree::{Node, Spans, SyntaxError, Tree};
