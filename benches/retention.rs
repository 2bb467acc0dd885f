//! Planner speed against the memory floor: the columnar planner over a million records
//! versus a loop that only reads the same columns (every value the planner reads, through the
//! same structs, folded into one black-boxed sum). The ratio between the two is what the
//! retention docs quote; the absolute figures depend on the machine.
//!
//! `planner` allocates its output columns on every call, as `plan` does; `planner into reused
//! columns` passes the same `Plan` each time, as a service planning batch after batch would.
//! The 3x goal is out of reach for `planner` because it must write 15 bytes of output per
//! record into freshly allocated memory, and on this kind of machine the kernel's page faults
//! for those 15 MB (zeroing each page, then unmapping it when the plan is dropped) alone cost
//! several times the whole read-only floor; with reused columns that cost is gone and what
//! remains is the per-record work (the scalar calendar pass: two table loads for the month
//! and the period's last day, one for the account and the latest-invoice update; then the
//! vectorised rules pass) plus the writes the floor does not do.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tillit::retention::{
    AccountColumns, NO_DATE, Plan, RecordColumns, RetentionPolicy, day_number,
};
use time::macros::date;

const RECORDS: usize = 1_000_000;
const ACCOUNTS: usize = 10_000;

/// Deterministic pseudo-random columns: dates spread over 2005 to 2026, a quarter attachments,
/// some notices and holds.
struct Columns {
    kind: Vec<u8>,
    date: Vec<i32>,
    account: Vec<u32>,
    hold: Vec<u8>,
    notice: Vec<i32>,
    active: Vec<u8>,
    last_activity: Vec<i32>,
}

fn columns() -> Columns {
    let first = day_number(date!(2005 - 01 - 01));
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut c = Columns {
        kind: Vec::with_capacity(RECORDS),
        date: Vec::with_capacity(RECORDS),
        account: Vec::with_capacity(RECORDS),
        hold: Vec::with_capacity(RECORDS),
        notice: Vec::with_capacity(RECORDS),
        active: Vec::new(),
        last_activity: Vec::new(),
    };
    for _ in 0..RECORDS {
        let r = next();
        let day = first + i32::try_from(r % 8000).expect("small");
        c.kind.push(
            u8::try_from((r >> 20) % 4)
                .expect("small")
                .saturating_sub(1),
        );
        c.date.push(day);
        c.account
            .push(u32::try_from((r >> 32) % ACCOUNTS as u64).expect("small"));
        c.hold.push(u8::from((r >> 40) % 100 == 0));
        c.notice.push(if (r >> 48) % 3 == 0 {
            day + 1300
        } else {
            NO_DATE
        });
    }
    for _ in 0..ACCOUNTS {
        let r = next();
        c.active.push(u8::from(r % 2 == 0));
        c.last_activity
            .push(first + i32::try_from((r >> 8) % 8000).expect("small"));
    }
    c
}

/// The memory floor: reads every value the planner reads, through the same column structs,
/// and folds them into one number so none of the reads can be dropped. Per record that is
/// the kind, date, account, legal hold and notice, and the account's active flag looked up
/// by the account row (as the planner looks up its packed account facts); per account, the
/// last activity. It writes nothing, which the planner must (15 bytes per record).
fn read_every_input(records: &RecordColumns<'_>, accounts: &AccountColumns<'_>) -> i64 {
    let (Some(hold), Some(notice)) = (records.legal_hold, records.notice_sent) else {
        return 0;
    };
    let mut sum = 0_i64;
    let columns = records
        .kind
        .iter()
        .zip(records.date)
        .zip(records.account)
        .zip(hold)
        .zip(notice);
    for ((((&kind, &date), &account), &hold), &notice) in columns {
        let active = accounts.active.get(account as usize).copied().unwrap_or(0);
        sum = sum.wrapping_add(i64::from(kind) + i64::from(date) + i64::from(hold));
        sum = sum.wrapping_add(i64::from(notice) + i64::from(account) + i64::from(active));
    }
    for &day in accounts.last_activity {
        sum = sum.wrapping_add(i64::from(day));
    }
    sum
}

fn bench(c: &mut Criterion) {
    let data = columns();
    let policy = RetentionPolicy::seed();
    let today = date!(2026 - 12 - 03);
    let records = RecordColumns {
        kind: &data.kind,
        date: &data.date,
        account: &data.account,
        legal_hold: Some(&data.hold),
        notice_sent: Some(&data.notice),
        ..RecordColumns::default()
    };
    let accounts = AccountColumns {
        active: &data.active,
        last_activity: &data.last_activity,
        ..AccountColumns::default()
    };

    let mut group = c.benchmark_group("retention");
    group.throughput(Throughput::Elements(RECORDS as u64));
    group.sample_size(20);
    group.bench_function("memory floor: read the same columns", |b| {
        b.iter(|| black_box(read_every_input(black_box(&records), &accounts)));
    });
    group.bench_function("planner", |b| {
        b.iter(|| {
            black_box(
                policy
                    .plan(black_box(&records), &accounts, today)
                    .expect("valid"),
            )
        });
    });
    let mut reused = Plan::default();
    group.bench_function("planner into reused columns", |b| {
        b.iter(|| {
            policy
                .plan_into(black_box(&records), &accounts, today, &mut reused)
                .expect("valid");
            black_box(&reused);
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
