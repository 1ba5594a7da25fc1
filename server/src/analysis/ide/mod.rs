//! Editing intelligence: completion, hover, navigation, symbols, inlay hints.
//! Pure functions over a document and the world; results in our own types.

pub mod accounts;
pub mod completion;
pub mod context;
pub mod hover;
pub mod navigation;
pub mod symbols;

#[cfg(test)]
mod tests;
