//! Spanned syntax trees.
