//! The File Manager commands against what is on the local disk: sources that are not regular
//! files, and symbolic links where a fetch would write.

use std::path::Path;
use std::sync::Arc;

use fake_hubspot::{AccountSpec, FakeHubSpot, FileSpec};

use super::client::{Caller, HubSpotClient};
use super::files::{self, FetchOptions};
use super::origin::Origins;
use crate::hubspot::store::{ConfigFile, FileTokenStore};
use crate::hubspot::writer::Writer;

const PAK: &str = "pat-na1-11111111-2222-3333-4444-55555555a1b2";

fn setup(dir: &Path) -> (FakeHubSpot, HubSpotClient, Caller) {
    let fake = FakeHubSpot::start();
    fake.add_account(AccountSpec::new(123, PAK));
    let client = HubSpotClient::new(Origins::new(Some(fake.url())));
    let path = dir.join("config.yml");
    let text = format!("accounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: {PAK}\n");
    std::fs::write(&path, text).unwrap();
    let file = ConfigFile::load(&path).unwrap();
    let store = Arc::new(FileTokenStore::new(path, Writer::default()));
    let caller = Caller::new(file.config.accounts[0].clone(), &file.config, store);
    (fake, client, caller)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn a_fifo_or_a_device_is_refused_without_being_opened() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, client, caller) = setup(dir.path());
    let fifo = dir.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    let rt = rt();
    // Opening a FIFO with no writer would block until one comes: this returns at once.
    let specials = if made { vec![fifo.clone(), "/dev/zero".into()] } else { vec!["/dev/zero".into()] };
    for src in specials {
        let err = rt.block_on(files::upload(&client, &caller, &src, "x", &|_| {})).unwrap_err().to_string();
        assert!(err.contains("not a regular file or a folder"), "{err}");
    }
    // In a folder, a FIFO is left out; the regular files go up.
    if made {
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::write(site.join("a.txt"), "a").unwrap();
        std::fs::rename(&fifo, site.join("pipe.txt")).unwrap();
        let up = rt.block_on(files::upload(&client, &caller, &site, "site", &|_| {})).unwrap();
        assert_eq!(up, ["site/a.txt"]);
    }
    assert!(fake.uploaded().iter().all(|u| u.file_name == "a.txt"));
}

#[test]
fn a_fetch_never_writes_through_a_link_inside_dest() {
    let dir = tempfile::tempdir().unwrap();
    let (fake, client, caller) = setup(dir.path());
    fake.add_file(123, FileSpec::new("/docs/a.txt", "from hubspot"));
    fake.add_file(123, FileSpec::new("/docs/sub/b.txt", "from hubspot"));
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("a.txt"), "mine").unwrap();
    let dest = dir.path().join("dest");
    std::fs::create_dir_all(dest.join("docs")).unwrap();
    std::os::unix::fs::symlink(outside.join("a.txt"), dest.join("docs/a.txt")).unwrap();
    let rt = rt();
    let opts = |overwrite| FetchOptions { overwrite, include_archived: false, buffers: Default::default() };
    // Without overwrite, the link counts as a file that exists: skipped.
    let got = rt.block_on(files::fetch(&client, &caller, "/docs", &dest, &opts(false), &|_| {})).unwrap();
    assert_eq!(got.skipped, [dest.join("docs/a.txt")]);
    // With it, the link is refused rather than followed.
    let err = rt.block_on(files::fetch(&client, &caller, "/docs", &dest, &opts(true), &|_| {}));
    let err = err.err().expect("refused").to_string();
    assert!(err.contains("docs/a.txt") && err.contains("symbolic link"), "{err}");
    assert_eq!(std::fs::read_to_string(outside.join("a.txt")).unwrap(), "mine");
    // A linked folder is refused too: nothing lands in what it points to.
    std::fs::remove_file(dest.join("docs/a.txt")).unwrap();
    std::fs::remove_dir_all(dest.join("docs/sub")).ok();
    std::os::unix::fs::symlink(&outside, dest.join("docs/sub")).unwrap();
    let err = rt.block_on(files::fetch(&client, &caller, "/docs", &dest, &opts(true), &|_| {}));
    let err = err.err().expect("refused").to_string();
    assert!(err.contains("docs/sub") && err.contains("symbolic link"), "{err}");
    assert!(!outside.join("b.txt").exists());
    // With the links gone, the fetch writes real files.
    std::fs::remove_file(dest.join("docs/sub")).unwrap();
    let got = rt.block_on(files::fetch(&client, &caller, "/docs", &dest, &opts(true), &|_| {})).unwrap();
    assert_eq!(got.written.len(), 2);
    assert_eq!(std::fs::read_to_string(dest.join("docs/sub/b.txt")).unwrap(), "from hubspot");
}
