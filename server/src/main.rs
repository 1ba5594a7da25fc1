//! `hubspot-ls` / `hubspot-ls serve`: the language server on stdio.
//! `hubspot-ls check [--format human|json] [PATH...]`: the same analysis, for terminals and CI.
//! `hubspot-ls --version`.

use std::path::PathBuf;

use hubspot_ls::check;

const USAGE: &str =
    "usage: hubspot-ls [serve] | hubspot-ls check [--format human|json] [PATH...] | hubspot-ls --version";

fn main() {
    // VS Code's client appends `--stdio`; it means what we do anyway.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--stdio").collect();
    let code = match args.first().map(String::as_str) {
        None | Some("serve") if args.len() <= 1 => serve(),
        Some("--version") | Some("-V") => {
            println!("hubspot-ls {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("--help") | Some("-h") | Some("help") => {
            println!("{USAGE}");
            0
        }
        Some("check") => run_check(&args[1..]),
        _ => {
            eprintln!("hubspot-ls: unexpected arguments {:?}\n{USAGE}", args);
            check::EXIT_USAGE
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
    if runtime.block_on(hubspot_ls::lsp::serve()) {
        0
    } else {
        1
    }
}

fn run_check(args: &[String]) -> i32 {
    init_logging();
    let mut format = check::Format::Human;
    let mut paths = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--format" => match it.next().map(String::as_str) {
                Some("json") => format = check::Format::Json,
                Some("human") => format = check::Format::Human,
                other => {
                    eprintln!("hubspot-ls check: --format takes `human` or `json`, got {other:?}\n{USAGE}");
                    return check::EXIT_USAGE;
                }
            },
            "--format=json" => format = check::Format::Json,
            "--format=human" => format = check::Format::Human,
            s if s.starts_with('-') && s.len() > 1 => {
                eprintln!("hubspot-ls check: unknown option {s}\n{USAGE}");
                return check::EXIT_USAGE;
            }
            p => paths.push(PathBuf::from(p)),
        }
    }
    check::run(&paths, format, &mut std::io::stdout().lock())
}
