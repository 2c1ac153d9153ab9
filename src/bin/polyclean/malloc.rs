//! The memory allocator's settings for the process.
//!
//! glibc's malloc gives each thread that allocates an arena of its own, up to 8 per core,
//! and memory freed in one arena is not reused by the others. One arena for the whole process
//! kept the peak RSS lowest but made the worker threads queue on its lock: with two
//! threads, a fifth of the CPU went to the lock and the futex calls behind it. One arena per
//! worker thread costs ≈ 1 MB more than one arena in all (the main thread only waits while
//! the workers run, so it shares theirs) and removes the queue (docs/performance.md,
//! "Memory").
//!
//! glibc also raises its mmap threshold each time a large block is freed, so that later
//! blocks of that size come from the heap, where freed memory stays resident. The repetition
//! pass grows and frees tables of many megabytes before the main pass; with the threshold
//! left to move, a 1 GB run kept ≈ 7 MB more at its peak than with it fixed.

/// Blocks of at least this size are mapped on their own and unmapped when freed (glibc's
/// starting value, kept fixed).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 128 << 10;

/// Allow one malloc arena per worker thread, unless `MALLOC_ARENA_MAX` says otherwise, and
/// fix the mmap threshold, unless `MALLOC_MMAP_THRESHOLD_` says otherwise. Call before the
/// worker threads start.
pub(crate) fn configure(workers: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let arenas = libc::c_int::try_from(workers.max(1)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes allocator parameters, under malloc's own lock.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        // SAFETY: as above.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = workers;
}
