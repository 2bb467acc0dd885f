//! Chapter: "Glemt passord". A user forgot the password, asks for a reset link, a mail
//! scanner opens the link, the user sets a new password, and the link never works again.
//! Tokens live in the embedded SQLite store, in a database file in a temporary folder.

use std::sync::Arc;

use tillit::token::{
    Account, LinkPlacement, PasswordReset, PolicyHasher, ResetConfig, ResetLinks, ServerKey,
    SqliteTokenStore, TokenError, reset_page_headers,
};
use time::OffsetDateTime;

/// Runs the chapter, printing what a service would do at each step.
pub fn run() -> Result<(), Box<dyn std::error::Error>> {
    println!("\n## Glemt passord: a link that expires and works once");
    let dir = tempfile::tempdir()?;
    let store = Arc::new(SqliteTokenStore::open(dir.path().join("tokens.db"))?);
    // In production the server key comes from a secret manager, never from the token table.
    let key = ServerKey::new(&[0x5a; 32])?;
    let links = ResetLinks::new("https://app.example.no/glemt-passord", LinkPlacement::Query)?;
    let reset = PasswordReset::new(
        store,
        key,
        ResetConfig::new(links),
        Arc::new(PolicyHasher::standard()?),
    )?;

    let setter = PolicyHasher::standard()?;
    let stored = setter.hasher.hash("det gamle passordet mitt")?;
    let now = OffsetDateTime::now_utc();

    // The same answer whether or not the address has an account; only the mail differs.
    let unknown = reset.request("ukjent@example.no", None, "203.0.113.9", now)?;
    println!(
        "unknown address: mail to send? {}",
        unknown.mail().is_some()
    );
    let known = reset.request(
        "kari@example.no",
        Some(Account {
            id: "kunde-17",
            stored_hash: &stored,
        }),
        "203.0.113.9",
        now,
    )?;
    let Some(mail) = known.into_mail() else {
        return Err("a known account within its limits gets a mail".into());
    };
    println!(
        "mail to {}: {} (expires {})",
        mail.email,
        mail.link.as_str(),
        mail.expires_at
    );

    // A mail scanner opens the link: peek checks it without using it.
    let pending = reset.peek(&mail.link, Some(&stored), now)?;
    println!(
        "link checked for account {}, still unused",
        pending.account_id
    );
    for (name, value) in reset_page_headers() {
        println!("reset page header  {name}: {value}");
    }

    // The user types a new password twice.
    let new_password = "sommerfugl over Mjøsa i juli";
    let done = reset.complete(&mail.token, new_password, new_password, &stored, &[], now)?;
    println!(
        "password for {} changed; store the new hash {}…",
        done.account_id,
        &done.new_hash[..30]
    );

    match reset.complete(&mail.token, new_password, new_password, &stored, &[], now) {
        Err(TokenError::Used) => println!("the same link again: refused, it works only once"),
        other => return Err(format!("a second use must be refused, got {other:?}").into()),
    }
    Ok(())
}
