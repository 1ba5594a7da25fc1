//! Comment-preserving edits of the CLI's YAML config (see the module docs of `edit`).
