//! The command line, as clap reads it: `--help` of each command is the reference users see.

use std::path::PathBuf;

use crate::check::Format;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "hubspot-ls",
    version,
    about = "Language server and checker for the HubSpot CLI's config files",
    long_about = "Language server and checker for the HubSpot CLI's (`hs`) config files: \
~/.hscli/config.yml (or $HUBSPOT_CONFIG_PATH), hubspot.config.yml/.yaml, .hs/settings.json and .hsaccount.\n\n\
Without a command it runs the language server on stdin/stdout, as `serve` does.",
    after_help = "Examples:\n  hubspot-ls                      # the language server, for an editor\n  \
hubspot-ls check                # the files in force for this folder\n  \
hubspot-ls check --fix          # apply the obvious fixes, then report what is left\n  \
hubspot-ls completions bash > ~/.local/share/bash-completion/completions/hubspot-ls"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server on stdin/stdout (the default). Logs go to stderr; set HUBSPOT_LS_LOG=debug for more.
    Serve,
    /// Check HubSpot CLI files as the editor does, for terminals and CI
    #[command(
        long_about = "Check HubSpot CLI files as the editor does, for terminals and CI.\n\n\
With no PATH it checks the files in force for the current directory (or $INIT_CWD, as the CLI does under \
`npm run`): the global config, the nearest .hs/settings.json and .hsaccount, and every \
hubspot.config.yml/.yaml up the tree. Credential values are never printed.\n\n\
Exit status: 0 no error-severity finding, 1 at least one, 2 a usage or I/O failure.",
        after_help = "Examples:\n  hubspot-ls check\n  \
hubspot-ls check ~/.hscli/config.yml .hs/settings.json\n  \
hubspot-ls check --format json > findings.json\n  \
hubspot-ls check --format github              # annotations in a GitHub Actions log\n  \
hubspot-ls check --format sarif > hubspot.sarif\n  \
hubspot-ls check --fix --diff                 # show what --fix would change\n  \
hubspot-ls check --fix hubspot.config.yml"
    )]
    Check(CheckArgs),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  hubspot-ls completions bash > ~/.local/share/bash-completion/completions/hubspot-ls\n  \
hubspot-ls completions zsh > ~/.zfunc/_hubspot-ls\n  \
hubspot-ls completions fish > ~/.config/fish/completions/hubspot-ls.fish"
    )]
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files to check (.hscli/config.yml, hubspot.config.yml/.yaml, .hs/settings.json, .hsaccount);
    /// none: the files in force here
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Human, value_name = "FORMAT")]
    pub format: OutputFormat,
    /// Apply the preferred quick fixes that change only the checked file (as the editor's), then report what is left
    #[arg(long)]
    pub fix: bool,
    /// Change nothing: print the unified diff of what --fix would change (implies --fix; credentials shown as `*`)
    #[arg(long)]
    pub diff: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// file:line:column: severity[code]: message, the source line and a caret (e.g. `config.yml:4:16: error[type]: …`)
    Human,
    /// One JSON array of {path, range, severity, code, message}; 0-based lines and UTF-16 columns, as in LSP
    Json,
    /// GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the pull request
    Github,
    /// One SARIF 2.1.0 log, e.g. for GitHub code scanning (`upload-sarif`)
    Sarif,
}

impl From<OutputFormat> for Format {
    fn from(f: OutputFormat) -> Format {
        match f {
            OutputFormat::Human => Format::Human,
            OutputFormat::Json => Format::Json,
            OutputFormat::Github => Format::Github,
            OutputFormat::Sarif => Format::Sarif,
        }
    }
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

/// VS Code's client appends `--stdio` to the server's arguments; it means what we do anyway,
/// wherever it stands.
pub fn without_stdio(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    args.into_iter().filter(|a| a != "--stdio").collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(without_stdio(args.iter().map(Into::into)))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn stdio_is_ignored_anywhere() {
        assert!(parse(&["hubspot-ls", "--stdio"]).unwrap().command.is_none());
        assert!(matches!(parse(&["hubspot-ls", "serve", "--stdio"]).unwrap().command, Some(Command::Serve)));
        assert!(matches!(parse(&["hubspot-ls", "--stdio", "serve"]).unwrap().command, Some(Command::Serve)));
        let Some(Command::Check(c)) = parse(&["hubspot-ls", "check", "--stdio", "a.yml"]).unwrap().command else {
            panic!("check")
        };
        assert_eq!(c.paths, vec![PathBuf::from("a.yml")]);
    }

    #[test]
    fn check_options() {
        let Some(Command::Check(c)) =
            parse(&["hubspot-ls", "check", "--format=sarif", "--fix", "--diff", "x"]).unwrap().command
        else {
            panic!("check")
        };
        assert_eq!((c.format, c.fix, c.diff), (OutputFormat::Sarif, true, true));
        let e = parse(&["hubspot-ls", "check", "--format", "xml"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}
