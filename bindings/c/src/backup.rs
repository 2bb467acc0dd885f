//! The C surface of sealed backups: key and key-ring handles, sealing and opening through
//! read and write callbacks (each with a user-data pointer, so a file descriptor, a `FILE *`
//! or a memory buffer all fit), and path helpers that replace their output only on success.

use std::ffi::{c_char, c_int, c_void};
use std::io::{self, Read, Write};
use std::path::Path;

use tillit::backup as core;

use crate::error::{Failure, guard, out_arg, str_arg, tillit_status, write_string};

/// Algorithm code for AES-256-GCM (the default).
pub const TILLIT_BACKUP_AES_256_GCM: u32 = 1;
/// Algorithm code for ChaCha20-Poly1305.
pub const TILLIT_BACKUP_CHACHA20_POLY1305: u32 = 2;
/// The default plaintext chunk size in bytes (64 KiB).
pub const TILLIT_BACKUP_DEFAULT_CHUNK_SIZE: u32 = 65536;
/// The `flags` of the seal and open functions when nothing is asked for: the AEAD work runs
/// on a second thread while the calling thread reads and writes.
pub const TILLIT_BACKUP_DEFAULT: u32 = 0;
/// A flag for the seal and open functions: keep all the work on the calling thread.
pub const TILLIT_BACKUP_ONE_THREAD: u32 = 1;

// cbindgen can only write literal constants into the header; this keeps the literal honest.
const _: () = assert!(TILLIT_BACKUP_DEFAULT_CHUNK_SIZE == core::DEFAULT_CHUNK_SIZE);

/// A 256-bit backup key with its id. Make one with `tillit_backup_key_generate`,
/// `tillit_backup_key_from_bytes` or `tillit_backup_key_derive_from_passphrase`; release it
/// with `tillit_backup_key_free`, which wipes the key bytes.
#[derive(Debug)]
pub struct tillit_backup_key {
    inner: core::BackupKey,
}

/// The keys and passphrases that may open archives, found by the key id in each header.
/// Make one with `tillit_backup_key_ring_new`; release it with `tillit_backup_key_ring_free`.
#[derive(Debug)]
pub struct tillit_backup_key_ring {
    inner: core::BackupKeyRing,
}

/// Reads up to `len` bytes into `buf`. Returns the number of bytes read (0 only at the end
/// of the input), or a negative value on error.
pub type tillit_read_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buf: *mut u8, len: usize) -> isize>;

/// Writes all `len` bytes of `buf`. Returns 0 on success, anything else on error.
pub type tillit_write_fn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buf: *const u8, len: usize) -> c_int>;

fn algorithm(code: u32) -> Result<core::Algorithm, Failure> {
    match code {
        TILLIT_BACKUP_AES_256_GCM => Ok(core::Algorithm::Aes256Gcm),
        TILLIT_BACKUP_CHACHA20_POLY1305 => Ok(core::Algorithm::ChaCha20Poly1305),
        _ => Err(Failure::invalid(format!(
            "algorithm code {code} is unknown: use TILLIT_BACKUP_AES_256_GCM (1) or \
             TILLIT_BACKUP_CHACHA20_POLY1305 (2)"
        ))),
    }
}

/// Whether `flags` ask for a second thread; unknown bits are refused, so that a flag added
/// later is never silently ignored by an older library.
fn pipelined(flags: u32) -> Result<bool, Failure> {
    if flags & !TILLIT_BACKUP_ONE_THREAD != 0 {
        return Err(Failure::invalid(format!(
            "flags {flags:#x} hold unknown bits: use TILLIT_BACKUP_DEFAULT (0) or \
             TILLIT_BACKUP_ONE_THREAD (1)"
        )));
    }
    Ok(flags & TILLIT_BACKUP_ONE_THREAD == 0)
}

/// Stores a new handle in `*out`.
///
/// # Safety
/// `out` must be non-NULL (checked by the caller with `out_arg`) and writable.
unsafe fn put<T>(out: *mut *mut T, value: T) {
    // SAFETY: forwarded caller promise.
    unsafe { *out = Box::into_raw(Box::new(value)) };
}

/// Borrows a handle argument.
///
/// # Safety
/// `ptr` must be NULL or a live handle of this type.
unsafe fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: forwarded caller promise.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// Makes a new random key from the operating system's generator.
///
/// # Safety
/// `key_id` must be NULL or a NUL-terminated string; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_generate(
    key_id: *const c_char,
    out: *mut *mut tillit_backup_key,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let id = unsafe { str_arg(key_id, "key_id") }?;
        let inner = core::BackupKey::generate(id)?;
        // SAFETY: `out` was checked non-NULL above.
        unsafe { put(out, tillit_backup_key { inner }) };
        Ok(())
    })
}

/// Wraps 32 bytes of existing key material under `key_id`. The bytes are copied.
///
/// # Safety
/// `key_id` must be NULL or a NUL-terminated string; `material` must be NULL or point to
/// `material_len` readable bytes; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_from_bytes(
    key_id: *const c_char,
    material: *const u8,
    material_len: usize,
    out: *mut *mut tillit_backup_key,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: the caller promises a NUL-terminated string or NULL.
        let id = unsafe { str_arg(key_id, "key_id") }?;
        if material.is_null() {
            return Err(Failure::null("material"));
        }
        // SAFETY: non-NULL, and the caller promises `material_len` readable bytes.
        let bytes = unsafe { std::slice::from_raw_parts(material, material_len) };
        let inner = core::BackupKey::from_bytes(id, bytes)?;
        // SAFETY: `out` was checked non-NULL above.
        unsafe { put(out, tillit_backup_key { inner }) };
        Ok(())
    })
}

/// Derives a key from a passphrase with argon2id (memory `m_cost_kib` KiB, `t_cost` passes,
/// `p_cost` lanes; RFC 9106 recommends 65536, 3, 4) and a fresh random salt.
///
/// # Safety
/// `key_id` and `passphrase` must be NULL or NUL-terminated strings; `out` must be NULL or
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_derive_from_passphrase(
    key_id: *const c_char,
    passphrase: *const c_char,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    out: *mut *mut tillit_backup_key,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: the caller promises NUL-terminated strings or NULL.
        let id = unsafe { str_arg(key_id, "key_id") }?;
        // SAFETY: as above.
        let passphrase = unsafe { str_arg(passphrase, "passphrase") }?;
        let params = core::KdfParams {
            m_cost_kib,
            t_cost,
            p_cost,
        };
        let inner = core::BackupKey::derive_from_passphrase(id, passphrase, &params)?;
        // SAFETY: `out` was checked non-NULL above.
        unsafe { put(out, tillit_backup_key { inner }) };
        Ok(())
    })
}

/// Writes a copy of the key's id to `*out`; release it with `tillit_string_free`.
///
/// # Safety
/// `key` must be NULL or a live key handle; `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_id(
    key: *const tillit_backup_key,
    out: *mut *mut c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises a live handle or NULL.
        let key = unsafe { handle(key, "key") }?;
        // SAFETY: the caller promises `out` is NULL or writable; write_string checks NULL.
        unsafe { write_string(out, "out", key.inner.id()) }
    })
}

/// Releases a key and wipes its bytes. NULL is accepted and ignored.
///
/// # Safety
/// `key` must be NULL or a key handle that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_free(key: *mut tillit_backup_key) {
    if !key.is_null() {
        // SAFETY: the caller promises the handle came from a tillit constructor and is live.
        drop(unsafe { Box::from_raw(key) });
    }
}

/// Makes an empty key ring with the default argon2id ceilings (1 GiB, 10 passes, 16 lanes).
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_ring_new(
    out: *mut *mut tillit_backup_key_ring,
) -> tillit_status {
    guard(|| {
        out_arg(out, "out")?;
        // SAFETY: `out` was checked non-NULL above.
        unsafe {
            put(
                out,
                tillit_backup_key_ring {
                    inner: core::BackupKeyRing::new(),
                },
            )
        };
        Ok(())
    })
}

/// Adds a copy of `key` to the ring; the caller still owns and frees `key`.
///
/// # Safety
/// `ring` and `key` must be NULL or live handles; `ring` must not be used by another thread
/// during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_ring_add_key(
    ring: *mut tillit_backup_key_ring,
    key: *const tillit_backup_key,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises a live handle or NULL, used by this thread only.
        let ring = unsafe { ring.as_mut() }.ok_or_else(|| Failure::null("ring"))?;
        // SAFETY: the caller promises a live handle or NULL.
        let key = unsafe { handle(key, "key") }?;
        ring.inner.add_key(key.inner.clone())?;
        Ok(())
    })
}

/// Adds a passphrase to the ring under `key_id`.
///
/// # Safety
/// `ring` must be NULL or a live handle not used by another thread during the call;
/// `key_id` and `passphrase` must be NULL or NUL-terminated strings.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_ring_add_passphrase(
    ring: *mut tillit_backup_key_ring,
    key_id: *const c_char,
    passphrase: *const c_char,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises a live handle or NULL, used by this thread only.
        let ring = unsafe { ring.as_mut() }.ok_or_else(|| Failure::null("ring"))?;
        // SAFETY: the caller promises NUL-terminated strings or NULL.
        let id = unsafe { str_arg(key_id, "key_id") }?;
        // SAFETY: as above.
        let passphrase = unsafe { str_arg(passphrase, "passphrase") }?;
        ring.inner.add_passphrase(id, passphrase)?;
        Ok(())
    })
}

/// Releases a key ring and wipes every key and passphrase in it. NULL is accepted.
///
/// # Safety
/// `ring` must be NULL or a ring handle that was not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_key_ring_free(ring: *mut tillit_backup_key_ring) {
    if !ring.is_null() {
        // SAFETY: the caller promises the handle came from tillit_backup_key_ring_new.
        drop(unsafe { Box::from_raw(ring) });
    }
}

/// A caller's read callback as a Rust reader.
struct CallbackReader {
    read: unsafe extern "C" fn(*mut c_void, *mut u8, usize) -> isize,
    user_data: *mut c_void,
}

impl Read for CallbackReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // SAFETY: the caller of tillit_backup_seal/open promised a callback that reads at
        // most `len` bytes into `buf`; `buf` is valid for `buf.len()` bytes.
        let n = unsafe { (self.read)(self.user_data, buf.as_mut_ptr(), buf.len()) };
        match usize::try_from(n) {
            Ok(n) if n <= buf.len() => Ok(n),
            Ok(n) => Err(io::Error::other(format!(
                "the read callback returned {n} for a buffer of {} bytes",
                buf.len()
            ))),
            Err(_) => Err(io::Error::other(format!(
                "the read callback returned error {n}"
            ))),
        }
    }
}

/// A caller's write callback as a Rust writer.
struct CallbackWriter {
    write: unsafe extern "C" fn(*mut c_void, *const u8, usize) -> c_int,
    user_data: *mut c_void,
}

impl Write for CallbackWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        // SAFETY: `buf` is valid for `buf.len()` bytes; the caller promised a callback that
        // only reads them.
        let rc = unsafe { (self.write)(self.user_data, buf.as_ptr(), buf.len()) };
        if rc == 0 {
            Ok(buf.len())
        } else {
            Err(io::Error::other(format!(
                "the write callback returned error {rc}"
            )))
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn callbacks(
    read: tillit_read_fn,
    read_data: *mut c_void,
    write: tillit_write_fn,
    write_data: *mut c_void,
) -> Result<(CallbackReader, CallbackWriter), Failure> {
    let read = read.ok_or_else(|| Failure::null("read"))?;
    let write = write.ok_or_else(|| Failure::null("write"))?;
    Ok((
        CallbackReader {
            read,
            user_data: read_data,
        },
        CallbackWriter {
            write,
            user_data: write_data,
        },
    ))
}

/// Writes `value` to `*out` when `out` is not NULL.
///
/// # Safety
/// `out` must be NULL or writable.
unsafe fn put_optional(out: *mut u64, value: u64) {
    if !out.is_null() {
        // SAFETY: checked non-NULL; the caller promises it is writable.
        unsafe { *out = value };
    }
}

/// Seals everything `read` yields into an archive passed to `write`, with `key`,
/// `algorithm` (`TILLIT_BACKUP_AES_256_GCM` or `TILLIT_BACKUP_CHACHA20_POLY1305`) and
/// `chunk_size` (64 to 16777216; `TILLIT_BACKUP_DEFAULT_CHUNK_SIZE` is 65536). `flags` is
/// `TILLIT_BACKUP_DEFAULT` (the AEAD work runs on a second thread; `read` and `write` are
/// still called only on the calling thread) or `TILLIT_BACKUP_ONE_THREAD`. On success the
/// number of plaintext bytes goes to `*plaintext_bytes` when it is not NULL. On error, what
/// `write` received is not a valid archive and must be discarded.
///
/// # Safety
/// `read` and `write` must be NULL or callbacks that honour their documented contracts with
/// `read_data` and `write_data`; `key` must be NULL or a live handle; `plaintext_bytes` must
/// be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_seal(
    read: tillit_read_fn,
    read_data: *mut c_void,
    write: tillit_write_fn,
    write_data: *mut c_void,
    key: *const tillit_backup_key,
    algorithm_code: u32,
    chunk_size: u32,
    flags: u32,
    plaintext_bytes: *mut u64,
) -> tillit_status {
    guard(|| {
        let (reader, writer) = callbacks(read, read_data, write, write_data)?;
        // SAFETY: the caller promises a live handle or NULL.
        let key = unsafe { handle(key, "key") }?;
        let options = core::SealOptions {
            algorithm: algorithm(algorithm_code)?,
            chunk_size,
            pipelined: pipelined(flags)?,
        };
        let summary = core::seal_with_options(reader, writer, &key.inner, &options)?;
        // SAFETY: the caller promises NULL or writable.
        unsafe { put_optional(plaintext_bytes, summary.plaintext_bytes) };
        Ok(())
    })
}

/// Opens the archive that `read` yields, passing only authenticated plaintext to `write`,
/// with the key its header names from `ring`. `flags` is as for `tillit_backup_seal`. On
/// success the number of plaintext bytes goes to `*plaintext_bytes` when it is not NULL. On error, what `write` received so far must be
/// discarded: the archive was damaged, altered or cut short.
///
/// # Safety
/// As for `tillit_backup_seal`, with `ring` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_open(
    read: tillit_read_fn,
    read_data: *mut c_void,
    write: tillit_write_fn,
    write_data: *mut c_void,
    ring: *const tillit_backup_key_ring,
    flags: u32,
    plaintext_bytes: *mut u64,
) -> tillit_status {
    guard(|| {
        let (reader, writer) = callbacks(read, read_data, write, write_data)?;
        // SAFETY: the caller promises a live handle or NULL.
        let ring = unsafe { handle(ring, "ring") }?;
        let options = core::OpenOptions {
            pipelined: pipelined(flags)?,
        };
        let summary = core::open_with_options(reader, writer, &ring.inner, &options)?;
        // SAFETY: the caller promises NULL or writable.
        unsafe { put_optional(plaintext_bytes, summary.plaintext_bytes) };
        Ok(())
    })
}

/// Seals the file at `input` into `output`, which is replaced only if sealing succeeds.
/// `algorithm_code`, `chunk_size` and `flags` are as for `tillit_backup_seal`.
///
/// # Safety
/// `input` and `output` must be NULL or NUL-terminated strings; `key` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_seal_file(
    input: *const c_char,
    output: *const c_char,
    key: *const tillit_backup_key,
    algorithm_code: u32,
    chunk_size: u32,
    flags: u32,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises NUL-terminated strings or NULL.
        let input = unsafe { str_arg(input, "input") }?;
        // SAFETY: as above.
        let output = unsafe { str_arg(output, "output") }?;
        // SAFETY: the caller promises a live handle or NULL.
        let key = unsafe { handle(key, "key") }?;
        let options = core::SealOptions {
            algorithm: algorithm(algorithm_code)?,
            chunk_size,
            pipelined: pipelined(flags)?,
        };
        core::seal_file_with_options(Path::new(input), Path::new(output), &key.inner, &options)?;
        Ok(())
    })
}

/// Opens the archive at `input` into `output`, which is replaced only if the whole archive
/// verified. `flags` is as for `tillit_backup_seal`.
///
/// # Safety
/// `input` and `output` must be NULL or NUL-terminated strings; `ring` NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn tillit_backup_open_file(
    input: *const c_char,
    output: *const c_char,
    ring: *const tillit_backup_key_ring,
    flags: u32,
) -> tillit_status {
    guard(|| {
        // SAFETY: the caller promises NUL-terminated strings or NULL.
        let input = unsafe { str_arg(input, "input") }?;
        // SAFETY: as above.
        let output = unsafe { str_arg(output, "output") }?;
        // SAFETY: the caller promises a live handle or NULL.
        let ring = unsafe { handle(ring, "ring") }?;
        let options = core::OpenOptions {
            pipelined: pipelined(flags)?,
        };
        core::open_file_with_options(Path::new(input), Path::new(output), &ring.inner, &options)?;
        Ok(())
    })
}
