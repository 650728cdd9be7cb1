//! Avro compatibility of two parsed inputs (`old NUL new`), under every level's directions.
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
        Schema::parse_avro("old.avsc", old),
        Schema::parse_avro("new.avsc", new),
    ) else {
        return;
    };
    let options = Options::default();
    let report = compat::check(&new, &[(1, &old)], Level::Full, &options).expect("same type");
    let verdict =
        compat::is_compatible(&new, &[(1, &old)], Level::Full, &options).expect("same type");
    // The verdict-only path must agree with the full report.
    assert_eq!(report.compatible, verdict);
});
