//! Standard input read on a thread of its own and cut into messages there.
//!
//! Why a thread: an editor opening a 2,000-account config sends ~900 KB in one `didOpen`.
//! Through tokio's stdin (each read a trip through the blocking pool, into a buffer that
//! starts at 8 KB) and a 64 KB pipe, that message arrived in a few dozen hand-offs between
//! the editor and us: ~8 ms before the first byte could be parsed. Here the pipe is enlarged
//! to hold such a message whole (Linux lets a process raise its own pipes to
//! `/proc/sys/fs/pipe-max-size`, 1 MiB by default), and one thread reads whatever is there.
//!
//! Why frames here: the body of a message is read into a buffer of its `Content-Length`,
//! made once. A reader of a byte stream (tower-lsp-server's) grows its buffer by doubling
//! and copies the message at each step: for a 9 MB message, 16 MiB of fresh memory and
//! ~8 MB of copies before the first byte is parsed.

use std::io::{self, Read};

use memchr::memmem;

/// The read buffer for headers and small messages (and the pipe size asked for).
const BLOCK: usize = 1 << 20;

/// A body is given its whole `Content-Length` up front up to this size; a larger one (no
/// config is this large) grows as its bytes arrive, so a header that lies costs nothing.
const EXACT_UP_TO: usize = 64 << 20;

/// One message cut from the stream.
#[derive(Debug, PartialEq)]
pub enum Frame {
    /// The body of a message (the JSON).
    Body(Vec<u8>),
    /// A header block that does not frame a message, and why; reading goes on from the next
    /// `Content-Length`.
    Bad(&'static str),
}

/// The messages of `source`, one at a time.
pub struct Frames<R> {
    source: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// After a bad header block: skip to the next `Content-Length` before reading on (not
    /// before the bad one is reported: what follows may not have been sent yet).
    lost: bool,
}

impl<R: Read> Frames<R> {
    pub fn new(source: R) -> Self {
        Frames { source, buf: touched_block(), start: 0, end: 0, lost: false }
    }

    /// The next message; `None` at the end of input (a message cut short there is dropped).
    pub fn next(&mut self) -> io::Result<Option<Frame>> {
        if std::mem::take(&mut self.lost) {
            self.resync()?;
        }
        let (header_end, body_start) = loop {
            if let Some(i) = memmem::find(&self.buf[self.start..self.end], b"\r\n\r\n") {
                break (self.start + i, self.start + i + 4);
            }
            if self.start == 0 && self.end == self.buf.len() {
                self.start = self.end;
                self.lost = true;
                return Ok(Some(Frame::Bad("a header block larger than 1 MiB")));
            }
            if !self.fill()? {
                return Ok(None);
            }
        };
        let length = content_length(&self.buf[self.start..header_end]);
        self.start = body_start;
        let length = match length {
            Ok(n) => n,
            Err(why) => {
                self.lost = true;
                return Ok(Some(Frame::Bad(why)));
            }
        };
        let have = self.end - self.start;
        if have >= length {
            let body = self.buf[self.start..self.start + length].to_vec();
            self.start += length;
            return Ok(Some(Frame::Body(body)));
        }
        let mut body = Vec::with_capacity(length.min(EXACT_UP_TO));
        body.extend_from_slice(&self.buf[self.start..self.end]);
        self.start = self.end;
        // Straight from the pipe into the body, without zeroing it first.
        (&mut self.source).take((length - have) as u64).read_to_end(&mut body)?;
        Ok((body.len() == length).then_some(Frame::Body(body)))
    }

    /// Reads more after what is buffered; false at the end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        loop {
            match self.source.read(&mut self.buf[self.end..]) {
                Ok(0) => return Ok(false),
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Skips to the next `Content-Length` (or the end of input).
    fn resync(&mut self) -> io::Result<()> {
        const NAME: &[u8] = b"Content-Length";
        loop {
            if let Some(i) = memmem::find(&self.buf[self.start..self.end], NAME) {
                self.start += i;
                return Ok(());
            }
            // Keep what could be the start of the name, cut by the end of the buffer.
            self.start = self.end.saturating_sub(NAME.len() - 1).max(self.start);
            if !self.fill()? {
                self.start = self.end;
                return Ok(());
            }
        }
    }
}

/// The body's length from a header block (without its closing blank line). Header names
/// are matched without regard to case; a `Content-Type` may name only UTF-8.
fn content_length(block: &[u8]) -> Result<usize, &'static str> {
    let block = std::str::from_utf8(block).map_err(|_| "headers that are not text")?;
    let mut length = None;
    for line in block.split("\r\n") {
        let (name, value) = line.split_once(':').ok_or("a header line without a colon")?;
        let value = value.trim();
        if name.trim().eq_ignore_ascii_case("content-length") {
            length = Some(value.parse::<usize>().map_err(|_| "a Content-Length that is not a number")?);
        } else if name.trim().eq_ignore_ascii_case("content-type") {
            let charset = value
                .split(';')
                .skip(1)
                .filter_map(|p| p.trim().split_once('='))
                .find(|(k, _)| k.eq_ignore_ascii_case("charset"));
            if let Some((_, c)) = charset {
                if !matches!(c.trim_matches('"').to_ascii_lowercase().as_str(), "utf-8" | "utf8") {
                    return Err("a Content-Type whose charset is not UTF-8");
                }
            }
        }
    }
    length.ok_or("no Content-Length header")
}

/// A read buffer whose pages are already mapped. Why: the first touch of a fresh page costs
/// a fault (~1-4 us on the VMs measured), and a large message read into untouched memory pays
/// ~250 of them inside the `read`, while the editor waits; here they are paid before it comes.
fn touched_block() -> Vec<u8> {
    // Zeroed memory can come as pages not yet mapped (and a plain fill with zeros may be
    // compiled into exactly that allocation): one volatile write per page maps them.
    let mut block = vec![0u8; BLOCK];
    for i in (0..BLOCK).step_by(4096) {
        // SAFETY: `i` is within the vector's initialised length.
        unsafe { std::ptr::write_volatile(block.as_mut_ptr().add(i), 0) };
    }
    block
}

/// Asks for a pipe on `fd` large enough to hold a big message whole; anything else (a file,
/// a terminal, an older kernel, a lower limit) keeps what it has.
pub fn enlarge_pipe(fd: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: F_SETPIPE_SZ takes an int and touches nothing of ours; on a descriptor that is
    // not a pipe it fails with EBADF or EINVAL, which is ignored.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, BLOCK as libc::c_int);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A source that hands out its bytes in the given pieces, as a pipe does.
    pub struct Pieces(pub std::collections::VecDeque<Vec<u8>>);
    impl Read for Pieces {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            let Some(mut p) = self.0.pop_front() else { return Ok(0) };
            let n = p.len().min(out.len());
            out[..n].copy_from_slice(&p[..n]);
            if n < p.len() {
                self.0.push_front(p.split_off(n));
            }
            Ok(n)
        }
    }

    fn message(body: &[u8]) -> Vec<u8> {
        [format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(), body].concat()
    }

    /// All frames of `stream`, delivered in pieces of `piece` bytes.
    fn frames(stream: &[u8], piece: usize) -> Vec<Frame> {
        let mut f = Frames::new(Pieces(stream.chunks(piece).map(<[u8]>::to_vec).collect()));
        std::iter::from_fn(|| f.next().unwrap()).collect()
    }

    #[test]
    fn cuts_messages_however_the_pipe_delivers_them() {
        let big: Vec<u8> = (0..3 * BLOCK + 17).map(|i| b'a' + (i % 26) as u8).collect();
        let stream = [
            message(b"{}"),
            message(&big),
            message(b"[1]"),
            b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length: 2\r\n\r\n{}".to_vec(),
        ]
        .concat();
        let want = vec![
            Frame::Body(b"{}".to_vec()),
            Frame::Body(big.clone()),
            Frame::Body(b"[1]".to_vec()),
            Frame::Body(b"{}".to_vec()),
        ];
        for piece in [1, 7, 4096, BLOCK - 3, stream.len()] {
            let got = frames(&stream, piece);
            assert_eq!(got.len(), want.len(), "pieces of {piece}");
            assert!(got == want, "pieces of {piece}");
        }
    }

    #[test]
    fn a_large_body_is_made_once_at_its_size() {
        let big = vec![b'x'; 2 * BLOCK + 5];
        let mut f = Frames::new(Pieces([message(&big)].into()));
        let Some(Frame::Body(body)) = f.next().unwrap() else { panic!() };
        assert_eq!(body.len(), big.len());
        assert_eq!(body.capacity(), big.len());
    }

    #[test]
    fn bad_headers_are_reported_and_reading_goes_on_at_the_next_message() {
        let stream = [
            b"Content-Type: text/plain\r\n\r\nnot a message ".to_vec(),
            b"Content-Length: x\r\n\r\n".to_vec(),
            message(b"{\"a\":1}"),
            b"Content-Length: 2\r\nContent-Type: application/json; charset=latin1\r\n\r\n{}".to_vec(),
            message(b"{}"),
        ]
        .concat();
        for piece in [1, 5, stream.len()] {
            assert_eq!(
                frames(&stream, piece),
                vec![
                    Frame::Bad("no Content-Length header"),
                    Frame::Bad("a Content-Length that is not a number"),
                    Frame::Body(b"{\"a\":1}".to_vec()),
                    Frame::Bad("a Content-Type whose charset is not UTF-8"),
                    Frame::Body(b"{}".to_vec()),
                ],
                "pieces of {piece}"
            );
        }
    }

    #[test]
    fn the_end_of_input_ends_the_messages_even_mid_message() {
        assert_eq!(
            frames(&[message(b"{}"), b"Content-Length: 10\r\n\r\n{\"a".to_vec()].concat(), 3),
            vec![Frame::Body(b"{}".to_vec())]
        );
        assert_eq!(frames(b"Content-Len", 3), vec![]);
        // A Content-Length far larger than what comes: no allocation of that size, and the end.
        assert_eq!(frames(b"Content-Length: 99999999999999\r\n\r\n{}", 3), vec![]);
    }

    #[test]
    fn a_header_block_without_an_end_is_skipped() {
        let stream = [vec![b'h'; BLOCK + 10], message(b"{}")].concat();
        assert_eq!(
            frames(&stream, 4096),
            vec![Frame::Bad("a header block larger than 1 MiB"), Frame::Body(b"{}".to_vec())]
        );
    }
}
