//! The HubSpot CLI's world, with no LSP types: the typed config model, where the CLI looks
//! and which file or account wins, credentials, and (to come) auth, the API client and
//! comment-preserving file edits.

pub mod edit;
pub mod gitignore;
pub mod link;
pub mod migrate;
pub mod model;
pub mod secret;
pub mod write;

pub use model::{Account, AuthType, Config, HubEnv};
pub use secret::Secret;
