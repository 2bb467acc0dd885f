//! Speed of EHF: writing UBL against `serde_json` serialising the same invoice (the target is
//! within 3× of it), with reading UBL reported beside them, for a one-line invoice and a
//! 24-line one.

#[path = "../examples/ehf_corpus/corpus.rs"]
mod corpus;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tillit::ehf;
use tillit::invoice::Document;

fn bench(c: &mut Criterion) {
    for name in ["01-basic-nok", "24-many-lines"] {
        let case = corpus::cases()
            .into_iter()
            .find(|c| c.name == name)
            .expect("corpus case");
        let Document::Invoice(invoice) = case.document else {
            panic!("{name} is an invoice")
        };
        let xml = ehf::to_ehf(&invoice).expect("writable");
        let mut group = c.benchmark_group(format!("ehf/{name}"));
        group.bench_function("write_ubl", |b| {
            b.iter(|| ehf::to_ehf(black_box(&invoice)).expect("writable"));
        });
        group.bench_function("serde_json", |b| {
            b.iter(|| serde_json::to_string(black_box(&invoice)).expect("serialisable"));
        });
        group.bench_function("read_ubl", |b| {
            b.iter(|| ehf::from_ehf(black_box(&xml)).expect("readable"));
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
