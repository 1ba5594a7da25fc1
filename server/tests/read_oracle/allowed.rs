//! The deliberate differences from the library, each with why (docs/hubspot-cli.md,
//! *Where hubspot-ls differs*). Anything else is a disagreement and fails the test.

use super::Disagreement;

pub fn is_deliberate(d: &Disagreement) -> bool {
    let detail = d.detail.as_str();
    match d.aspect {
        // Env mode with no config file anywhere: the library still asks for a config path
        // while resolving the default and fails; we do what `--use-env` does and use the
        // environment's account, the only one there is.
        "resolve" => d.case == "setup env mode without config file",
        "check" => {
            // `check` reads files: environment variables that make no config (or a config
            // the CLI refuses) are no file's finding; `hubspot.account.resolve` and every
            // command say what is wrong.
            d.case.starts_with("setup env mode without ")
                || d.case == "setup env mode and config path"
                || d.case == "setup env mode id 0"
                // No config file anywhere (or HUBSPOT_CONFIG_PATH names none): every command
                // fails, and there is no file to put the finding on.
                || detail.starts_with("no config file:")
        }
        // `accounts` is a mapping: the CLI's list crashes, we list no accounts (and `check`
        // reports the crash on the file).
        "list" => d.case.starts_with("accounts mapping ["),
        _ => false,
    }
}
