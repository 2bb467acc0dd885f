//! Calibration: pick argon2id parameters that take about a target time on this machine within
//! a memory cap. Memory is argon2's main defence, so the cap is used in full (down to the
//! point where one pass alone would overshoot), then passes are added to reach the target;
//! the result is never weaker than OWASP's equivalents of its minimum.

use std::time::{Duration, Instant};

use super::error::PasswordError;
use super::hasher::argon2id_raw;
use super::params::Params;

/// OWASP's argon2id configurations of equal strength (memory KiB, passes), p = 1.
const OWASP_EQUIVALENTS: [(u32, u32); 5] = [
    (47_104, 1),
    (19_456, 2),
    (12_288, 3),
    (9_216, 4),
    (7_168, 5),
];

/// Fewest passes OWASP asks for at `memory_kib`, or `None` below its smallest configuration.
fn owasp_min_passes(memory_kib: u32) -> Option<u32> {
    OWASP_EQUIVALENTS
        .iter()
        .find(|(m, _)| memory_kib >= *m)
        .map(|(_, t)| *t)
}

/// Longest target accepted.
const MAX_TARGET: Duration = Duration::from_secs(10);
/// Most passes calibration will choose.
const MAX_PASSES: u32 = 10;

fn time_one(params: Params) -> Result<Duration, PasswordError> {
    let mut out = [0u8; 32];
    let start = Instant::now();
    argon2id_raw(
        params,
        b"calibration password",
        b"calibration salt",
        None,
        &[],
        &mut out,
    )?;
    Ok(start.elapsed())
}

/// Parameters (p = 1) taking about `target` per hash here, using at most `max_memory_kib`.
///
/// The result is at least as strong as OWASP's minimum configurations (it may then take longer
/// than the target on a slow machine), uses at most 10 passes, and is measured, so the answer
/// varies between machines and runs.
///
/// # Errors
/// [`PasswordError::Calibration`] when the target is zero or above 10 s, or the memory cap
/// is below OWASP's smallest configuration (7168 KiB).
///
/// # Examples
/// ```no_run
/// use std::time::Duration;
/// let params = tillit::password::calibrate(Duration::from_millis(250), 64 * 1024)?;
/// assert!(params.memory_kib() <= 64 * 1024);
/// # Ok::<(), tillit::password::PasswordError>(())
/// ```
// Limitation: the measurement reflects this machine's load at the moment of the call; run it
// on an idle production-like host and store the result rather than calibrating at start-up.
pub fn calibrate(target: Duration, max_memory_kib: u32) -> Result<Params, PasswordError> {
    if target.is_zero() || target > MAX_TARGET {
        return Err(PasswordError::Calibration {
            reason: format!("target {target:?} must be above zero and at most {MAX_TARGET:?}"),
        });
    }
    let floor = OWASP_EQUIVALENTS[OWASP_EQUIVALENTS.len() - 1].0;
    if max_memory_kib < floor {
        return Err(PasswordError::Calibration {
            reason: format!(
                "memory cap {max_memory_kib} KiB is below OWASP's smallest configuration of {floor} KiB"
            ),
        });
    }

    // One pass at full memory; the second measurement avoids counting first-touch page faults.
    let mut memory = max_memory_kib;
    let _ = time_one(Params::new(memory, 1, 1)?)?;
    let mut one_pass = time_one(Params::new(memory, 1, 1)?)?;
    while one_pass > target && memory / 2 >= floor {
        memory /= 2;
        one_pass = time_one(Params::new(memory, 1, 1)?)?;
    }

    let per_pass = one_pass.as_secs_f64().max(1e-6);
    let fit = (target.as_secs_f64() / per_pass).floor();
    // `fit` is a finite non-negative float; clamping keeps the cast in range.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let mut passes = fit.clamp(1.0, f64::from(MAX_PASSES)) as u32;
    if let Some(min) = owasp_min_passes(memory) {
        passes = passes.max(min);
    }
    Params::new(memory, passes, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_respects_the_cap_and_the_owasp_floor() {
        let p = calibrate(Duration::from_millis(30), 8 * 1024).expect("calibrates");
        assert!(p.memory_kib() <= 8 * 1024 && p.memory_kib() >= 7168);
        let min = owasp_min_passes(p.memory_kib()).expect("within the table");
        assert!(p.time_cost() >= min && p.time_cost() <= MAX_PASSES);
        assert_eq!(p.parallelism(), 1);
    }

    #[test]
    fn bad_requests_are_refused() {
        assert!(calibrate(Duration::ZERO, 65536).is_err());
        assert!(calibrate(Duration::from_secs(11), 65536).is_err());
        assert!(calibrate(Duration::from_millis(100), 4096).is_err());
    }

    #[test]
    fn owasp_table_lookup() {
        assert_eq!(owasp_min_passes(65536), Some(1));
        assert_eq!(owasp_min_passes(19456), Some(2));
        assert_eq!(owasp_min_passes(10000), Some(4));
        assert_eq!(owasp_min_passes(7000), None);
    }
}
