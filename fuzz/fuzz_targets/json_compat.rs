//! JSON Schema compatibility of two parsed inputs (`old NUL new`), both directions, under both
//! of Confluent's policies: every pair gets a verdict and a report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::compat::{self, Level, Options, RuleSet};
use schemactl::schema::Schema;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Some((old, new)) = text.split_once('\0') else {
        return;
    };
    let (Ok(old), Ok(new)) = (
        Schema::parse_json("old.json", old, &[]),
        Schema::parse_json("new.json", new, &[]),
    ) else {
        return;
    };
    for rules in [RuleSet::Strict, RuleSet::Lenient] {
        let options = Options {
            rules,
            verbose: true,
        };
        let _ = compat::check(&new, &[(1, &old)], Level::Full, &options).expect("same type");
    }
});
