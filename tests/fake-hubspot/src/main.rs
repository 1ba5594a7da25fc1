//! `fake-hubspot [--port N]`: the fake HubSpot API plus its admin API (`/__fake/...`).
//! The first stdout line is `listening on http://127.0.0.1:PORT`; nothing else is printed
//! there, so a parent process can read the port and leave the pipe alone.

use std::io::Write;

use fake_hubspot::FakeHubSpot;

const USAGE: &str = "usage: fake-hubspot [--port N]   (N = 0 or absent: any free port)";

fn parse_port(args: &[String]) -> Result<u16, String> {
    let mut port = 0u16;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = if a == "--port" {
            it.next().ok_or("--port needs a value")?.as_str()
        } else if let Some(v) = a.strip_prefix("--port=") {
            v
        } else if a == "-h" || a == "--help" {
            return Err(String::new());
        } else {
            return Err(format!("unknown argument {a:?}"));
        };
        port = value.parse().map_err(|_| format!("invalid port {value:?}"))?;
    }
    Ok(port)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match parse_port(&args) {
        Ok(p) => p,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("fake-hubspot: {e}");
            }
            eprintln!("{USAGE}");
            std::process::exit(if e.is_empty() { 0 } else { 2 });
        }
    };
    let fake = match FakeHubSpot::try_start(port) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fake-hubspot: cannot listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {}", fake.url());
    let _ = out.flush();
    // The server runs on the handle's thread; this one only keeps the process alive until
    // it is killed.
    loop {
        std::thread::park();
    }
}
