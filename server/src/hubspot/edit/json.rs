//! Format-preserving edits of `.hs/settings.json`.
