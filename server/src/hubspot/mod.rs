//! The HubSpot CLI's world, with no LSP types: the typed config model, where the CLI looks
//! and which file or account wins, credentials, auth and the API client, and
//! comment-preserving file edits.

pub mod api;
pub mod edit;
pub mod gitignore;
pub mod ignore_rules;
pub mod link;
pub mod model;
pub mod ops;
pub mod secret;
pub mod store;
pub mod write;

pub use model::{Account, AuthType, Config, HubEnv};
pub use secret::Secret;
