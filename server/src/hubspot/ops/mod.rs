//! What the commands do, without the protocol: each operation takes the resolved account
//! or config file and returns a serialisable result or an [`OpError`] that says what to do.

pub mod accounts;
pub mod error;
mod listing;
pub mod sandboxes;

#[cfg(test)]
mod concurrency_tests;

pub use error::{OpError, OpErrorKind, OpResult};
