//! HubSpot's API as the CLI uses it: origins, auth, the HTTP client, and the endpoints of
//! the commands (secrets, File Manager). Shared by commands and code actions.

pub mod auth;
pub mod client;
pub mod error;
pub mod files;
mod http;
pub mod origin;
mod request;
pub mod sandboxes;
pub mod secrets;
mod tokens;

pub use client::{ApiRequest, ApiResponse, Body, Caller, FormPart, HubSpotClient};
pub use error::ApiError;
pub use origin::Origins;

#[cfg(test)]
mod hostile_tests;
#[cfg(all(test, unix))]
mod local_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod token_tests;
