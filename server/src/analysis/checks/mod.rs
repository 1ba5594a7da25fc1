//! The rules, one module per kind of file or concern.

pub mod accounts;
pub mod config;
pub mod dates;
pub mod files;
pub mod hsaccount;
pub mod legacy;
pub mod schema_findings;
pub mod settings;
pub mod validate;
