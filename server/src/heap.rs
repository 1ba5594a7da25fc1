//! How the process's heap is set up, before anything is allocated in earnest.
//!
//! Why: opening a 2,000-account config builds ~6.5 MB of tree from nothing, and on the
//! VMs this runs on the first touch of each fresh 4 KiB page costs ~3.6 µs: ~3,000 of them
//! were a third of the time of `check`, and of an open of unsaved text. Here the main
//! thread's heap (where `check` and the server's document handlers allocate) is grown once,
//! by a reserve that costs nothing until it is touched, and that reserve is marked for
//! transparent huge pages: a first touch then maps 2 MiB at once. What glibc's own
//! `glibc.malloc.hugetlb=1` tunable does, which can only be set before start-up (a
//! re-exec to set it cost more than it saved).
//!
//! Not where the host takes free memory back (a VM whose balloon device reports free pages,
//! as this one's does): the kernel reports free blocks of 2 MiB and more, the host drops
//! them, and a huge page is exactly such a block, every 4 KiB of it faulted in again by the
//! host. Measured here: 100 MiB touched page by page takes 0.8-1.1 ms per MiB in 4 KiB pages
//! whatever came before, 0.17 ms per MiB in huge pages right after another process freed
//! them, and 1.7-2.1 ms per MiB once they had been given back (a 2 GB process gone for 4 s,
//! as a peer server in the benchmark is): opening 20,000 accounts of unsaved text then took
//! 290 ms with the advice and 223 ms without (2,000 accounts: 26 and 25 ms). There the reserve
//! stays, in small pages.
//!
//! Elsewhere (another libc, another OS, transparent huge pages turned off) this does
//! nothing and nothing else changes. One arena for all threads was measured too: the
//! threads then wait for each other's allocations, which cost more than the pages saved.

/// What [`prepare`] did, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prepared {
    /// This many bytes of heap are advised for huge pages.
    HugePages(usize),
    /// This many bytes of heap are reserved, in small pages, for this reason.
    SmallPages(usize, &'static str),
    /// Nothing, for this reason.
    Not(&'static str),
}

impl std::fmt::Display for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prepared::HugePages(n) => write!(f, "{} MiB of heap reserved for transparent huge pages", n >> 20),
            Prepared::SmallPages(n, why) => write!(f, "{} MiB of heap reserved, in small pages: {why}", n >> 20),
            Prepared::Not(why) => write!(f, "heap left as it is: {why}"),
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn prepare() -> Prepared {
    /// The first growth of the heap: virtual until touched, so its size costs no memory.
    /// Sized for the largest configs measured (20,000 accounts: ~150 MiB of tree and text):
    /// with 32 MiB that read ran past the reserve into ~16,000 page-by-page faults, a third
    /// of its time, while 2,000 accounts took 3.
    const RESERVE: usize = 256 << 20;
    /// Blocks from this size get mappings of their own (glibc allows at most 32 MiB).
    const MMAP_FROM: usize = 16 << 20;
    const HUGE: usize = 2 << 20;
    // Read before the heap grows (a few small blocks from the start-up heap).
    let given_back = host_takes_back_free_memory(std::path::Path::new("/sys"));
    // SAFETY: mallopt, malloc, free, sbrk(0) and madvise over our own heap's pages, before
    // any other thread exists.
    unsafe {
        // Large blocks (a document's text, the transport's buffers) from the heap too, not
        // from mappings of their own, each faulted in page by page.
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_FROM as i32);
        // Keep what is freed: a heap shrunk and grown again grows without the advice.
        libc::mallopt(libc::M_TRIM_THRESHOLD, (2 * RESERVE) as i32);
        libc::mallopt(libc::M_TOP_PAD, RESERVE as i32);
        let before = libc::sbrk(0) as usize;
        // A block that does not fit grows the heap, by the reserve (`black_box`: the
        // compiler may drop a block that is freed unused, and the growth with it).
        libc::free(std::hint::black_box(libc::malloc(256 << 10)));
        let after = libc::sbrk(0) as usize;
        // Later growth in the usual steps.
        libc::mallopt(libc::M_TOP_PAD, 128 << 10);
        let start = before.next_multiple_of(HUGE);
        if after <= start + HUGE {
            return Prepared::Not("the heap did not grow");
        }
        if given_back {
            return Prepared::SmallPages(after - start, "the host takes free memory back (free page reporting)");
        }
        match libc::madvise(start as *mut libc::c_void, after - start, libc::MADV_HUGEPAGE) {
            0 => Prepared::HugePages(after - start),
            _ => Prepared::Not("the kernel refused the advice"),
        }
    }
}

/// Whether a virtio balloon device under `sysfs` has free page reporting on (feature bit 5,
/// `VIRTIO_BALLOON_F_REPORTING`): the kernel then hands free blocks of 2 MiB and more back to
/// the host. Nothing readable there means no.
#[cfg_attr(not(all(target_os = "linux", target_env = "gnu")), allow(dead_code))]
fn host_takes_back_free_memory(sysfs: &std::path::Path) -> bool {
    const BALLOON: &str = "0x0005";
    const REPORTING: usize = 5;
    let Ok(devices) = std::fs::read_dir(sysfs.join("bus/virtio/devices")) else { return false };
    devices.flatten().any(|d| {
        let read = |name| std::fs::read_to_string(d.path().join(name)).unwrap_or_default();
        // `features` is one character per bit, bit 0 first.
        read("device").trim() == BALLOON && read("features").as_bytes().get(REPORTING) == Some(&b'1')
    })
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn prepare() -> Prepared {
    Prepared::Not("not Linux with glibc")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sysfs(devices: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (i, (device, features)) in devices.iter().enumerate() {
            let d = dir.path().join(format!("bus/virtio/devices/virtio{i}"));
            std::fs::create_dir_all(&d).unwrap();
            std::fs::write(d.join("device"), format!("{device}\n")).unwrap();
            std::fs::write(d.join("features"), format!("{features}\n")).unwrap();
        }
        dir
    }

    #[test]
    fn free_page_reporting_is_read_from_the_balloon_device() {
        // As on the VM measured: a network device, then a balloon with bit 5 set.
        let on =
            sysfs(&[("0x0001", "11000101101110110000000000000100"), ("0x0005", "01100101000000000000000000000000")]);
        assert!(host_takes_back_free_memory(on.path()));
        // A balloon without reporting, a reporting bit on another device, no virtio at all.
        let off =
            sysfs(&[("0x0005", "01100001000000000000000000000000"), ("0x0002", "00000100000000000000000000000000")]);
        assert!(!host_takes_back_free_memory(off.path()));
        assert!(!host_takes_back_free_memory(tempfile::tempdir().unwrap().path()));
        assert!(!host_takes_back_free_memory(sysfs(&[("0x0005", "0110")]).path()));
    }
}
