//! Protocol glue.
