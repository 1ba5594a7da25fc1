//! Reading a local text file the server was pointed at (a config, a settings file, a
//! `.gitignore`): only a regular file, and only up to [`MAX_TEXT_FILE_BYTES`], so that a FIFO
//! named `.hsaccount` or a link to `/dev/zero` is an error instead of a hang or a runaway read.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::limits::MAX_TEXT_FILE_BYTES;

/// The bytes of the regular file at `path` (links followed).
pub fn read_bytes(path: &Path) -> io::Result<Vec<u8>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let too_large =
        || io::Error::new(io::ErrorKind::InvalidData, format!("larger than {} MiB", MAX_TEXT_FILE_BYTES >> 20));
    if meta.len() > MAX_TEXT_FILE_BYTES {
        return Err(too_large());
    }
    let file = File::open(path)?;
    // Checked on the handle too: the path may have been replaced since.
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_TEXT_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TEXT_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// As [`read_bytes`], for UTF-8 text.
pub fn read_string(path: &Path) -> io::Result<String> {
    String::from_utf8(read_bytes(path)?).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_of_a_bounded_size_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.yml");
        std::fs::write(&file, "accounts: []\n").unwrap();
        assert_eq!(read_string(&file).unwrap(), "accounts: []\n");
        // A device behind a link: refused, not read until memory runs out.
        #[cfg(unix)]
        {
            let link = dir.path().join("zero.yml");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            assert_eq!(read_bytes(&link).unwrap_err().kind(), io::ErrorKind::InvalidInput);
            // A FIFO: refused without being opened (opening it would wait for a writer).
            let fifo = dir.path().join(".hsaccount");
            assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
            assert_eq!(read_bytes(&fifo).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        }
        assert_eq!(read_bytes(dir.path()).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        let big = dir.path().join("big.yml");
        File::create(&big).unwrap().set_len(MAX_TEXT_FILE_BYTES + 1).unwrap();
        assert_eq!(read_bytes(&big).unwrap_err().kind(), io::ErrorKind::InvalidData);
        assert_eq!(read_string(&file.with_extension("none")).unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
