//! Replays the fuzz corpora on the stable toolchain: every file of `fuzz/corpus/<target>/`
//! and of `fuzz/regressions/<target>/` goes through the same check the libFuzzer target runs
//! (the modules of `fuzz/checks/`), so `cargo test` re-checks every input fuzzing ever kept
//! and every crash it ever found. See `fuzz/README.md`.
//!
//! `cargo test --test fuzz_corpora -- --ignored write_seed_corpora` rewrites the seed files
//! (`seed-*`) from the test vectors, the EHF corpus and the official PEPPOL examples.

#[path = "../fuzz/checks/mod.rs"]
mod checks;
#[path = "../examples/ehf_corpus/corpus.rs"]
mod corpus;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Runs every file of the target's corpus and regression folders through its check and
/// names each file whose check panics.
fn replay(target: &str, check: fn(&[u8])) {
    let mut failed = Vec::new();
    let mut seen = 0;
    for folder in ["corpus", "regressions"] {
        let dir = fuzz_dir().join(folder).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if !path.is_file() || name.starts_with('.') || name == "README.md" {
                continue;
            }
            let data = std::fs::read(&path).expect("a readable corpus file");
            seen += 1;
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failed.push(path.display().to_string());
            }
        }
    }
    assert!(seen > 0, "the {target} corpus is empty");
    assert!(failed.is_empty(), "{target}: checks failed for {failed:#?}");
}

macro_rules! replay_tests {
    ($($target:ident),* $(,)?) => {$(
        #[test]
        fn $target() {
            replay(stringify!($target), checks::$target::check);
        }
    )*};
}

replay_tests!(backup, ehf, ident, json, phc, retention, stateless, token);

/// Writes the seed files of every corpus. Run by hand after the vectors change; the seeds
/// then grow through fuzzing and `cargo fuzz cmin`.
#[test]
#[ignore = "writes files; run by hand to refresh the seeds"]
fn write_seed_corpora() {
    seeds::write_all();
}

mod seeds {
    use std::path::{Path, PathBuf};

    use tillit::backup::{self, Algorithm, BackupKey, KdfParams, SealOptions};
    use tillit::ehf;
    use tillit::invoice::Versioned;
    use tillit::retention::day_number;
    use tillit::token::{LinkPlacement, ResetLinks, ResetToken, StatelessKey, StatelessTokens};
    use time::OffsetDateTime;

    use super::{checks, corpus, fuzz_dir};

    fn write(target: &str, name: &str, bytes: &[u8]) {
        let dir = fuzz_dir().join("corpus").join(target);
        std::fs::create_dir_all(&dir).expect("corpus folder");
        std::fs::write(dir.join(format!("seed-{name}")), bytes).expect("seed written");
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    /// Every string in a JSON document, depth first.
    fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }

    pub fn write_all() {
        phc();
        tokens();
        documents();
        ident();
        retention();
        archives();
    }

    fn phc() {
        let tsv = std::fs::read_to_string(root().join("tests/data/password_foreign_hashes.tsv"))
            .expect("foreign hashes");
        for (n, line) in tsv.lines().filter(|l| !l.starts_with('#')).enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            if let [_, password, hash] = cols[..] {
                write(
                    "phc",
                    &format!("foreign-{n}"),
                    format!("\0{password}\n{hash}").as_bytes(),
                );
            }
        }
        for (flags, pepper) in [(0u8, 0usize), (3, 1)] {
            let hasher = &checks::phc::hashers()[pepper];
            let hash = hasher.hash("password").expect("hashes");
            let mut bytes = vec![flags];
            bytes.extend_from_slice(format!("password\n{hash}").as_bytes());
            write("phc", &format!("own-{flags}"), &bytes);
        }
    }

    fn tokens() {
        let token = ResetToken::from_parts([1; 12], [2; 32]);
        let text = token.to_text();
        let base = "https://faktura.example.no/reset?lang=nb";
        write(
            "token",
            "bare",
            format!("{base}\n{}", text.as_str()).as_bytes(),
        );
        for placement in [LinkPlacement::Query, LinkPlacement::Fragment] {
            let links = ResetLinks::new(base, placement).expect("valid base");
            let link = links.build(&text);
            write(
                "token",
                &format!("{placement:?}"),
                format!("{base}\n{link}").as_bytes(),
            );
        }

        let now = OffsetDateTime::from_unix_timestamp(1_764_806_400).expect("valid time");
        for (id, secret) in [("k2", 2u8), ("k1", 1)] {
            let tokens = StatelessTokens::new(StatelessKey::new(id, &[secret; 32]).expect("key"))
                .expect("ring");
            let token = tokens
                .issue(
                    "acct-42",
                    checks::stateless::PURPOSE,
                    checks::stateless::HASH,
                    now,
                )
                .expect("issues");
            // `now` a minute later, as the check reads it: an offset from year -9999.
            let raw = u64::try_from(now.unix_timestamp() + 60 + 377_705_116_800).expect("pos");
            let mut bytes = raw.to_be_bytes().to_vec();
            bytes.push(7);
            bytes.extend_from_slice(token.as_bytes());
            write("stateless", id, &bytes);
        }
    }

    fn documents() {
        let name = "invoice_peppol_no_example.json";
        let json = std::fs::read(root().join("tests/data").join(name)).expect("vector");
        write("json", name, &json);
        for case in corpus::cases() {
            let json = match &case.document {
                tillit::invoice::Document::Invoice(i) => i.to_json(),
                tillit::invoice::Document::CreditNote(c) => c.to_json(),
            }
            .expect("serialises");
            write("json", case.name, json.as_bytes());
            let xml = ehf::document_to_ehf(&case.document, &case.attachments).expect("writes");
            write("ehf", case.name, xml.as_bytes());
        }
        let peppol = root().join("../../shared/peppol");
        let peppol = if peppol.is_dir() {
            peppol
        } else {
            PathBuf::from("/work/shared/peppol")
        };
        for entry in std::fs::read_dir(&peppol)
            .expect("official examples")
            .flatten()
        {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "xml") {
                let name = path.file_name().and_then(|n| n.to_str()).expect("a name");
                write("ehf", name, &std::fs::read(&path).expect("example"));
            }
        }
    }

    fn ident() {
        let vectors: serde_json::Value = serde_json::from_slice(
            &std::fs::read(root().join("tests/data/invoice_vectors.json")).expect("vectors"),
        )
        .expect("JSON");
        let mut all = Vec::new();
        strings(&vectors, &mut all);
        all.extend(["{\"value\":\"2345676\",\"algorithm\":\"mod10\"}".to_owned()]);
        all.sort();
        all.dedup();
        for (n, s) in all.iter().enumerate() {
            write("ident", &format!("{n:03}"), s.as_bytes());
        }
    }

    fn retention() {
        let near = |y: i32, m: u8, d: u8| {
            let date = time::Date::from_calendar_date(y, time::Month::try_from(m).expect("m"), d)
                .expect("valid date");
            let raw = u32::try_from((day_number(date) + 20_000) << 1).expect("near today");
            raw.to_be_bytes()
        };
        let rows: [([u8; 4], [u8; 4], [u8; 4]); 4] = [
            (near(2024, 3, 15), near(2023, 2, 28), near(2035, 1, 1)),
            (near(2024, 2, 29), near(2024, 12, 31), near(2028, 6, 1)),
            (near(2020, 1, 31), near(2020, 8, 31), near(2031, 7, 1)),
            (near(1999, 12, 31), near(2000, 6, 30), near(2026, 12, 4)),
        ];
        for (n, (a, b, today)) in rows.iter().enumerate() {
            let mut bytes = [a.as_slice(), b, today].concat();
            // period 10 y, end month 12, the seed policy's periods, 30 days' notice.
            bytes.extend_from_slice(&[10, 0, 12, 10, 0, 3, 6, 5, 0, 10, 0, 0, 30]);
            bytes.push(u8::try_from(n % 2).expect("0 or 1")); // hold
            bytes.extend_from_slice(&near(2025, 6, 30)); // explicit fiscal-year end
            bytes.extend_from_slice(&near(2034, 11, 1)); // notice
            bytes.extend_from_slice(&[1, 0]); // notice sent, account inactive
            write("retention", &n.to_string(), &bytes);
        }
    }

    fn archives() {
        let key = checks::backup::key();
        let derived = BackupKey::derive_from_passphrase(
            "pass",
            checks::backup::PASSPHRASE,
            &KdfParams {
                m_cost_kib: 64,
                t_cost: 1,
                p_cost: 1,
            },
        )
        .expect("derives");
        let plain: Vec<u8> = (0u8..=255).cycle().take(700).collect();
        for (name, key, algorithm, len) in [
            ("raw-aes-empty", &key, Algorithm::Aes256Gcm, 0),
            (
                "raw-chacha-3-chunks",
                &key,
                Algorithm::ChaCha20Poly1305,
                150,
            ),
            ("raw-aes-700", &key, Algorithm::Aes256Gcm, 700),
            ("passphrase-aes", &derived, Algorithm::Aes256Gcm, 64),
        ] {
            let mut archive = Vec::new();
            let options = SealOptions {
                algorithm,
                chunk_size: 64,
                ..SealOptions::default()
            };
            backup::seal_with_options(&plain[..len], &mut archive, key, &options).expect("seals");
            write("backup", name, &archive);
        }
        let fixture = Path::new("tests/data/backup/fixture-passphrase.tlb");
        write(
            "backup",
            "fixture",
            &std::fs::read(root().join(fixture)).expect("fixture"),
        );
    }
}
