//! Gapless number series under concurrency: many threads issue, some issues fail, and the
//! numbers used are exactly 1..=n with no gap and no duplicate, in memory and in SQLite
//! (several connections to one database file, as several processes would have).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::thread;

use tillit::invoice::{InvoiceError, MemoryNumberSeries, NumberSeries, SqliteNumberSeries};

const THREADS: usize = 8;
const PER_THREAD: usize = 40;

/// Runs the workload on `series(i)` for thread `i`; every third attempt fails after taking a
/// number. Returns the numbers of the successful issues.
fn run<S: NumberSeries + Send + Sync + 'static>(stores: Vec<Arc<S>>) -> Vec<u64> {
    let used = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = stores
        .into_iter()
        .enumerate()
        .map(|(t, store)| {
            let used = Arc::clone(&used);
            thread::spawn(move || {
                for i in 0..PER_THREAD {
                    let fail = (t + i) % 3 == 0;
                    let r: Result<u64, InvoiceError> = store.issue("invoice", |n| {
                        if fail {
                            Err(InvoiceError::Table { reason: "issue refused".into() })
                        } else {
                            used.lock().expect("lock").push(n);
                            Ok(n)
                        }
                    });
                    assert_eq!(r.is_err(), fail);
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let v = used.lock().expect("lock").clone();
    v
}

fn assert_gapless(numbers: &[u64]) {
    let set: BTreeSet<u64> = numbers.iter().copied().collect();
    assert_eq!(set.len(), numbers.len(), "duplicate numbers");
    let n = u64::try_from(numbers.len()).expect("fits");
    assert_eq!(set, (1..=n).collect::<BTreeSet<u64>>(), "gap in the series");
}

#[test]
fn memory_series_is_gapless_under_concurrency() {
    let store = Arc::new(MemoryNumberSeries::new());
    let numbers = run((0..THREADS).map(|_| Arc::clone(&store)).collect());
    assert!(!numbers.is_empty());
    assert_gapless(&numbers);
    assert_eq!(store.next_number("invoice").expect("next"), u64::try_from(numbers.len()).expect("fits") + 1);
}

#[test]
fn sqlite_series_is_gapless_across_connections() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("series.db");
    let stores: Vec<_> =
        (0..THREADS).map(|_| Arc::new(SqliteNumberSeries::open(&path).expect("open"))).collect();
    let numbers = run(stores);
    assert_gapless(&numbers);
    let reopened = SqliteNumberSeries::open(&path).expect("reopen");
    assert_eq!(reopened.next_number("invoice").expect("next"), u64::try_from(numbers.len()).expect("fits") + 1);
}

#[test]
fn sqlite_document_is_stored_in_the_same_transaction() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteNumberSeries::open(dir.path().join("s.db")).expect("open");
    let create = |n: u64, tx: &rusqlite::Transaction<'_>| -> Result<u64, InvoiceError> {
        tx.execute_batch("CREATE TABLE IF NOT EXISTS invoices (number INTEGER PRIMARY KEY)")?;
        tx.execute("INSERT INTO invoices (number) VALUES (?1)", [i64::try_from(n).expect("fits")])?;
        Ok(n)
    };
    assert_eq!(store.issue_in_transaction("i", create).expect("first"), 1);
    // Fails after inserting: both the row and the number roll back.
    let r: Result<u64, InvoiceError> = store.issue_in_transaction("i", |n, tx| {
        create(n, tx)?;
        Err(InvoiceError::Table { reason: "refused after insert".into() })
    });
    assert!(r.is_err());
    assert_eq!(store.issue_in_transaction("i", create).expect("second"), 2);
    assert_eq!(store.next_number("i").expect("next"), 3);
}

#[test]
fn series_are_independent_and_names_checked() {
    let store = MemoryNumberSeries::new();
    assert_eq!(store.issue("a", Ok::<u64, InvoiceError>).expect("a"), 1);
    assert_eq!(store.issue("b", Ok::<u64, InvoiceError>).expect("b"), 1);
    assert_eq!(store.issue("a", Ok::<u64, InvoiceError>).expect("a"), 2);
    assert!(matches!(store.next_number(""), Err(InvoiceError::SeriesName { .. })));
    let sqlite = SqliteNumberSeries::open_in_memory().expect("open");
    assert!(sqlite.issue("", Ok::<u64, InvoiceError>).is_err());
}

#[test]
fn issue_with_a_refused_invoice_gives_the_number_back() {
    use rust_decimal::Decimal;
    use tillit::invoice::{Currency, Invoice, Party};
    use time::macros::date;
    let store = MemoryNumberSeries::new();
    let draft = Invoice::new("", date!(2024 - 01 - 01), Currency::NOK, Party::new("S"), Party::new("B"));
    let r = store.issue("inv", |n| draft.clone().issue(n.to_string()));
    assert!(matches!(r, Err(InvoiceError::Invalid(_))));
    assert_eq!(store.next_number("inv").expect("next"), 1);
    let _ = Decimal::ZERO;
}
