//! Seals and opens a generated input of a given size through files, so that the peak
//! memory of streaming can be measured from outside (for example with `/usr/bin/time -v`).
//!
//! Usage: `cargo run --release --example backup_memory -- <MiB> <scratch dir>`. The input is
//! generated on the fly and the opened output goes to `io::sink()`, so only the archive
//! touches the disk and the process holds no copy of the data.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::time::Instant;

use tillit::backup::{self, BackupKey, BackupKeyRing};

/// An endless deterministic byte source cut to `remaining` bytes.
struct Generated {
    remaining: u64,
    state: u8,
}

impl Read for Generated {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = usize::try_from(self.remaining).map_or(buf.len(), |r| r.min(buf.len()));
        for b in &mut buf[..n] {
            self.state = self.state.wrapping_mul(31).wrapping_add(7);
            *b = self.state;
        }
        self.remaining -= n as u64;
        Ok(n)
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mib: u64 = args.next().ok_or("first argument: size in MiB")?.parse()?;
    let dir = PathBuf::from(args.next().ok_or("second argument: scratch directory")?);
    let archive_path = dir.join("memory-check.tlb");

    let key = BackupKey::generate("memory-check")?;
    let started = Instant::now();
    let archive = std::fs::File::create(&archive_path)?;
    let sealed = backup::seal(
        Generated {
            remaining: mib << 20,
            state: 1,
        },
        archive,
        &key,
    )?;
    let seal_secs = started.elapsed().as_secs_f64();

    let mut ring = BackupKeyRing::new();
    ring.add_key(key)?;
    let started = Instant::now();
    let opened = backup::open(std::fs::File::open(&archive_path)?, io::sink(), &ring)?;
    let open_secs = started.elapsed().as_secs_f64();
    std::fs::remove_file(&archive_path)?;

    let mut out = io::stdout().lock();
    writeln!(
        out,
        "sealed {} bytes in {} chunks ({seal_secs:.2} s), opened {} bytes ({open_secs:.2} s)",
        sealed.plaintext_bytes, sealed.chunks, opened.plaintext_bytes
    )?;
    Ok(())
}
