//! Keeping two threads that hand work to each other on two cores.
//!
//! Why: the block-YAML reader wakes the thread that checks accounts once per batch, and
//! the kernel puts a woken thread beside the one that woke it when it judges the data to be
//! hot there. Traced on this project's 2-core VMs (`perf sched`): the reader and the checker
//! took turns on one core every ~0.1 ms while the other core idled, 30-40 involuntary
//! switches per 2,000-account read, whose wall time ran to 1.7x its CPU time. Keeping the
//! checker off the reader's core at its start took that to ~1 switch and wall time to its
//! CPU time.
//!
//! Elsewhere (another OS, one core, an affinity mask that allows nothing else) nothing is
//! changed.

/// A core, as the OS numbers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Core(usize);

/// The core the calling thread is running on now.
#[cfg(target_os = "linux")]
pub fn current() -> Option<Core> {
    // SAFETY: sched_getcpu takes nothing and returns a number or -1.
    let cpu = unsafe { libc::sched_getcpu() };
    usize::try_from(cpu).ok().map(Core)
}

#[cfg(not(target_os = "linux"))]
pub fn current() -> Option<Core> {
    None
}

/// Keeps the calling thread off `core` from now on, if it is allowed some other core.
/// Returns whether it did.
#[cfg(target_os = "linux")]
pub fn avoid(core: Core) -> bool {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: the set is a plain bit set of `size` bytes, read and written by the calls that
    // take its size; pid 0 is the calling thread; `core` is checked against the set's width.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if core.0 >= 8 * size || libc::sched_getaffinity(0, size, &mut set) != 0 {
            return false;
        }
        let allowed = libc::CPU_ISSET(core.0, &set);
        if libc::CPU_COUNT(&set) - i32::from(allowed) < 1 {
            return false; // nowhere else to go
        }
        libc::CPU_CLR(core.0, &mut set);
        libc::sched_setaffinity(0, size, &set) == 0
    }
}

#[cfg(not(target_os = "linux"))]
pub fn avoid(_: Core) -> bool {
    false
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn allowed() -> Vec<usize> {
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: as in `avoid`.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            assert_eq!(libc::sched_getaffinity(0, size, &mut set), 0);
            (0..8 * size).filter(|&c| libc::CPU_ISSET(c, &set)).collect()
        }
    }

    #[test]
    fn a_thread_that_avoids_a_core_never_runs_there_and_keeps_the_others() {
        let before = std::thread::spawn(allowed).join().unwrap();
        let Some(&first) = before.first() else { return };
        let (did, after, ran_on) = std::thread::spawn(move || {
            let did = avoid(Core(first));
            let ran_on: Vec<Option<Core>> = (0..200)
                .map(|_| {
                    std::thread::yield_now();
                    current()
                })
                .collect();
            (did, allowed(), ran_on)
        })
        .join()
        .unwrap();
        if before.len() < 2 {
            // One core: nowhere else to go, so nothing changes.
            assert!(!did);
            assert_eq!(after, before);
        } else {
            assert!(did);
            assert_eq!(after, before[1..].to_vec());
            assert!(ran_on.iter().all(|c| *c != Some(Core(first))), "{ran_on:?}");
        }
        // The calling thread's own mask is untouched.
        assert_eq!(allowed(), before);
    }

    #[test]
    fn a_core_out_of_range_changes_nothing() {
        let before = allowed();
        assert!(!std::thread::spawn(|| avoid(Core(1 << 20))).join().unwrap());
        assert_eq!(allowed(), before);
    }
}
