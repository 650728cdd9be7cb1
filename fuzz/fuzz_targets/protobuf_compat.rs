//! Protobuf compatibility of two parsed inputs (`old NUL new`), both directions.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((old, new)) = text.split_once('\0') else {
        return;
    };
    let (Ok(old), Ok(new)) = (
        Schema::parse_protobuf("old.proto", old, &[]),
        Schema::parse_protobuf("new.proto", new, &[]),
    ) else {
        return;
    };
    let _ = compat::check(&new, &[(1, &old)], Level::Full, &Options::default()).expect("same type");
});
