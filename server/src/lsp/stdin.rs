//! Standard input for the transport, read in large blocks on a thread of its own.
//!
//! Why: an editor opening a 2,000-account config sends ~900 KB in one `didOpen`. Through
//! tokio's stdin (each read a trip through the blocking pool, into a buffer that starts at
//! 8 KB) and a 64 KB pipe, that message arrived in a few dozen hand-offs between the editor
//! and us: ~8 ms before the first byte could be parsed, a quarter of opening the file. Here
//! the pipe is enlarged to hold such a message whole (Linux lets a process raise its own
//! pipes to `/proc/sys/fs/pipe-max-size`, 1 MiB by default), and one thread reads whatever
//! is there in one call and hands it over.

use std::io::{self, Read};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::{AsyncRead, ReadBuf};
use tokio::sync::mpsc;

/// The largest block read at once (and the pipe size asked for).
const BLOCK: usize = 1 << 20;

/// Blocks read but not yet taken; the reader thread waits when the server falls behind.
const QUEUE: usize = 8;

/// Standard input as an [`AsyncRead`]; end of input (or a read error, logged) reads as EOF.
pub fn stdin() -> Reader {
    enlarge_pipe(0);
    from(io::stdin())
}

/// `source` read on its own thread, in blocks of up to [`BLOCK`] bytes.
pub fn from(mut source: impl Read + Send + 'static) -> Reader {
    let (tx, rx) = mpsc::channel::<Vec<u8>>(QUEUE);
    let spawned = std::thread::Builder::new().name("hubspot-ls-stdin".into()).spawn(move || {
        let mut buf = touched_block();
        loop {
            match source.read(&mut buf) {
                Ok(0) => return,
                Ok(n) => {
                    let block = if n >= HAND_OVER {
                        // The buffer itself goes (a copy would touch as many fresh pages
                        // again); its replacement is made while the server decodes.
                        let mut block = std::mem::take(&mut buf);
                        block.truncate(n);
                        block
                    } else {
                        buf[..n].to_vec()
                    };
                    if tx.blocking_send(block).is_err() {
                        return; // the transport is gone
                    }
                    if buf.is_empty() {
                        buf = touched_block();
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    tracing::error!("reading standard input failed: {e}");
                    return;
                }
            }
        }
    });
    if let Err(e) = spawned {
        tracing::error!("cannot start the standard input reader: {e}");
    }
    Reader { rx, block: Vec::new(), at: 0 }
}

/// A read at least this large is handed over in the buffer it was read into.
const HAND_OVER: usize = 64 * 1024;

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
fn enlarge_pipe(fd: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: F_SETPIPE_SZ takes an int and touches nothing of ours; on a descriptor that is
    // not a pipe it fails with EBADF or EINVAL, which is ignored.
    unsafe {
        libc::fcntl(fd, libc::F_SETPIPE_SZ, BLOCK as libc::c_int);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = fd;
}

pub struct Reader {
    rx: mpsc::Receiver<Vec<u8>>,
    block: Vec<u8>,
    at: usize,
}

impl AsyncRead for Reader {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.at == this.block.len() {
            match ready!(this.rx.poll_recv(cx)) {
                Some(block) => {
                    this.block = block;
                    this.at = 0;
                }
                None => return Poll::Ready(Ok(())), // end of input
            }
        }
        let n = buf.remaining().min(this.block.len() - this.at);
        buf.put_slice(&this.block[this.at..this.at + n]);
        this.at += n;
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    /// A source that hands out its bytes in the given pieces, as a pipe does.
    struct Pieces(std::collections::VecDeque<Vec<u8>>);
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

    #[tokio::test]
    async fn reads_everything_in_order_then_end_of_input() {
        // More than the pipe holds, in the pieces a pipe hands out, read back in the small
        // reads a framed reader makes.
        let big: Vec<u8> = (0..3 * BLOCK + 17).map(|i| (i % 251) as u8).collect();
        let pieces = vec![b"Content-Length: 2\r\n\r\n{}".to_vec(), big.clone(), b"tail".to_vec()];
        let want: Vec<u8> = pieces.concat();
        let mut r = from(Pieces(pieces.into()));
        let mut got = Vec::new();
        let mut small = [0u8; 1000];
        loop {
            let n = r.read(&mut small).await.unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&small[..n]);
        }
        assert_eq!(got.len(), want.len());
        assert!(got == want);
    }

    #[tokio::test]
    async fn a_failing_source_reads_as_end_of_input() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::other("gone"))
            }
        }
        let mut all = Vec::new();
        from(Broken).read_to_end(&mut all).await.unwrap();
        assert!(all.is_empty());
    }
}
