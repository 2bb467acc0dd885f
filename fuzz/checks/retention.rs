//! Retention date arithmetic over the whole calendar `time` can hold: dates, periods,
//! fiscal years, explicit fiscal-year ends, holds and notices all come from the bytes. Out of
//! range must be an error, never a panic, and every decision keeps its rules: nothing is
//! eligible earlier than the period demands, results are monotonic in the input date, and the
//! bulk cut-off agrees with the single-record rule.
//!
//! Input: a sequence of small big-endian fields (see `check`); missing bytes read as zero.

use tillit::retention::{
    AccountRecord, Action, AttachmentRecord, FiscalYear, InvoiceRecord, Period, RecordKind,
    RetentionPolicy, add_from_event, add_from_fiscal_year_end, date_from_day_number, day_number,
    is_month_end,
};
use time::{Date, Duration};

use super::take_u64;

/// Day numbers of 9999-12-31 and -9999-01-01, the ends of `time`'s calendar.
const LAST_DAY: i64 = 2_932_896;
const FIRST_DAY: i64 = -4_371_587;

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> u64 {
        let (value, rest) = take_u64(self.0, n);
        self.0 = rest;
        value
    }

    /// A date anywhere in the calendar, a little beyond it (to reach the errors), or, for
    /// most values, near today where the interesting cases are.
    fn date(&mut self) -> Option<Date> {
        let raw = self.take(4);
        let day = if raw & 1 == 0 {
            i64::try_from(raw >> 1).expect("31 bits") % 80_000 - 20_000
        } else {
            i64::try_from(raw >> 1).expect("31 bits") % (LAST_DAY - FIRST_DAY + 3) + FIRST_DAY - 1
        };
        date_from_day_number(i32::try_from(day).ok()?).ok()
    }

    fn period(&mut self) -> Period {
        let raw = self.take(2);
        let years = u16::try_from(raw >> 8).expect("8 bits") % 230;
        let months = u16::try_from(raw & 0xff).expect("8 bits") % 40;
        Period::new(years, months)
    }

    fn flag(&mut self) -> bool {
        self.take(1) & 1 == 1
    }
}

fn next(date: Date) -> Option<Date> {
    date.next_day()
}

pub fn check(data: &[u8]) {
    let mut b = Bytes(data);
    let (Some(start), Some(other), Some(today)) = (b.date(), b.date(), b.date()) else {
        return;
    };
    let period = b.period();
    let month = u8::try_from(b.take(1) % 14).expect("below 14");
    let fiscal_year = FiscalYear::new(month);
    assert_eq!(fiscal_year.is_ok(), (1..=12).contains(&month));
    let fiscal_year = fiscal_year.unwrap_or(FiscalYear::CALENDAR);
    let policy = RetentionPolicy {
        name: "fuzz".into(),
        invoice: b.period(),
        attachment: b.period(),
        sale_attachment: b.period(),
        account_data: b.period(),
        notice_days: u16::try_from(b.take(2)).expect("16 bits") % 1200,
    };
    let hold = b.flag();
    let explicit_end = b.date();
    let notice = b.date().filter(|_| b.flag());
    let active = b.flag();

    assert_eq!(day_number(start), day_number(start));
    assert_eq!(date_from_day_number(day_number(start)).ok(), Some(start));

    // The two counting rules: never shorter than the period, month-end rule at least as
    // long as the event rule, and monotonic in the start date.
    let (early, late) = (start.min(other), start.max(other));
    for d in [early, late] {
        if let Ok(end) = add_from_fiscal_year_end(d, period) {
            assert!(end >= d && is_month_end(end), "{d} + {period} gave {end}");
            if let Ok(by_event) = add_from_event(d, period) {
                assert!(
                    end >= by_event,
                    "month-end rule ended before the event rule"
                );
            }
        }
        if let Ok(end) = add_from_event(d, period) {
            assert!(end >= d);
            assert!(
                end.day() <= d.day(),
                "§ 148 never moves to a later day of the month"
            );
        }
        if let Ok(end) = fiscal_year.fiscal_year_end(d) {
            assert!(end >= d && is_month_end(end) && end.month() == fiscal_year.end_month);
            assert!(
                end - d < Duration::days(366),
                "{d} is in the year ending {end}"
            );
        }
    }
    if let (Ok(a), Ok(b)) = (add_from_event(early, period), add_from_event(late, period)) {
        assert!(a <= b, "add_from_event is not monotonic");
    }
    if let (Ok(a), Ok(b)) = (
        add_from_fiscal_year_end(early, period),
        add_from_fiscal_year_end(late, period),
    ) {
        assert!(a <= b, "add_from_fiscal_year_end is not monotonic");
    }

    let valid = policy.validate().is_ok();
    let minimum = RetentionPolicy::bookkeeping_act();
    let record = |date| InvoiceRecord {
        date,
        booking_date: None,
        fiscal_year,
        fiscal_year_end: None,
        legal_hold: hold,
    };

    // Invoices: eligible no earlier than the legal minimum from the fiscal-year end.
    let invoice = policy.invoice(&record(start), today);
    assert_eq!(invoice.is_err() && valid, invoice_err_is_range(&invoice));
    if let Ok(d) = &invoice {
        assert!(valid, "an invalid policy decided");
        let end = d.fiscal_year_end.expect("documents have a fiscal-year end");
        assert!(end >= start);
        assert_eq!(
            add_from_fiscal_year_end(end, policy.invoice).ok(),
            Some(d.retained_through)
        );
        assert_eq!(next(d.retained_through), Some(d.eligible_from));
        if let Ok(legal) = add_from_fiscal_year_end(end, minimum.invoice) {
            assert!(
                d.retained_through >= legal,
                "kept shorter than the law demands"
            );
        }
        match d.action {
            Action::Delete => assert!(!hold && today >= d.eligible_from),
            Action::Keep => assert!(hold || today < d.eligible_from),
            other => panic!("an invoice decision said {other:?}"),
        }
        // Monotonic in the invoice date.
        if let (Ok(a), Ok(b)) = (
            policy.invoice(&record(early), today),
            policy.invoice(&record(late), today),
        ) {
            assert!(
                a.eligible_from <= b.eligible_from,
                "eligible_from is not monotonic"
            );
        }
        // The bulk cut-off agrees with the single record.
        if let Ok(cutoff) = policy.cutoff(RecordKind::Invoice, today) {
            assert_eq!(
                end <= cutoff,
                today >= d.eligible_from,
                "cut-off {cutoff} disagrees"
            );
        }
    }

    // An explicit fiscal-year end is honoured only when it is a month end within 18 months.
    if let Some(explicit) = explicit_end {
        let rec = InvoiceRecord {
            fiscal_year_end: Some(explicit),
            ..record(start)
        };
        if let Ok(end) = rec.resolved_fiscal_year_end() {
            assert_eq!(end, explicit);
            assert!(is_month_end(end) && end >= start);
        }
    }

    // Attachments: never deleted while the account is active, held or not told in time.
    let attachment = AttachmentRecord {
        document: record(start),
        documents_sale: active && hold,
        account_active: active,
        notice_sent: notice,
    };
    if let Ok(d) = policy.attachment(&attachment, today) {
        let end = d.fiscal_year_end.expect("documents have a fiscal-year end");
        let floor = if attachment.documents_sale {
            minimum.sale_attachment
        } else {
            minimum.attachment
        };
        if let Ok(legal) = add_from_fiscal_year_end(end, floor) {
            assert!(
                d.retained_through >= legal,
                "attachment kept shorter than the law"
            );
        }
        if d.action == Action::Delete {
            assert!(!hold && !active && today >= d.eligible_from);
            let sent = notice.expect("deleted without a notice");
            assert!(today - sent >= Duration::days(i64::from(policy.notice_days)));
        }
        if let Some(from) = d.action_from {
            assert!(from >= d.eligible_from);
        }
    }

    // Account data: anonymised only when inactive, unheld, and every invoice is eligible.
    let account = AccountRecord {
        last_activity: start,
        active,
        latest_invoice_eligible_from: explicit_end,
        legal_hold: hold,
    };
    if let Ok(d) = policy.account(&account, today) {
        assert_eq!(
            add_from_event(start, policy.account_data).ok(),
            Some(d.retained_through)
        );
        if d.action == Action::Anonymise {
            assert!(!active && !hold && today >= d.eligible_from);
            assert!(explicit_end.is_none_or(|e| today >= e));
        }
    }
}

/// True when a refused invoice decision on a valid policy was refused for a date out of
/// range, the only reason a valid policy may give.
fn invoice_err_is_range<T>(result: &Result<T, tillit::retention::RetentionError>) -> bool {
    matches!(
        result,
        Err(tillit::retention::RetentionError::DateOutOfRange { .. }
            | tillit::retention::RetentionError::DayOutOfRange { .. })
    )
}
