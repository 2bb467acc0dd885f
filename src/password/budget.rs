//! The memory budget: a pool of argon2 working memory bounded in bytes. Each hash holds a
//! permit for its m KiB while it runs; past the budget, callers wait up to a timeout and then
//! get [`PasswordError::Busy`], never an out-of-memory crash.
//!
//! Freed buffers are wiped and kept for the next hash of the same size, because allocating and
//! zeroing m KiB on every call costs page faults (close to half the time of a small hash).
//! Kept buffers count against the budget; when a different size is needed and the budget is
//! full, kept buffers are released first.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use argon2::Block;

use super::error::PasswordError;

const KIB: u64 = 1024;

/// A byte budget for argon2 working memory, shared by every hasher it is given to.
///
/// Cloning is cheap and shares the same pool.
///
/// # Examples
/// ```
/// use std::time::Duration;
/// use tillit::password::{MemoryBudget, Params, PasswordHasher};
/// // Room for four OWASP hashes at once; a fifth caller waits up to 2 s, then gets Busy.
/// let budget = MemoryBudget::for_permits(4, Params::OWASP, Duration::from_secs(2))?;
/// let hasher = PasswordHasher::builder().budget(budget).build()?;
/// # let _ = hasher;
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
#[derive(Clone)]
pub struct MemoryBudget {
    inner: Arc<Inner>,
}

struct Inner {
    capacity: u64,
    wait: Duration,
    state: Mutex<State>,
    freed: Condvar,
}

#[derive(Default)]
struct State {
    in_use: u64,
    holders: usize,
    kept: Vec<Vec<Block>>,
    kept_bytes: u64,
    peak_bytes: u64,
    peak_holders: usize,
}

impl fmt::Debug for MemoryBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryBudget")
            .field("capacity_bytes", &self.inner.capacity)
            .field("wait", &self.inner.wait)
            .finish_non_exhaustive()
    }
}

/// Longest wait accepted (an hour): a login should never wait longer.
const MAX_WAIT: Duration = Duration::from_secs(3600);

impl MemoryBudget {
    /// A budget of `bytes` of working memory; callers wait up to `wait` for room.
    ///
    /// # Errors
    /// [`PasswordError::ParamsOutOfRange`] when `bytes` is below 8 KiB or `wait` above an hour.
    pub fn new(bytes: u64, wait: Duration) -> Result<Self, PasswordError> {
        if bytes < 8 * KIB {
            return Err(super::params::out_of_range(
                "budget_bytes",
                bytes,
                8 * KIB,
                u64::MAX,
            ));
        }
        if wait > MAX_WAIT {
            return Err(super::params::out_of_range(
                "budget_wait_ms",
                u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                0u64,
                3_600_000u64,
            ));
        }
        Ok(MemoryBudget {
            inner: Arc::new(Inner {
                capacity: bytes,
                wait,
                state: Mutex::new(State::default()),
                freed: Condvar::new(),
            }),
        })
    }

    /// A budget with room for exactly `permits` hashes at `params`.
    ///
    /// # Errors
    /// As [`MemoryBudget::new`], and when `permits` is 0.
    pub fn for_permits(
        permits: u32,
        params: super::Params,
        wait: Duration,
    ) -> Result<Self, PasswordError> {
        if permits == 0 {
            return Err(super::params::out_of_range("permits", 0u32, 1u32, u32::MAX));
        }
        Self::new(
            params
                .block_count()
                .saturating_mul(KIB)
                .saturating_mul(permits.into()),
            wait,
        )
    }

    /// The budget in bytes.
    #[must_use]
    pub fn capacity_bytes(&self) -> u64 {
        self.inner.capacity
    }

    /// How long a caller waits for room before [`PasswordError::Busy`].
    #[must_use]
    pub fn wait(&self) -> Duration {
        self.inner.wait
    }

    /// Frees the wiped buffers kept for reuse (they are allocated again on demand).
    pub fn release_kept(&self) {
        let kept = {
            let mut st = self.lock();
            st.kept_bytes = 0;
            std::mem::take(&mut st.kept)
        };
        drop(kept);
        self.inner.freed.notify_all();
    }

    /// Highest number of bytes held at once (in use plus kept) since creation; for tests and
    /// monitoring.
    #[doc(hidden)]
    #[must_use]
    pub fn peak_bytes(&self) -> u64 {
        self.lock().peak_bytes
    }

    /// Highest number of permits held at once since creation; for tests and monitoring.
    #[doc(hidden)]
    #[must_use]
    pub fn peak_permits(&self) -> usize {
        self.lock().peak_holders
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the counters inconsistent (every update
        // is a single statement group without calls that panic), so a poisoned lock is used.
        self.inner
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes a permit with a buffer of `blocks` 1 KiB blocks, waiting up to the budget's wait.
    pub(crate) fn acquire(&self, blocks: u64) -> Result<Permit, PasswordError> {
        let need = blocks.saturating_mul(KIB);
        let needed_kib = blocks;
        if need > self.inner.capacity {
            return Err(PasswordError::ExceedsBudget {
                needed_kib,
                budget_kib: self.inner.capacity / KIB,
            });
        }
        let len = usize::try_from(blocks).map_err(|_| PasswordError::OutOfMemory { needed_kib })?;
        let start = Instant::now();
        let deadline = start + self.inner.wait;
        let mut st = self.lock();
        loop {
            if let Some(i) = st.kept.iter().position(|b| b.len() == len) {
                let buf = st.kept.swap_remove(i);
                st.kept_bytes -= need;
                st.take(need);
                return Ok(Permit {
                    budget: self.clone(),
                    buf,
                    bytes: need,
                });
            }
            // Release kept buffers of other sizes until the new one fits.
            while st.in_use + st.kept_bytes + need > self.inner.capacity {
                let Some(old) = st.kept.pop() else { break };
                st.kept_bytes -= (old.len() as u64) * KIB;
                drop(old);
            }
            if st.in_use + st.kept_bytes + need <= self.inner.capacity {
                st.take(need);
                drop(st);
                return match allocate(len) {
                    Some(buf) => Ok(Permit {
                        budget: self.clone(),
                        buf,
                        bytes: need,
                    }),
                    None => {
                        self.give_back(need, None);
                        Err(PasswordError::OutOfMemory { needed_kib })
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(PasswordError::Busy {
                    needed_kib,
                    waited: now - start,
                });
            }
            st = self
                .inner
                .freed
                .wait_timeout(st, deadline - now)
                .map(|(guard, _)| guard)
                .unwrap_or_else(|e| e.into_inner().0);
        }
    }

    // Limitation: waiters are woken all at once and race for the freed room, so under
    // sustained overload the wait is bounded but not first-come-first-served.
    fn give_back(&self, bytes: u64, buf: Option<Vec<Block>>) {
        let mut st = self.lock();
        st.in_use -= bytes;
        st.holders -= 1;
        if let Some(buf) = buf {
            st.kept_bytes += bytes;
            st.kept.push(buf);
        }
        drop(st);
        self.inner.freed.notify_all();
    }
}

impl State {
    fn take(&mut self, bytes: u64) {
        self.in_use += bytes;
        self.holders += 1;
        self.peak_bytes = self.peak_bytes.max(self.in_use + self.kept_bytes);
        self.peak_holders = self.peak_holders.max(self.holders);
    }
}

/// Allocates a zeroed buffer, or `None` when the allocator refuses (instead of aborting).
// Limitation: `try_reserve_exact` only catches refusals the allocator reports; on a system
// that overcommits memory, exhaustion shows later as the kernel's OOM killer, which is why
// the budget, not this check, is the real guard.
fn allocate(len: usize) -> Option<Vec<Block>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(len).ok()?;
    advise_huge_pages(&mut buf);
    buf.resize(len, Block::new());
    Some(buf)
}

/// Asks Linux to back the buffer's reserved (not yet touched) memory with 2 MiB pages.
///
/// Argon2 reads blocks at data-dependent places all over its m KiB; with 4 KiB pages a
/// 19 MiB buffer spans about 4,900 pages, more than the CPU's TLB holds, so most of those
/// reads also miss the TLB. On a 2-core AMD EPYC this cut the CPU time of an OWASP hash by
/// 8 to 11 %. Where transparent huge pages are off the call changes nothing, and a refusal
/// is ignored: the advice only affects speed, never contents.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise_huge_pages(buf: &mut Vec<Block>) {
    const HUGE: usize = 2 << 20;
    let start = buf.as_mut_ptr() as usize;
    let end = start.saturating_add(buf.capacity().saturating_mul(std::mem::size_of::<Block>()));
    // Only whole huge pages inside the allocation are advised.
    let first = start.next_multiple_of(HUGE);
    let last = end - end % HUGE;
    if last > first {
        // SAFETY: [first, last) lies inside the allocation `buf` owns (its reserved capacity),
        // no reference into it exists yet, and MADV_HUGEPAGE only changes how the kernel
        // backs the range, never its contents or validity.
        let _ = unsafe {
            libc::madvise(
                first as *mut libc::c_void,
                last - first,
                libc::MADV_HUGEPAGE,
            )
        };
    }
}

#[cfg(not(target_os = "linux"))]
fn advise_huge_pages(_buf: &mut Vec<Block>) {}

/// Working memory for one hash; wiped and returned to the budget when dropped.
pub(crate) struct Permit {
    budget: MemoryBudget,
    buf: Vec<Block>,
    bytes: u64,
}

impl Permit {
    pub(crate) fn blocks(&mut self) -> &mut [Block] {
        &mut self.buf
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        // The blocks are derived from the password: any of them lets an attacker test guesses
        // without paying the memory cost, so they are wiped before the buffer is kept. A plain
        // fill (a memset) cannot be elided here because the buffer stays alive and reachable
        // in the budget's pool; the fence keeps it ordered before the buffer is handed back.
        self.buf.fill(Block::new());
        std::sync::atomic::compiler_fence(std::sync::atomic::Ordering::SeqCst);
        let buf = std::mem::take(&mut self.buf);
        self.budget.give_back(self.bytes, Some(buf));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permits_beyond_the_budget_wait_then_get_busy() {
        let budget = MemoryBudget::new(64 * KIB, Duration::from_millis(50)).expect("valid");
        let a = budget.acquire(32).expect("fits");
        let b = budget.acquire(32).expect("fits");
        let started = Instant::now();
        let err = budget.acquire(32).err().expect("budget is full");
        assert!(err.is_busy(), "{err}");
        assert!(started.elapsed() >= Duration::from_millis(50));
        drop(a);
        let c = budget.acquire(32).expect("room again");
        assert_eq!(budget.peak_bytes(), 64 * KIB);
        assert_eq!(budget.peak_permits(), 2);
        drop((b, c));
    }

    #[test]
    fn buffers_are_reused_and_other_sizes_evict_them() {
        let budget = MemoryBudget::new(64 * KIB, Duration::ZERO).expect("valid");
        drop(budget.acquire(48).expect("fits"));
        // The kept 48-block buffer is reused, not reallocated.
        let mut p = budget.acquire(48).expect("reuse");
        assert!(
            p.blocks()
                .iter()
                .all(|b| b.as_ref().iter().all(|w| *w == 0)),
            "wiped"
        );
        drop(p);
        // A 32-block buffer does not fit beside the kept 48: the kept one is released.
        let q = budget.acquire(32).expect("evicts the kept buffer");
        assert!(budget.peak_bytes() <= 64 * KIB);
        drop(q);
    }

    #[test]
    fn a_hash_larger_than_the_whole_budget_is_refused_at_once() {
        let budget = MemoryBudget::new(16 * KIB, Duration::from_secs(10)).expect("valid");
        assert!(matches!(
            budget.acquire(17),
            Err(PasswordError::ExceedsBudget { .. })
        ));
    }

    #[test]
    fn released_permits_wake_waiters() {
        let budget = MemoryBudget::new(16 * KIB, Duration::from_secs(5)).expect("valid");
        let held = budget.acquire(16).expect("fits");
        let b2 = budget.clone();
        let waiter = std::thread::spawn(move || b2.acquire(16).map(|_| ()));
        std::thread::sleep(Duration::from_millis(20));
        drop(held);
        assert!(waiter.join().expect("no panic").is_ok());
    }

    #[test]
    fn settings_are_validated() {
        assert!(MemoryBudget::new(1024, Duration::ZERO).is_err());
        assert!(MemoryBudget::new(1 << 20, Duration::from_secs(3601)).is_err());
        assert!(MemoryBudget::for_permits(0, super::super::Params::OWASP, Duration::ZERO).is_err());
    }
}
