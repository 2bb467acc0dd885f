//! Chapter: retention. The security page promises to keep invoices 10 years after the fiscal
//! year, attachments 3 years 6 months (never while the account is active, and only after the
//! account holder was told), and to anonymise account data 10 years after the last activity.
//! This chapter asks the policy what those promises mean for a few records on one day.

use tillit::retention::{
    AccountColumns, AccountRecord, AttachmentRecord, InvoiceRecord, RecordColumns, RecordKind,
    RetentionPolicy, day_number,
};
use time::macros::date;

/// Runs the chapter, printing what a person auditing the service would read.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("\n== Retention: what must be kept, until when, and what may go");
    let policy = RetentionPolicy::seed();
    let today = date!(2028 - 06 - 01);

    let invoice = InvoiceRecord::dated(date!(2024 - 03 - 15));
    println!(
        "An invoice of 2024-03-15, on {today}: {}",
        policy.invoice(&invoice, today)?.explain()
    );

    let attachment = AttachmentRecord {
        document: invoice,
        documents_sale: false,
        account_active: false,
        notice_sent: None,
    };
    println!(
        "Its attachment: {}",
        policy.attachment(&attachment, today)?.explain()
    );

    let account = AccountRecord {
        last_activity: date!(2024 - 02 - 29),
        active: false,
        latest_invoice_eligible_from: Some(date!(2035 - 01 - 01)),
        legal_hold: false,
    };
    println!(
        "The account's data: {}",
        policy.account(&account, today)?.explain()
    );

    println!(
        "Tonight's SQL sweep deletes invoices whose fiscal year ended on or before {}.",
        policy.cutoff(RecordKind::Invoice, today)?
    );

    // The nightly planner over columns: two invoices and an attachment of one inactive account.
    let dates = [
        day_number(date!(2016 - 05 - 02)),
        day_number(date!(2024 - 03 - 15)),
        day_number(date!(2024 - 03 - 15)),
    ];
    let records = RecordColumns {
        kind: &[0, 0, 1],
        date: &dates,
        account: &[0, 0, 0],
        ..RecordColumns::default()
    };
    let accounts = AccountColumns {
        active: &[0],
        last_activity: &[day_number(date!(2024 - 02 - 29))],
        ..AccountColumns::default()
    };
    let plan = policy.plan(&records, &accounts, today)?;
    let [keep, notify, delete, anonymise] = plan.records.counts();
    println!("The planner: keep {keep}, notify {notify}, delete {delete}, anonymise {anonymise}.");
    Ok(())
}
