//! Writes the EHF corpus for the official PEPPOL validator: every document of
//! [`corpus::cases`], the official examples that tillit reads written back, a deliberately
//! broken document, and the lists `scripts/test-ehf` uses to judge NO-R-002.
//!
//! Usage: `cargo run --example ehf_corpus -- OUT_DIR [PEPPOL_DIR]`

mod corpus;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use tillit::ehf;
use tillit::invoice::Document;

type Fallible = Result<(), Box<dyn std::error::Error>>;

fn is_norwegian_seller(document: &Document) -> bool {
    let seller = match document {
        Document::Invoice(i) => &i.seller,
        Document::CreditNote(c) => &c.seller,
    };
    seller.address.country == "NO"
}

fn main() -> Fallible {
    let mut args = std::env::args_os().skip(1);
    let out = PathBuf::from(
        args.next()
            .ok_or("usage: ehf_corpus OUT_DIR [PEPPOL_DIR]")?,
    );
    let peppol = args.next().map(PathBuf::from);
    std::fs::create_dir_all(&out)?;
    let mut stdout = std::io::stdout().lock();

    let mut with_register = String::new();
    let mut without_register = String::new();
    let mut must_fail = String::new();
    let mut note = |document: &Document, file: &str| {
        if corpus::seller_in_foretaksregisteret(document) {
            let _ = writeln!(with_register, "{file}");
        } else if is_norwegian_seller(document) {
            let _ = writeln!(without_register, "{file}");
        }
    };

    let cases = corpus::cases();
    for case in &cases {
        // The corpus is meant to be lawful: the models' own validation must pass first.
        let validation = match &case.document {
            Document::Invoice(i) => i.validate(),
            Document::CreditNote(c) => c.validate(),
        };
        if let Err(report) = validation {
            return Err(format!("corpus document {} is invalid: {report}", case.name).into());
        }
        let xml = ehf::document_to_ehf(&case.document, &case.attachments)?;
        let file = format!("{}.xml", case.name);
        std::fs::write(out.join(&file), xml)?;
        note(&case.document, &file);
    }

    // A control the validator must refuse: the seller's VAT number with a wrong check digit
    // (NO-R-001, fatal).
    if let Some(first) = cases.first() {
        let xml = ehf::document_to_ehf(&first.document, &first.attachments)?;
        let broken = xml.replace("NO988077917MVA", "NO988077918MVA");
        if broken == xml {
            return Err("the broken control document did not change".into());
        }
        std::fs::write(out.join("99-must-fail-vat-number.xml"), broken)?;
        let _ = writeln!(must_fail, "99-must-fail-vat-number.xml");
    }

    // The official examples: read, written back, validated again; or refused with a reason.
    if let Some(dir) = peppol.as_deref() {
        write_back_official(dir, &out, &mut note, &mut stdout)?;
    }

    std::fs::write(out.join("foretaksregisteret.list"), with_register)?;
    std::fs::write(out.join("no-foretaksregisteret.list"), without_register)?;
    std::fs::write(out.join("must-fail.list"), must_fail)?;
    writeln!(
        stdout,
        "wrote {} corpus documents to {}",
        cases.len(),
        out.display()
    )?;
    Ok(())
}

fn write_back_official(
    dir: &Path,
    out: &Path,
    note: &mut impl FnMut(&Document, &str),
    stdout: &mut impl std::io::Write,
) -> Fallible {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    for path in files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("example")
            .to_owned();
        let xml = std::fs::read_to_string(&path)?;
        match ehf::read(&xml, &ehf::ReadOptions::default()) {
            Ok(outcome) => {
                let again = match ehf::document_to_ehf(&outcome.document, &outcome.attachments) {
                    Ok(xml) => xml,
                    Err(e) => {
                        writeln!(stdout, "official {stem}: read, but not written back: {e}")?;
                        continue;
                    }
                };
                let file = format!("official-{stem}.xml");
                std::fs::write(out.join(&file), again)?;
                note(&outcome.document, &file);
                writeln!(
                    stdout,
                    "official {stem}: read and written back ({} informational elements skipped)",
                    outcome.ignored.len()
                )?;
            }
            Err(e) => writeln!(stdout, "official {stem}: refused: {e}")?,
        }
    }
    Ok(())
}
