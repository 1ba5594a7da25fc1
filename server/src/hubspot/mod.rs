//! The HubSpot CLI model (no LSP types here).
