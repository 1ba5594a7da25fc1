//! The binary's entry: `hubspot-ls` / `hubspot-ls serve`, the language server on stdio;
//! `hubspot-ls check [--format human|json|github|sarif] [--fix [--diff]] [PATH...]`, the same
//! analysis for terminals and CI; `hubspot-ls completions SHELL`; `hubspot-ls --version`.
//! In the library so that both packages that build the binary (`server/`, and the repository
//! root that pre-commit installs) share it.

mod args;

use clap::{CommandFactory, Parser};

use crate::check;
use args::{Cli, Command, Shell};

/// Parses the process's arguments, runs the command and exits with its status.
pub fn main() {
    let cli = match Cli::try_parse_from(args::without_stdio(std::env::args_os())) {
        Ok(cli) => cli,
        // Help and version go to stdout with 0; a usage error to stderr with 2.
        Err(e) => {
            let _ = e.print();
            std::process::exit(if e.use_stderr() { check::EXIT_USAGE } else { 0 });
        }
    };
    let code = match cli.command {
        None | Some(Command::Serve) => serve(),
        Some(Command::Check(args)) => {
            init_logging();
            let options = check::Options {
                paths: args.paths,
                format: args.format.into(),
                fix: args.fix || args.diff,
                diff: args.diff,
            };
            check::run(&options, &mut std::io::stdout().lock())
        }
        Some(Command::Completions { shell }) => {
            let shell = match shell {
                Shell::Bash => clap_complete::Shell::Bash,
                Shell::Zsh => clap_complete::Shell::Zsh,
                Shell::Fish => clap_complete::Shell::Fish,
            };
            clap_complete::generate(shell, &mut Cli::command(), "hubspot-ls", &mut std::io::stdout());
            0
        }
    };
    std::process::exit(code);
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("HUBSPOT_LS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"))
        // tower-lsp-server traces every JSON-RPC message whole, and those carry credentials
        // (a config's keys in didOpen, a PAK or secret value in executeCommand): its codec
        // and its client are never logged below `info`, whatever HUBSPOT_LS_LOG says.
        .add_directive("tower_lsp_server::codec=info".parse().expect("static directive"))
        .add_directive("tower_lsp_server::service=info".parse().expect("static directive"))
        // The HTTP stack's trace output includes request lines, and an apikey account's
        // URL carries `hapikey=`.
        .add_directive("reqwest=info".parse().expect("static directive"))
        .add_directive("hyper=info".parse().expect("static directive"))
        .add_directive("hyper_util=info".parse().expect("static directive"))
        .add_directive("h2=info".parse().expect("static directive"))
        .add_directive("rustls=info".parse().expect("static directive"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).init();
}

fn serve() -> i32 {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hubspot-ls: cannot start the async runtime: {e}");
            return check::EXIT_USAGE;
        }
    };
    // LSP: exit status 1 when `exit` came without a `shutdown` before it.
    let clean = runtime.block_on(crate::lsp::serve());
    // The read of stdin blocks a thread until the client closes it, which some never do after
    // `exit`: give other blocking work a moment, not that read forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    if clean {
        0
    } else {
        1
    }
}
