//! Findings, as the analysis reports them: byte ranges, stable codes, no LSP types.

use crate::syntax::TextRange;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Information,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
            Severity::Hint => "hint",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $text:literal,)*) => {
        /// The stable diagnostic codes (the README's table; our later additions at the end).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $($variant,)* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $text,)* }
            }

            pub fn parse(s: &str) -> Option<Code> {
                match s { $($text => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    Syntax => "syntax",
    UnknownKey => "unknown-key",
    Type => "type",
    Enum => "enum",
    Required => "required",
    NoAccounts => "no-accounts",
    DuplicateAccountId => "duplicate-account-id",
    DuplicateAccountName => "duplicate-account-name",
    NameWhitespace => "name-whitespace",
    DefaultAccountUnknown => "default-account-unknown",
    HttpTimeoutLow => "http-timeout-low",
    Deprecated => "deprecated",
    LegacyConfig => "legacy-config",
    LegacyConfigIgnored => "legacy-config-ignored",
    TokenInfoMissing => "token-info-missing",
    ExpiresAtInvalid => "expires-at-invalid",
    ParentAccountUnknown => "parent-account-unknown",
    ConfigPermissions => "config-permissions",
    ConfigInGit => "config-in-git",
    LinkedAccountUnknown => "linked-account-unknown",
    LocalDefaultUnknown => "local-default-unknown",
    LocalDefaultNotLinked => "local-default-not-linked",
    DuplicateLinkedAccount => "duplicate-linked-account",
    LegacyConfigBlocksLink => "legacy-config-blocks-link",
    HsaccountInvalid => "hsaccount-invalid",
    HsaccountUnknownAccount => "hsaccount-unknown-account",
    HsaccountIgnored => "hsaccount-ignored",
    HsaccountShadowed => "hsaccount-shadowed",
    HsaccountDeprecated => "hsaccount-deprecated",
    // Ours, beyond the contract:
    PortalsReplaceAccounts => "portals-replace-accounts",
    ConfigConflict => "config-conflict",
}

/// Extra meaning an editor can show (LSP `DiagnosticTag`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    Deprecated,
    Unnecessary,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub tags: Vec<Tag>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic { range, severity, code, message: message.into(), tags: Vec::new() }
    }

    pub fn error(code: Code, range: TextRange, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, range, message)
    }

    pub fn warning(code: Code, range: TextRange, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, range, message)
    }

    pub fn with_tag(mut self, tag: Tag) -> Self {
        self.tags.push(tag);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Code::ALL {
            assert_eq!(Code::parse(c.as_str()), Some(*c));
        }
    }
}
