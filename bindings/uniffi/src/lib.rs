//! x
uniffi::setup_scaffolding!("tillit");
