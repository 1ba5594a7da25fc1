//! `fake-hubspot [--port N]`: the fake HubSpot API plus its admin API (`/__fake/...`).
//! The first stdout line is `listening on http://127.0.0.1:PORT`; nothing else is printed
//! there, so a parent process can read the port and leave the pipe alone.

use std::io::Write;

use fake_hubspot::FakeHubSpot;

const USAGE: &str = "usage: fake-hubspot [--port N] [--parent-pid PID]
  --port N          listen on 127.0.0.1:N (0 or absent: any free port)
  --parent-pid PID  exit once PID is no longer its parent (no orphans after a crashed test run)";

struct Args {
    port: u16,
    parent_pid: Option<u32>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut port = 0u16;
    let mut parent_pid = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let pid = if a == "--parent-pid" {
            Some(it.next().ok_or("--parent-pid needs a value")?.as_str())
        } else {
            a.strip_prefix("--parent-pid=")
        };
        if let Some(pid) = pid {
            parent_pid = Some(pid.parse().map_err(|_| format!("invalid pid {pid:?}"))?);
            continue;
        }
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
    Ok(Args { port, parent_pid })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Args { port, parent_pid } = match parse_args(&args) {
        Ok(a) => a,
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
    // With --parent-pid, the parent is checked once before the address is printed: a parent
    // that has read the address knows the fake saw it alive. Comparing against a pid given
    // by the parent has no start-up race: a parent that is already gone is noticed here.
    let orphaned = || parent_pid.is_some_and(|pid| !parent_is(pid));
    if orphaned() {
        std::process::exit(0);
    }
    let mut out = std::io::stdout();
    let _ = writeln!(out, "listening on {}", fake.url());
    let _ = out.flush();
    // The server runs on the handle's thread; this one only keeps the process alive until
    // it is killed, or (with --parent-pid) until it is re-parented, i.e. that parent died.
    if parent_pid.is_none() {
        loop {
            std::thread::park();
        }
    }
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        if orphaned() {
            drop(fake);
            std::process::exit(0);
        }
    }
}

#[cfg(unix)]
fn parent_is(pid: u32) -> bool {
    std::os::unix::process::parent_id() == pid
}

/// No portable parent id elsewhere: the option is accepted and has no effect.
#[cfg(not(unix))]
fn parent_is(_pid: u32) -> bool {
    true
}
