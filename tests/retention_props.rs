//! Property tests for retention: periods are never cut short, results are monotonic in the
//! input date, the cut-off agrees with the single-record rule, and the columnar planner
//! agrees with the single-record methods on random data.

use proptest::prelude::*;
use tillit::retention::{
    AccountColumns, AccountRecord, AttachmentRecord, FiscalYear, InvoiceRecord, NO_DATE, Period,
    RecordColumns, RecordKind, RetentionPolicy, add_from_event, add_from_fiscal_year_end,
    date_from_day_number, day_number,
};
use time::Date;

/// Day numbers from 1990-01-01 to 2060-12-31.
fn day() -> impl Strategy<Value = i32> {
    7305..=33_237_i32
}

fn date(day: i32) -> Date {
    date_from_day_number(day).expect("strategy days are valid")
}

fn period() -> impl Strategy<Value = Period> {
    (0..=20_u16, 0..=11_u16).prop_map(|(years, months)| Period::new(years, months))
}

fn policy() -> impl Strategy<Value = RetentionPolicy> {
    (0..6_usize, 0..=60_u16).prop_map(|(preset, notice_days)| {
        let name = [
            "seed",
            "bookkeeping_act",
            "construction",
            "bank_customer_specifications",
            "real_estate_capital_goods",
            "petroleum",
        ][preset];
        RetentionPolicy {
            notice_days,
            ..RetentionPolicy::preset(name).expect("known preset")
        }
    })
}

proptest! {
    #[test]
    fn month_end_rule_never_keeps_shorter_than_the_event_rule(start in day(), month in 1..=12_u8, period in period()) {
        let end = FiscalYear::new(month).expect("a month").fiscal_year_end(date(start)).expect("in range");
        let by_month_end = add_from_fiscal_year_end(end, period).expect("in range");
        let by_event = add_from_event(end, period).expect("in range");
        prop_assert!(by_month_end >= by_event);
        prop_assert!(by_month_end.next_day().expect("in range").day() == 1, "ends on a month end");
    }

    #[test]
    fn eligible_from_is_never_earlier_than_the_period_demands(start in day(), month in 1..=12_u8, policy in policy(), today in day()) {
        let invoice = InvoiceRecord { fiscal_year: FiscalYear::new(month).expect("a month"), ..InvoiceRecord::dated(date(start)) };
        let decision = policy.invoice(&invoice, date(today)).expect("valid");
        let end = decision.fiscal_year_end.expect("documents have one");
        prop_assert!(end >= date(start));
        prop_assert!(decision.retained_through >= add_from_event(end, policy.invoice).expect("in range"));
        prop_assert!(decision.retained_through >= add_from_event(date(start), policy.invoice).expect("in range"));
        prop_assert_eq!(decision.eligible_from, decision.retained_through.next_day().expect("in range"));
        if date(today) < decision.eligible_from {
            prop_assert_eq!(decision.action, tillit::retention::Action::Keep);
        }
    }

    #[test]
    fn results_are_monotonic_in_the_input_date(a in day(), b in day(), month in 1..=12_u8, period in period()) {
        let (early, late) = (date(a.min(b)), date(a.max(b)));
        let year = FiscalYear::new(month).expect("a month");
        let end = |d| year.fiscal_year_end(d).expect("in range");
        prop_assert!(end(early) <= end(late));
        prop_assert!(add_from_fiscal_year_end(end(early), period).expect("in range") <= add_from_fiscal_year_end(end(late), period).expect("in range"));
        prop_assert!(add_from_event(early, period).expect("in range") <= add_from_event(late, period).expect("in range"));
        let seed = RetentionPolicy::seed();
        let decide = |d| seed.invoice(&InvoiceRecord { fiscal_year: year, ..InvoiceRecord::dated(d) }, late).expect("valid").eligible_from;
        prop_assert!(decide(early) <= decide(late));
    }

    #[test]
    fn cutoff_agrees_with_the_single_record_rule(start in day(), today in day(), policy in policy(), kind in 0..4_u8) {
        let kind = RecordKind::from_code(kind).expect("a kind");
        let cutoff = policy.cutoff(kind, date(today)).expect("in range");
        if kind == RecordKind::AccountData {
            let passed = add_from_event(date(start), policy.account_data).expect("in range") < date(today);
            prop_assert_eq!(date(start) <= cutoff, passed);
        } else {
            let end = FiscalYear::CALENDAR.fiscal_year_end(date(start)).expect("in range");
            let passed = add_from_fiscal_year_end(end, policy.period(kind)).expect("in range") < date(today);
            prop_assert_eq!(end <= cutoff, passed);
        }
    }
}

/// One random record for the planner test.
#[derive(Clone, Debug)]
struct Row {
    kind: u8,
    date: i32,
    booking: Option<i32>,
    explicit_end: bool,
    account: u32,
    hold: bool,
    notice: Option<i32>,
}

fn row(accounts: u32) -> impl Strategy<Value = Row> {
    (
        0..3_u8,
        day(),
        proptest::option::of(0..40_i32),
        any::<bool>(),
        0..accounts,
        proptest::bool::weighted(0.1),
        proptest::option::of(day()),
    )
        .prop_map(
            |(kind, date, booking, explicit_end, account, hold, notice)| Row {
                kind,
                date,
                booking: booking.map(|offset| date + offset),
                explicit_end,
                account,
                hold,
                notice,
            },
        )
}

#[derive(Clone, Debug)]
struct Account {
    active: bool,
    last_activity: i32,
    end_month: u8,
    hold: bool,
}

fn account() -> impl Strategy<Value = Account> {
    (
        any::<bool>(),
        day(),
        1..=12_u8,
        proptest::bool::weighted(0.1),
    )
        .prop_map(|(active, last_activity, end_month, hold)| Account {
            active,
            last_activity,
            end_month,
            hold,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn planner_agrees_with_the_single_record_methods(
        (accounts, rows) in (1..8_u32).prop_flat_map(|n| (proptest::collection::vec(account(), n as usize), proptest::collection::vec(row(n), 0..200))),
        policy in policy(),
        today in day(),
    ) {
        let get = |row: &Row| &accounts[row.account as usize];
        let document = |row: &Row| {
            let account = get(row);
            let fiscal_year = FiscalYear::new(account.end_month).expect("a month");
            let booked = date(row.booking.unwrap_or(row.date));
            // An explicit end: the last day of the month after the ordinary end (a long year).
            let fiscal_year_end = row.explicit_end.then(|| {
                let ordinary = fiscal_year.fiscal_year_end(booked).expect("in range");
                FiscalYear::ending_in(ordinary.month().next()).fiscal_year_end(ordinary.next_day().expect("in range")).expect("in range")
            });
            InvoiceRecord {
                date: date(row.date),
                booking_date: row.booking.map(date),
                fiscal_year,
                fiscal_year_end,
                legal_hold: row.hold || account.hold,
            }
        };
        let kinds: Vec<u8> = rows.iter().map(|r| r.kind).collect();
        let dates: Vec<i32> = rows.iter().map(|r| r.date).collect();
        let bookings: Vec<i32> = rows.iter().map(|r| r.booking.unwrap_or(NO_DATE)).collect();
        let ends: Vec<i32> = rows.iter().map(|r| document(r).fiscal_year_end.map_or(NO_DATE, day_number)).collect();
        let account_ids: Vec<u32> = rows.iter().map(|r| r.account).collect();
        let holds: Vec<u8> = rows.iter().map(|r| u8::from(r.hold)).collect();
        let notices: Vec<i32> = rows.iter().map(|r| r.notice.unwrap_or(NO_DATE)).collect();
        let active: Vec<u8> = accounts.iter().map(|a| u8::from(a.active)).collect();
        let last: Vec<i32> = accounts.iter().map(|a| a.last_activity).collect();
        let months: Vec<u8> = accounts.iter().map(|a| a.end_month).collect();
        let account_holds: Vec<u8> = accounts.iter().map(|a| u8::from(a.hold)).collect();

        let plan = policy.plan(
            &RecordColumns {
                kind: &kinds,
                date: &dates,
                booking_date: Some(&bookings),
                fiscal_year_end: Some(&ends),
                account: &account_ids,
                legal_hold: Some(&holds),
                notice_sent: Some(&notices),
            },
            &AccountColumns { active: &active, last_activity: &last, fiscal_year_end_month: Some(&months), legal_hold: Some(&account_holds) },
            date(today),
        ).expect("valid input");

        let mut latest = vec![None; accounts.len()];
        for (i, row) in rows.iter().enumerate() {
            let single = if row.kind == 0 {
                let decision = policy.invoice(&document(row), date(today)).expect("valid");
                let slot = &mut latest[row.account as usize];
                *slot = Some(slot.map_or(decision.eligible_from, |d: Date| d.max(decision.eligible_from)));
                decision
            } else {
                let attachment = AttachmentRecord {
                    document: document(row),
                    documents_sale: row.kind == 2,
                    account_active: get(row).active,
                    notice_sent: row.notice.map(date),
                };
                policy.attachment(&attachment, date(today)).expect("valid")
            };
            prop_assert_eq!(plan.records.decision(i, &policy).expect("a row"), single, "row {}", i);
        }
        for (i, account) in accounts.iter().enumerate() {
            let record = AccountRecord {
                last_activity: date(account.last_activity),
                active: account.active,
                latest_invoice_eligible_from: latest[i],
                legal_hold: account.hold,
            };
            prop_assert_eq!(plan.accounts.decision(i, &policy).expect("a row"), policy.account(&record, date(today)).expect("valid"), "account {}", i);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Leaving out an optional column plans exactly as passing it full of "none" values, for
    /// every combination of present and absent columns.
    #[test]
    fn absent_columns_plan_like_columns_of_none(
        (accounts, rows) in (1..8_u32).prop_flat_map(|n| (proptest::collection::vec(account(), n as usize), proptest::collection::vec(row(n), 0..1200))),
        policy in policy(),
        today in day(),
        present in 0..16_u8,
    ) {
        let kinds: Vec<u8> = rows.iter().map(|r| r.kind).collect();
        let dates: Vec<i32> = rows.iter().map(|r| r.date).collect();
        let account_ids: Vec<u32> = rows.iter().map(|r| r.account).collect();
        let none_days = vec![NO_DATE; rows.len()];
        let no_holds = vec![0_u8; rows.len()];
        let active: Vec<u8> = accounts.iter().map(|a| u8::from(a.active)).collect();
        let last: Vec<i32> = accounts.iter().map(|a| a.last_activity).collect();
        let accounts = AccountColumns { active: &active, last_activity: &last, ..AccountColumns::default() };
        let given = |bit: u8| present & bit != 0;
        let full = RecordColumns {
            kind: &kinds,
            date: &dates,
            booking_date: Some(&none_days),
            fiscal_year_end: Some(&none_days),
            account: &account_ids,
            legal_hold: Some(&no_holds),
            notice_sent: Some(&none_days),
        };
        let partial = RecordColumns {
            booking_date: full.booking_date.filter(|_| given(1)),
            fiscal_year_end: full.fiscal_year_end.filter(|_| given(2)),
            legal_hold: full.legal_hold.filter(|_| given(4)),
            notice_sent: full.notice_sent.filter(|_| given(8)),
            ..full
        };
        let today = date(today);
        prop_assert_eq!(
            policy.plan(&partial, &accounts, today).expect("valid"),
            policy.plan(&full, &accounts, today).expect("valid")
        );
    }
}
