//! Analysis: documents + world snapshot -> findings.
