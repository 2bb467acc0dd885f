//! The main example: one invoicing service's security promises, told as a story in code.
//!
//! Run it with `cargo run --example story`. Each chapter lives in its own file beside this
//! one and uses only the public API, on the embedded defaults (an SQLite database in a
//! temporary folder), so it runs on a fresh machine with nothing else installed.

#![allow(clippy::print_stdout)]

mod passwords;
mod reset;
mod retention;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "tillit {}: the security page of an invoicing service, kept in code.",
        tillit::version()
    );
    passwords::chapter()?;
    reset::run()?;
    retention::run()?;
    Ok(())
}
