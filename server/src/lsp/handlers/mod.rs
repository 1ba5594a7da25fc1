//! One module per LSP method (or small family of methods).

pub mod code_action;
pub mod editing;
pub mod lifecycle;
pub mod text_sync;
pub mod watched_files;
