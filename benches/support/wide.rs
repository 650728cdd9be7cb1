//! The wide Avro record of the Avro benches, shared by `avro_compat` and `cold_start`.

/// A record of `fields` fields of mixed types; fields past `required` carry defaults, so each
/// version adds fields compatibly.
pub fn wide_record(fields: usize, required: usize) -> String {
    let mut out = String::from(r#"{"type":"record","name":"Wide","namespace":"bench","fields":["#);
    for i in 0..fields {
        if i > 0 {
            out.push(',');
        }
        let (ty, default) = match i % 5 {
            0 => (r#""long""#.to_string(), "0".to_string()),
            1 => (r#""string""#.to_string(), r#""""#.to_string()),
            2 => (r#"["null","string"]"#.to_string(), "null".to_string()),
            3 => (
                r#"{"type":"array","items":"int"}"#.to_string(),
                "[]".to_string(),
            ),
            _ => (
                format!(
                    r#"{{"type":"record","name":"Nested{i}","fields":[{{"name":"a","type":"int"}},{{"name":"b","type":"double"}}]}}"#
                ),
                r#"{"a":0,"b":0.0}"#.to_string(),
            ),
        };
        if i < required {
            out.push_str(&format!(r#"{{"name":"f{i}","type":{ty}}}"#));
        } else {
            out.push_str(&format!(
                r#"{{"name":"f{i}","type":{ty},"default":{default}}}"#
            ));
        }
    }
    out.push_str("]}");
    out
}
