//! JSON Schema parsing: any text parses or is an error (every `$ref` resolved or refused), in
//! time linear in its size.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemactl::schema::Schema;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Schema::parse_json("fuzz.json", text, &[]);
    }
});
