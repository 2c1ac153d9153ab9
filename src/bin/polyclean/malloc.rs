//! The memory allocator's settings for the process.
//!
//! glibc's malloc gives every thread that allocates its own arena, and memory freed in one
//! arena is not reused by the others: with the worker threads each filling its own, the peak
//! RSS of a run was ≈ 12 MB higher than with one arena shared by all, for no measurable
//! speed (docs/performance.md, "Memory"). The threads mostly allocate small blocks, which
//! glibc's per-thread caches serve without taking the arena's lock.

/// Limit glibc's malloc to one arena, unless `MALLOC_ARENA_MAX` says otherwise. Call before
/// any thread starts.
pub(crate) fn share_one_arena() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes allocator parameters; no other thread exists yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
