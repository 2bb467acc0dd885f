//! Batches of chunks, and the pipeline that seals or opens them on a second thread.
//!
//! A stream is cut into batches of consecutive chunks (about 1 MiB). The calling thread reads
//! each batch from the reader and writes each finished batch to the writer; the AEAD work on
//! a batch runs on a worker thread meanwhile, so copying in and out overlaps with the
//! cryptography instead of adding to it. The reader and the writer are only ever used on the
//! calling thread, so they need not be `Send`. A stream that fits in one batch, or a caller
//! that turns pipelining off, never starts a thread; nor does anything change in the archive:
//! pipelined or not, the same chunks are sealed with the same nonces.
//!
//! A batch is laid out as the archive stores it: each chunk is followed by room for its tag,
//! so a sealed batch is one contiguous run of archive bytes, and an archive's records can be
//! read straight into place for opening.

use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use ring::aead::{Aad, LessSafeKey};
use zeroize::Zeroize;

use super::error::BackupError;
use super::format::{BackupHeader, TAG_LEN};
use super::stream::read_full;

/// Input bytes a batch aims for.
const BATCH_BYTES: usize = 1 << 20;
/// The most chunks in one batch, so streams of small chunks still overlap their work.
const MAX_BATCH_CHUNKS: usize = 16;

/// How many chunks go in one batch for a chunk size: about 1 MiB, at least one chunk.
pub(super) fn batch_chunks(chunk_size: u32) -> usize {
    (BATCH_BYTES / chunk_size.max(1) as usize).clamp(1, MAX_BATCH_CHUNKS)
}

/// Consecutive chunks of one stream, each in a slot of chunk size plus tag.
pub(super) struct Batch {
    /// The slots; grown within its reserved capacity only as far as records arrive, so a
    /// small stream touches (and later wipes) only the memory it used.
    buf: Vec<u8>,
    /// Index of the batch's first chunk in the stream.
    first: u32,
    /// Number of chunks (sealing) or records (opening) in the batch.
    chunks: usize,
    /// Plaintext bytes (sealing) or archive bytes (opening) in the batch.
    bytes: usize,
    /// Whether the batch's last chunk is the last of the stream.
    last: bool,
    /// Opening: how many records verified, from the first.
    opened: usize,
    /// Opening: why the record after the verified ones did not open.
    failure: Option<BackupError>,
}

impl Batch {
    fn with_capacity(bytes: usize) -> Self {
        Self {
            buf: Vec::with_capacity(bytes),
            first: 0,
            chunks: 0,
            bytes: 0,
            last: false,
            opened: 0,
            failure: None,
        }
    }

    /// The stream index of the batch's chunk `j`. `fill` checked that every chunk's index
    /// fits in 32 bits, so the saturation never happens.
    fn index(&self, j: usize) -> u32 {
        self.first
            .saturating_add(u32::try_from(j).unwrap_or(u32::MAX))
    }

    /// The slot starting at `at`, `slot` bytes long, made available.
    fn slot(&mut self, at: usize, slot: usize) -> &mut [u8] {
        if self.buf.len() < at + slot {
            // Within the reserved capacity: no reallocation leaves a copy behind.
            self.buf.resize(at + slot, 0);
        }
        &mut self.buf[at..at + slot]
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Everything ever written lies within `len`; the spare capacity was never touched.
        self.buf.as_mut_slice().zeroize();
    }
}

/// Reads a stream batch by batch, one batch ahead, so that each batch handed out knows
/// whether it holds the stream's last chunk.
pub(super) struct BatchReader<'r, R: Read> {
    reader: &'r mut R,
    /// Bytes read into each slot: the chunk size (sealing) or chunk size plus tag (opening).
    read_len: usize,
    /// Distance between slots: chunk size plus tag.
    stride: usize,
    per_batch: usize,
    operation: &'static str,
    ahead: Ahead,
    /// Chunks handed out so far; the next batch's first index.
    pub(super) chunks: u64,
    /// Bytes read so far.
    pub(super) bytes: u64,
}

enum Ahead {
    Start,
    Held { batch: Batch, ended: bool },
    Done,
}

impl<'r, R: Read> BatchReader<'r, R> {
    /// A reader of plaintext chunks, for sealing.
    pub(super) fn plaintext(reader: &'r mut R, chunk_size: u32) -> Self {
        let chunk = chunk_size as usize;
        Self::new(
            reader,
            chunk,
            chunk + TAG_LEN,
            chunk_size,
            "reading the input",
        )
    }

    /// A reader of sealed records, for opening.
    pub(super) fn records(reader: &'r mut R, chunk_size: u32) -> Self {
        let record = chunk_size as usize + TAG_LEN;
        Self::new(reader, record, record, chunk_size, "reading the archive")
    }

    fn new(
        reader: &'r mut R,
        read_len: usize,
        stride: usize,
        chunk_size: u32,
        operation: &'static str,
    ) -> Self {
        Self {
            reader,
            read_len,
            stride,
            per_batch: batch_chunks(chunk_size),
            operation,
            ahead: Ahead::Start,
            chunks: 0,
            bytes: 0,
        }
    }

    /// The next batch, reusing `spare`'s memory where given; `None` once the stream is done.
    pub(super) fn next_batch(
        &mut self,
        spare: Option<Batch>,
    ) -> Result<Option<Batch>, BackupError> {
        let mut spare = spare;
        let (mut held, ended) = match std::mem::replace(&mut self.ahead, Ahead::Done) {
            Ahead::Start => {
                let mut batch = self.buffer(spare.take());
                let ended = self.fill(&mut batch, true)?;
                (batch, ended)
            }
            Ahead::Held { batch, ended } => (batch, ended),
            Ahead::Done => return Ok(None),
        };
        if !ended {
            let mut next = self.buffer(spare);
            let next_ended = self.fill(&mut next, false)?;
            if next.chunks > 0 {
                self.ahead = Ahead::Held {
                    batch: next,
                    ended: next_ended,
                };
                held.last = false;
                return Ok(Some(held));
            }
        }
        held.last = true;
        Ok(Some(held))
    }

    fn buffer(&self, spare: Option<Batch>) -> Batch {
        spare.unwrap_or_else(|| Batch::with_capacity(self.per_batch * self.stride))
    }

    /// Reads up to one batch of slots into `batch`; returns whether the input ended.
    fn fill(&mut self, batch: &mut Batch, first_batch: bool) -> Result<bool, BackupError> {
        batch.chunks = 0;
        batch.bytes = 0;
        batch.opened = 0;
        batch.failure = None;
        let mut ended = false;
        for i in 0..self.per_batch {
            let slot = batch.slot(i * self.stride, self.stride);
            let n = read_full(self.reader, &mut slot[..self.read_len], self.operation)?;
            // An empty input is one empty chunk; otherwise an empty read ends the stream.
            if n > 0 || (first_batch && i == 0) {
                batch.chunks += 1;
                batch.bytes += n;
            }
            if n < self.read_len {
                ended = true;
                break;
            }
        }
        let first = self.chunks;
        self.chunks += batch.chunks as u64;
        self.bytes += batch.bytes as u64;
        // Chunk indices are 32-bit: indices up to u32::MAX are fine, one more is not.
        batch.first = u32::try_from(first)
            .ok()
            .filter(|_| self.chunks <= u64::from(u32::MAX) + 1)
            .ok_or(BackupError::TooManyChunks {
                max_chunks: u64::from(u32::MAX) + 1,
                chunk_size: u32::try_from(self.stride - TAG_LEN).unwrap_or(u32::MAX),
            })?;
        Ok(ended)
    }
}

/// What sealing and opening share with the worker: the key and the header.
#[derive(Clone, Copy)]
pub(super) struct Sealer<'a> {
    pub(super) aead: &'a LessSafeKey,
    pub(super) header: &'a BackupHeader,
    /// The encoded header, associated data of every chunk.
    pub(super) aad: &'a [u8],
}

impl Sealer<'_> {
    /// Seals every chunk of a plaintext batch in place and puts each tag after its chunk.
    pub(super) fn seal(self, batch: &mut Batch) {
        let chunk = self.header.chunk_size as usize;
        let stride = chunk + TAG_LEN;
        for j in 0..batch.chunks {
            let at = j * stride;
            let len = chunk.min(batch.bytes - j * chunk);
            let last = batch.last && j + 1 == batch.chunks;
            let index = batch.index(j);
            let tag = self
                .aead
                .seal_in_place_separate_tag(
                    self.header.chunk_nonce(index, last),
                    Aad::from(self.aad),
                    &mut batch.buf[at..at + len],
                )
                .expect("ring seals any input up to 64 GiB and chunks are at most 16 MiB");
            batch.buf[at + len..at + len + TAG_LEN].copy_from_slice(tag.as_ref());
        }
    }

    /// The archive bytes of a sealed batch.
    pub(super) fn sealed(batch: &Batch) -> &[u8] {
        &batch.buf[..batch.bytes + batch.chunks * TAG_LEN]
    }

    /// Opens the records of a batch in place, stopping at the first that fails.
    pub(super) fn open(self, batch: &mut Batch) {
        let stride = self.header.chunk_size as usize + TAG_LEN;
        for j in 0..batch.chunks {
            let at = j * stride;
            let len = stride.min(batch.bytes - at);
            let last = batch.last && j + 1 == batch.chunks;
            let index = batch.index(j);
            let opened = if last && len < TAG_LEN {
                // Not even a tag: the input ended at (or just after) a chunk boundary.
                Err(if len == 0 {
                    BackupError::Truncated {
                        chunks: u64::from(index),
                    }
                } else {
                    BackupError::ChunkAuthentication {
                        index: u64::from(index),
                    }
                })
            } else {
                super::stream::open_chunk(
                    self.aead,
                    self.header,
                    self.aad,
                    index,
                    last,
                    &mut batch.buf[at..at + len],
                )
                .map(|_| ())
            };
            if let Err(e) = opened {
                batch.failure = Some(e);
                return;
            }
            batch.opened += 1;
        }
    }

    /// The verified plaintext chunks of an opened batch, in order, then the failure that
    /// stopped it, if any.
    pub(super) fn opened(
        self,
        batch: &mut Batch,
        mut write: impl FnMut(&[u8]) -> Result<(), BackupError>,
    ) -> Result<(), BackupError> {
        let stride = self.header.chunk_size as usize + TAG_LEN;
        for j in 0..batch.opened {
            let at = j * stride;
            let len = stride.min(batch.bytes - at);
            write(&batch.buf[at..at + len - TAG_LEN])?;
        }
        batch.failure.take().map_or(Ok(()), Err)
    }
}

/// Runs `work` on every batch that `next` produces and hands each finished batch, in order,
/// to `done`. When `pipelined` and the stream is longer than one batch, `work` runs on a
/// worker thread while this thread produces the next batch and finishes the previous one;
/// otherwise (and if the system refuses a thread) everything runs here.
pub(super) fn pipeline(
    pipelined: bool,
    mut next: impl FnMut(Option<Batch>) -> Result<Option<Batch>, BackupError>,
    work: impl Fn(&mut Batch) + Sync,
    mut done: impl FnMut(&mut Batch) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let Some(first) = next(None)? else {
        return Ok(());
    };
    if !pipelined || first.last {
        return inline(first, &mut next, &work, &mut done);
    }
    std::thread::scope(|scope| {
        let (to_worker, jobs) = mpsc::channel::<Batch>();
        let (finished, from_worker) = mpsc::channel::<Batch>();
        let work = &work;
        let spawned = std::thread::Builder::new()
            .name("tillit-backup".to_owned())
            .spawn_scoped(scope, move || {
                while let Some(mut batch) = receive(&jobs) {
                    work(&mut batch);
                    if finished.send(batch).is_err() {
                        break;
                    }
                }
            });
        let Ok(worker) = spawned else {
            return inline(first, &mut next, work, &mut done);
        };
        let result = feed(first, &to_worker, &from_worker, &mut next, &mut done);
        // Hanging up ends the worker once it has finished what it holds. Joining it here,
        // rather than leaving that to the scope, waits until the thread has exited, its
        // thread-local destructors included, so nothing of it outlives this call.
        drop(to_worker);
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
        result
    })
}

/// The calling thread's side of [`pipeline`]: hands batches to the worker and finishes the
/// ones it returns, in order. Returns early, with `Ok`, only when the worker stopped
/// listening, which it does only by panicking; joining it then re-raises the panic.
fn feed(
    first: Batch,
    to_worker: &mpsc::Sender<Batch>,
    from_worker: &mpsc::Receiver<Batch>,
    next: &mut impl FnMut(Option<Batch>) -> Result<Option<Batch>, BackupError>,
    done: &mut impl FnMut(&mut Batch) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    // At most two batches wait for or are in the worker: one it works on, one queued, so it
    // never idles while this thread reads and writes around it.
    let mut in_flight = 0_usize;
    let mut batch = Some(first);
    while let Some(ready) = batch.take() {
        if to_worker.send(ready).is_err() {
            return Ok(());
        }
        in_flight += 1;
        let mut spare = None;
        if in_flight == 2 {
            let Some(mut finished) = receive(from_worker) else {
                return Ok(());
            };
            in_flight -= 1;
            done(&mut finished)?;
            spare = Some(finished);
        }
        batch = next(spare)?;
    }
    for _ in 0..in_flight {
        let Some(mut finished) = receive(from_worker) else {
            return Ok(());
        };
        done(&mut finished)?;
    }
    Ok(())
}

/// [`pipeline`] on the calling thread alone.
fn inline(
    first: Batch,
    next: &mut impl FnMut(Option<Batch>) -> Result<Option<Batch>, BackupError>,
    work: &(impl Fn(&mut Batch) + Sync),
    done: &mut impl FnMut(&mut Batch) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    let mut batch = first;
    loop {
        work(&mut batch);
        done(&mut batch)?;
        match next(Some(batch))? {
            Some(following) => batch = following,
            None => return Ok(()),
        }
    }
}

/// How long a thread of the pipeline polls for the other's next batch before it sleeps.
const POLL_FOR: Duration = Duration::from_millis(1);

/// The next item from the other thread of the pipeline, or `None` once it hung up.
///
/// Each thread mostly waits for a batch the other will finish within a fraction of a
/// millisecond, and waking a sleeping thread costs tens of microseconds on virtual machines,
/// which would cost a tenth of the throughput. So the wait first polls, yielding the
/// processor to any other runnable thread between polls, and sleeps only when the other
/// side takes longer (slow input or output).
fn receive<T>(from: &mpsc::Receiver<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        match from.try_recv() {
            Ok(item) => return Some(item),
            Err(mpsc::TryRecvError::Disconnected) => return None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
        if started.elapsed() >= POLL_FOR {
            return from.recv().ok();
        }
        std::thread::yield_now();
    }
}
