//! Path helpers: seal or open one file into another without ever leaving a partial output.
//!
//! The output is written to a temporary file in the destination's own directory (so the
//! final rename stays on one file system and is atomic), flushed to disk, and renamed over
//! the destination only when the whole stream succeeded. On any error the temporary file is
//! removed and the destination is untouched. New files are readable by their owner only
//! (mode 0600 on Unix), which suits both archives and opened plaintext.

use std::fs::File;
use std::io::Write;
use std::path::Path;

use super::error::BackupError;
use super::key::{BackupKey, BackupKeyRing};
use super::stream::{self, OpenOptions, SealOptions, StreamSummary};

/// Runs `body` with a temporary file next to `output` and renames it over `output` if
/// `body` succeeds.
fn write_atomically(
    output: &Path,
    body: impl FnOnce(&mut File) -> Result<StreamSummary, BackupError>,
) -> Result<StreamSummary, BackupError> {
    let dir = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".tillit-backup-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(BackupError::io(
            "creating a temporary file next to the output",
        ))?;

    let summary = body(temp.as_file_mut())?;
    temp.as_file_mut()
        .flush()
        .map_err(BackupError::io("flushing the temporary file"))?;
    temp.as_file()
        .sync_all()
        .map_err(BackupError::io("syncing the temporary file to disk"))?;
    temp.persist(output).map_err(|e| BackupError::Io {
        operation: "renaming the output into place",
        source: e.error,
    })?;

    // Make the rename itself durable; directories can be opened for syncing on Unix only.
    #[cfg(unix)]
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(BackupError::io("syncing the output directory"))?;
    Ok(summary)
}

fn open_input(input: &Path) -> Result<File, BackupError> {
    File::open(input).map_err(BackupError::io("opening the input file"))
}

/// Seals the file at `input` into a new archive at `output` (AES-256-GCM, 64 KiB chunks),
/// replacing `output` only if sealing succeeds.
///
/// # Errors
///
/// As [`seal`](super::seal), with [`BackupError::Io`] for file system failures.
///
/// # Examples
///
/// ```
/// use tillit::backup::{self, BackupKey, BackupKeyRing};
///
/// let dir = tempfile::tempdir().expect("temporary directory");
/// let (plain, sealed, opened) =
///     (dir.path().join("db.sqlite"), dir.path().join("db.tlb"), dir.path().join("back"));
/// std::fs::write(&plain, b"rows").expect("write input");
///
/// let key = BackupKey::generate("offsite-2026")?;
/// backup::seal_file(&plain, &sealed, &key)?;
/// let mut ring = BackupKeyRing::new();
/// ring.add_key(key)?;
/// backup::open_file(&sealed, &opened, &ring)?;
/// assert_eq!(std::fs::read(&opened).expect("read output"), b"rows");
/// # Ok::<(), tillit::backup::BackupError>(())
/// ```
pub fn seal_file(
    input: &Path,
    output: &Path,
    key: &BackupKey,
) -> Result<StreamSummary, BackupError> {
    seal_file_with_options(input, output, key, &SealOptions::default())
}

/// Seals the file at `input` into `output` with the given algorithm and chunk size.
///
/// # Errors
///
/// As [`seal_with_options`](super::seal_with_options), with [`BackupError::Io`] for file
/// system failures.
pub fn seal_file_with_options(
    input: &Path,
    output: &Path,
    key: &BackupKey,
    options: &SealOptions,
) -> Result<StreamSummary, BackupError> {
    let reader = open_input(input)?;
    write_atomically(output, |out| {
        stream::seal_with_options(reader, out, key, options)
    })
}

/// Opens the archive at `input` into `output`, replacing `output` only if every chunk
/// verified and the final chunk was reached.
///
/// # Errors
///
/// As [`open`](super::open), with [`BackupError::Io`] for file system failures.
pub fn open_file(
    input: &Path,
    output: &Path,
    ring: &BackupKeyRing,
) -> Result<StreamSummary, BackupError> {
    open_file_with_options(input, output, ring, &OpenOptions::default())
}

/// [`open_file`] with options: whether to open on a second thread.
///
/// # Errors
///
/// As [`open_file`].
pub fn open_file_with_options(
    input: &Path,
    output: &Path,
    ring: &BackupKeyRing,
    options: &OpenOptions,
) -> Result<StreamSummary, BackupError> {
    let reader = open_input(input)?;
    write_atomically(output, |out| {
        stream::open_with_options(reader, out, ring, options)
    })
}
