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
//! Elsewhere (another libc, another OS, transparent huge pages turned off) this does
//! nothing and nothing else changes. One arena for all threads was measured too: the
//! threads then wait for each other's allocations, which cost more than the pages saved.

/// What [`prepare`] did, for the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Prepared {
    /// This many bytes of heap are advised for huge pages.
    HugePages(usize),
    /// Nothing, for this reason.
    Not(&'static str),
}

impl std::fmt::Display for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Prepared::HugePages(n) => write!(f, "{} MiB of heap reserved for transparent huge pages", n >> 20),
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
        match libc::madvise(start as *mut libc::c_void, after - start, libc::MADV_HUGEPAGE) {
            0 => Prepared::HugePages(after - start),
            _ => Prepared::Not("the kernel refused the advice"),
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn prepare() -> Prepared {
    Prepared::Not("not Linux with glibc")
}
