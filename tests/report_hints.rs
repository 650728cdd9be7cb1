//! Fix hints say what to change in the NEW schema (the one the user edits), in both directions:
//! under BACKWARD the new schema reads, under FORWARD the old one does, and either way the hint
//! names the old schema's type (or what else the new schema must keep). Every rule of both
//! formats is run in both directions, and the table must cover them all.

use std::collections::BTreeSet;

use schemactl::compat::{self, avro, protobuf, Direction, Options, RuleSet};
use schemactl::schema::Schema;

use Direction::{Backward as B, Forward as F};

/// One row: the rule, the direction, the rule set, the old and the new schema, and what the hint
/// of that rule's finding must contain and must not contain (an empty `want` means an empty
/// hint).
struct Row(
    &'static str,
    Direction,
    RuleSet,
    String,
    String,
    &'static [&'static str],
    &'static [&'static str],
);

fn hint_of(row: &Row, parse: fn(&str, &str) -> Schema) -> Result<String, String> {
    let Row(id, direction, rules, old, new, ..) = row;
    let (old, new) = (parse("old", old), parse("new", new));
    let options = Options {
        rules: *rules,
        verbose: true,
    };
    let findings = compat::check_pair(&new, &old, *direction, &options).unwrap();
    findings
        .iter()
        .find(|f| f.kind == *id)
        .map(|f| f.hint.clone())
        .ok_or_else(|| {
            let kinds: Vec<_> = findings.iter().map(|f| f.kind).collect();
            format!("{id} {direction:?}: not reported (got {kinds:?})")
        })
}

fn check_table(rows: &[Row], all: &[&str], parse: fn(&str, &str) -> Schema) {
    let mut failures = Vec::new();
    for row in rows {
        let Row(id, direction, .., want, not) = row;
        match hint_of(row, parse) {
            Err(e) => failures.push(e),
            Ok(hint) => {
                let missing: Vec<_> = want.iter().filter(|w| !hint.contains(**w)).collect();
                let present: Vec<_> = not.iter().filter(|w| hint.contains(**w)).collect();
                let empty_wrong = want.is_empty() && !hint.is_empty();
                if !missing.is_empty() || !present.is_empty() || empty_wrong {
                    failures.push(format!(
                        "{id} {direction:?}: hint {hint:?} lacks {missing:?} / has {present:?}"
                    ));
                }
            }
        }
    }
    let covered: BTreeSet<(String, bool)> = rows
        .iter()
        .map(|Row(id, direction, ..)| (id.to_string(), *direction == B))
        .collect();
    for id in all {
        for backward in [true, false] {
            if !covered.contains(&(id.to_string(), backward)) {
                failures.push(format!("{id} (backward: {backward}) has no row"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---- Avro ----

fn avro_parse(source: &str, text: &str) -> Schema {
    Schema::parse_avro(source, text).unwrap_or_else(|e| panic!("{e}"))
}

fn record(fields: &str) -> String {
    format!(r#"{{"type": "record", "name": "User", "fields": [{fields}]}}"#)
}

#[test]
fn every_avro_rule_hints_at_the_new_schema_in_both_directions() {
    use RuleSet::Confluent as C;
    let long_id = record(r#"{"name": "id", "type": "long"}"#);
    let string_id = record(r#"{"name": "id", "type": "string"}"#);
    let nullable_email = record(r#"{"name": "email", "type": ["null", "string"]}"#);
    let plain_email = record(r#"{"name": "email", "type": "string"}"#);
    let union_s = record(r#"{"name": "x", "type": ["null", "string"]}"#);
    let union_l = record(r#"{"name": "x", "type": ["null", "long"]}"#);
    let user = record(r#"{"name": "id", "type": "long"}"#);
    let person = user.replace("\"User\"", "\"Person\"");
    let fixed = |size: u32| {
        record(&format!(
            r#"{{"name": "h", "type": {{"type": "fixed", "name": "Hash", "size": {size}}}}}"#
        ))
    };
    let enum_of = |symbols: &str| {
        record(&format!(
            r#"{{"name": "s", "type": {{"type": "enum", "name": "Status", "symbols": [{symbols}]}}}}"#
        ))
    };
    let with_age = record(r#"{"name": "id", "type": "long"}, {"name": "age", "type": "int"}"#);
    let two_fields =
        record(r#"{"name": "name", "type": "string"}, {"name": "full", "type": "string"}"#);
    let aliased =
        record(r#"{"name": "name", "type": "string", "aliases": ["full"], "default": ""}"#);

    #[rustfmt::skip]
    let rows = vec![
        // The issue's case: a field changed from long to string; both directions say keep long.
        Row("TYPE_MISMATCH", B, C, long_id.clone(), string_id.clone(), &["keep `id` as long", "new schema"], &["keep `id` as string", "keep string"]),
        Row("TYPE_MISMATCH", F, C, long_id.clone(), string_id.clone(), &["keep `id` as long", "new schema writes string"], &["keep `id` as string", "keep string"]),
        // `email` made required: keep the old union, not "keep null".
        Row("TYPE_MISMATCH", B, C, nullable_email.clone(), plain_email.clone(), &["keep `email` as union [null, string]"], &["keep null"]),
        Row("TYPE_MISMATCH", F, C, plain_email.clone(), nullable_email.clone(), &["keep `email` as string", "new schema writes null"], &["keep null"]),
        Row("MISSING_UNION_BRANCH", B, C, union_s.clone(), union_l.clone(), &["add string to the union in the new schema", "keep `x` as union [null, string]"], &["add long"]),
        Row("MISSING_UNION_BRANCH", F, C, union_s.clone(), union_l.clone(), &["remove long from the new schema", "keep `x` as union [null, string]"], &["add long"]),
        Row("NAME_MISMATCH", B, C, user.clone(), person.clone(), &["keep the name 'User' in the new schema", "\"aliases\": [\"User\"]"], &["keep the name 'Person'"]),
        Row("NAME_MISMATCH", F, C, user.clone(), person.clone(), &["keep the name 'User' in the new schema"], &["keep the name 'Person'", "\"aliases\": [\"User\"]"]),
        Row("FIXED_SIZE_MISMATCH", B, C, fixed(16), fixed(32), &["keep size 16 in the new schema"], &["keep size 32"]),
        Row("FIXED_SIZE_MISMATCH", F, C, fixed(16), fixed(32), &["keep size 16 in the new schema"], &["keep size 32"]),
        Row("MISSING_ENUM_SYMBOLS", B, C, enum_of(r#""A", "B", "C""#), enum_of(r#""A", "B""#), &["keep the symbols [C]", "new schema"], &["remove"]),
        Row("MISSING_ENUM_SYMBOLS", F, C, enum_of(r#""A", "B""#), enum_of(r#""A", "B", "C""#), &["the new schema adds the symbols [C]", "remove them from the new schema"], &["keep the symbols"]),
        Row("READER_FIELD_MISSING_DEFAULT_VALUE", B, C, long_id.clone(), with_age.clone(), &["give 'age' a default value in the new schema"], &["keep 'age'"]),
        Row("READER_FIELD_MISSING_DEFAULT_VALUE", F, C, with_age.clone(), long_id.clone(), &["keep 'age' in the new schema"], &["give 'age' a default"]),
        Row("AMBIGUOUS_READER_FIELD", B, C, two_fields.clone(), aliased.clone(), &["remove the aliases of 'name' in the new schema"], &[]),
        Row("AMBIGUOUS_READER_FIELD", F, C, aliased.clone(), two_fields.clone(), &["in the new schema, keep only one of the fields [name, full]"], &["remove the aliases"]),
    ];
    let mut all: Vec<&str> = avro::rules::ALL.iter().map(|r| r.id).collect();
    all.push(avro::rules::AMBIGUOUS_READER_FIELD.id);
    check_table(&rows, &all, avro_parse);
}

// ---- Protobuf ----

fn proto_parse(source: &str, text: &str) -> Schema {
    Schema::parse_protobuf(source, text, &[]).unwrap_or_else(|e| panic!("{source}: {e}"))
}

/// A proto3 file of package `shop` with message `Order { body }` and `extra` after it.
fn p3(body: &str, extra: &str) -> String {
    format!("syntax = \"proto3\";\npackage shop;\n\nmessage Order {{\n{body}}}\n{extra}")
}

fn p2(body: &str) -> String {
    format!("syntax = \"proto2\";\npackage shop;\n\nmessage Order {{\n{body}}}\n")
}

#[test]
fn every_protobuf_rule_hints_at_the_new_schema_in_both_directions() {
    use RuleSet::{Confluent as C, Wire as W, WireJson as J};
    let id_string = p3("  string id = 1;\n", "");
    let id_int64 = p3("  int64 id = 1;\n", "");
    let id_item = p3("  Item id = 1;\n", "message Item {}\n");
    let two_types = "message A {}\nmessage B {}\n";
    let x_a = p3("  A x = 1;\n", two_types);
    let x_b = p3("  B x = 1;\n", two_types);
    let x_int = p3("  int32 x = 1;\n", "");
    let x_repeated = p3("  repeated int32 x = 1;\n", "");
    let plain = p3("  string id = 1;\n", "");
    let with_refund = p3(
        "  string id = 1;\n",
        "message Refund {\n  string id = 1;\n}\n",
    );
    let p2_plain = p2("  optional int32 x = 1;\n");
    let p2_required = p2("  optional int32 x = 1;\n  required int32 y = 2;\n");
    let oneof_ab = p3(
        "  oneof choice {\n    string a = 1;\n    string b = 2;\n  }\n",
        "",
    );
    let oneof_a = p3("  oneof choice {\n    string a = 1;\n  }\n", "");
    let top_ab = p3("  string a = 1;\n  string b = 2;\n", "");
    let oneof_a_top_b = p3(
        "  oneof choice {\n    string a = 1;\n  }\n  string b = 2;\n",
        "",
    );
    let top_a = p3("  string a = 1;\n", "");
    let enum_abc = p3(
        "  string id = 1;\n",
        "enum Status {\n  A = 0;\n  B = 1;\n  C = 2;\n}\n",
    );
    let enum_ab = p3(
        "  string id = 1;\n",
        "enum Status {\n  A = 0;\n  B = 1;\n}\n",
    );
    let enum_abd = p3(
        "  string id = 1;\n",
        "enum Status {\n  A = 0;\n  B = 1;\n  D = 2;\n}\n",
    );
    let enum_reserved = p3(
        "  string id = 1;\n",
        "enum Status {\n  A = 0;\n  reserved 5;\n}\n",
    );
    let enum_plain = p3("  string id = 1;\n", "enum Status {\n  A = 0;\n}\n");
    let moved = p3("  string id = 1;\n", "message Z {}\nmessage Y {}\n");
    let unmoved = p3("  string id = 1;\n", "message Y {}\nmessage Z {}\n");
    let id_qty = p3("  string id = 1;\n  int32 qty = 2;\n", "");
    let id_renamed = p3("  string ident = 1;\n", "");
    let id_json = p3("  string id = 1 [json_name = \"ident\"];\n", "");
    let s_single = p2("  optional string s = 1;\n");
    let s_repeated = p2("  repeated string s = 1;\n");
    // Confluent compares labels where both sides have one (proto2).
    let x_optional = p2("  optional int32 x = 1;\n");
    let x_repeated2 = p2("  repeated int32 x = 1;\n");
    let other_package = id_string.replace("package shop;", "package store;");
    let x_int64 = p3("  int64 x = 1;\n", "");
    let default_5 = p2("  optional int32 x = 1 [default = 5];\n");
    let default_6 = p2("  optional int32 x = 1 [default = 6];\n");
    let reserved_5 = p3("  string id = 1;\n  reserved 5;\n", "");
    let oneof_c_a = p3("  oneof c {\n    string a = 1;\n  }\n", "");
    let oneof_c_ab = p3("  oneof c {\n    string a = 1;\n  }\n  string b = 2;\n", "");
    let oneof_c_ab_in = p3("  oneof c {\n    string a = 1;\n  string b = 2;\n  }\n", "");
    let oneof_c_z = p3(
        "  string id = 1;\n  oneof c {\n    string z = 9;\n  }\n",
        "",
    );

    #[rustfmt::skip]
    let mut rows = vec![
        // ---- Confluent, breaking: the hint names the old schema's value, whichever reads ----
        Row("PACKAGE_CHANGED", B, C, id_string.clone(), other_package.clone(), &["keep the package 'shop' in the new schema"], &["keep the package 'store'"]),
        Row("PACKAGE_CHANGED", F, C, id_string.clone(), other_package.clone(), &["keep the package 'shop' in the new schema"], &["keep the package 'store'"]),
        Row("MESSAGE_REMOVED", B, C, with_refund.clone(), plain.clone(), &["keep the message 'shop.Refund' in the new schema"], &[]),
        Row("MESSAGE_REMOVED", F, C, plain.clone(), with_refund.clone(), &["the new schema adds the message 'shop.Refund'", "remove it from the new schema"], &["keep the message"]),
        Row("FIELD_KIND_CHANGED", B, C, id_string.clone(), id_item.clone(), &["changed from string to", "keep it as string in the new schema"], &[]),
        Row("FIELD_KIND_CHANGED", F, C, id_string.clone(), id_item.clone(), &["changed from string to", "keep it as string in the new schema"], &[]),
        // The issue's case: string → int64, in both directions.
        Row("FIELD_SCALAR_KIND_CHANGED", B, C, id_string.clone(), id_int64.clone(), &["field 1 changed from string to int64", "keep it as string in the new schema"], &["int64 → string", "keep it as int64"]),
        Row("FIELD_SCALAR_KIND_CHANGED", F, C, id_string.clone(), id_int64.clone(), &["field 1 changed from string to int64", "keep it as string in the new schema"], &["int64 → string", "keep it as int64"]),
        Row("FIELD_NAMED_TYPE_CHANGED", B, C, x_a.clone(), x_b.clone(), &["the field's message type changed: keep field 1 as shop.A in the new schema"], &["as shop.B"]),
        Row("FIELD_NAMED_TYPE_CHANGED", F, C, x_a.clone(), x_b.clone(), &["the field's message type changed: keep field 1 as shop.A in the new schema"], &["as shop.B"]),
        Row("FIELD_NUMERIC_LABEL_CHANGED", B, C, x_optional.clone(), x_repeated2.clone(), &["changed from optional to repeated", "keep it optional in the new schema"], &["keep it repeated"]),
        Row("FIELD_NUMERIC_LABEL_CHANGED", F, C, x_optional.clone(), x_repeated2.clone(), &["changed from optional to repeated", "keep it optional in the new schema"], &["keep it repeated"]),
        Row("REQUIRED_FIELD_ADDED", B, C, p2_plain.clone(), p2_required.clone(), &["make the new field 'y' (2) optional"], &[]),
        Row("REQUIRED_FIELD_ADDED", F, C, p2_required.clone(), p2_plain.clone(), &["which the new schema removes: keep it in the new schema"], &["make the new field"]),
        Row("REQUIRED_FIELD_REMOVED", B, C, p2_required.clone(), p2_plain.clone(), &["keep the required field 'y' in the new schema"], &[]),
        Row("REQUIRED_FIELD_REMOVED", F, C, p2_plain.clone(), p2_required.clone(), &["the new schema adds the required field 'y'", "make it optional"], &["keep the required field"]),
        Row("ONEOF_FIELD_REMOVED", B, C, oneof_ab.clone(), oneof_a.clone(), &["keep the member 'b' in the oneof of the new schema"], &[]),
        Row("ONEOF_FIELD_REMOVED", F, C, oneof_a.clone(), oneof_ab.clone(), &["the new schema adds the member 'b'", "remove it from the oneof in the new schema"], &["keep the member"]),
        Row("MULTIPLE_FIELDS_MOVED_TO_ONEOF", B, C, top_ab.clone(), oneof_ab.clone(), &["moves the fields 'a' (1), 'b' (2) into oneof 'choice'", "leave them outside the oneof in the new schema"], &[]),
        Row("MULTIPLE_FIELDS_MOVED_TO_ONEOF", F, C, oneof_ab.clone(), top_ab.clone(), &["out of the old schema's oneof 'choice'", "keep them in oneof 'choice' in the new schema"], &["leave them outside"]),
        Row("FIELD_MOVED_TO_EXISTING_ONEOF", B, C, oneof_a_top_b.clone(), oneof_ab.clone(), &["moves the field 'b' (2) into the existing oneof 'choice'", "leave it outside the oneof in the new schema"], &[]),
        Row("FIELD_MOVED_TO_EXISTING_ONEOF", F, C, oneof_ab.clone(), oneof_a_top_b.clone(), &["moves the field 'b' (2) out of the old schema's oneof 'choice'", "keep it in oneof 'choice' in the new schema"], &["leave it outside"]),
        // ---- Confluent, compatible: no fix, or one about the new schema ----
        Row("MESSAGE_ADDED", B, C, plain.clone(), with_refund.clone(), &[], &[]),
        Row("MESSAGE_ADDED", F, C, with_refund.clone(), plain.clone(), &[], &[]),
        Row("MESSAGE_MOVED", B, C, unmoved.clone(), moved.clone(), &[], &[]),
        Row("MESSAGE_MOVED", F, C, unmoved.clone(), moved.clone(), &[], &[]),
        Row("ENUM_ADDED", B, C, plain.clone(), enum_ab.clone(), &[], &[]),
        Row("ENUM_ADDED", F, C, enum_ab.clone(), plain.clone(), &[], &[]),
        Row("ENUM_REMOVED", B, C, enum_ab.clone(), plain.clone(), &[], &[]),
        Row("ENUM_REMOVED", F, C, plain.clone(), enum_ab.clone(), &[], &[]),
        Row("ENUM_CONST_ADDED", B, C, enum_ab.clone(), enum_abc.clone(), &[], &[]),
        Row("ENUM_CONST_ADDED", F, C, enum_abc.clone(), enum_ab.clone(), &[], &[]),
        Row("ENUM_CONST_CHANGED", B, C, enum_abc.clone(), enum_abd.clone(), &[], &[]),
        Row("ENUM_CONST_CHANGED", F, C, enum_abc.clone(), enum_abd.clone(), &[], &[]),
        Row("ENUM_CONST_REMOVED", B, C, enum_abc.clone(), enum_ab.clone(), &["add `reserved 2;` to the enum in the new schema"], &[]),
        Row("ENUM_CONST_REMOVED", F, C, enum_ab.clone(), enum_abc.clone(), &["the new schema adds this value; nothing to change"], &["reserved"]),
        Row("FIELD_ADDED", B, C, plain.clone(), id_qty.clone(), &[], &[]),
        Row("FIELD_ADDED", F, C, id_qty.clone(), plain.clone(), &[], &[]),
        Row("FIELD_REMOVED", B, C, id_qty.clone(), plain.clone(), &["add `reserved 2;` and reserve the field's name in the new schema"], &[]),
        Row("FIELD_REMOVED", F, C, plain.clone(), id_qty.clone(), &["the new schema adds this field; nothing to change"], &["reserved"]),
        Row("FIELD_NAME_CHANGED", B, C, plain.clone(), id_renamed.clone(), &[], &[]),
        Row("FIELD_NAME_CHANGED", F, C, plain.clone(), id_renamed.clone(), &[], &[]),
        Row("FIELD_STRING_OR_BYTES_LABEL_CHANGED", B, C, s_single.clone(), s_repeated.clone(), &[], &[]),
        Row("FIELD_STRING_OR_BYTES_LABEL_CHANGED", F, C, s_single.clone(), s_repeated.clone(), &[], &[]),
        Row("ONEOF_ADDED", B, C, plain.clone(), oneof_c_z.clone(), &[], &[]),
        Row("ONEOF_ADDED", F, C, oneof_c_z.clone(), plain.clone(), &[], &[]),
        Row("ONEOF_REMOVED", B, C, oneof_c_z.clone(), plain.clone(), &[], &[]),
        Row("ONEOF_REMOVED", F, C, plain.clone(), oneof_c_z.clone(), &[], &[]),
        Row("ONEOF_FIELD_ADDED", B, C, oneof_a.clone(), oneof_ab.clone(), &[], &[]),
        Row("ONEOF_FIELD_ADDED", F, C, oneof_ab.clone(), oneof_a.clone(), &[], &[]),
        Row("ONEOF_FIELD_MOVED_TO_TOP_LEVEL", B, C, oneof_c_a.clone(), top_a.clone(), &[], &[]),
        Row("ONEOF_FIELD_MOVED_TO_TOP_LEVEL", F, C, top_a.clone(), oneof_c_a.clone(), &[], &[]),
    ];
    // ---- the stricter sets judge old → new whatever the direction: each row stands for both ----
    #[rustfmt::skip]
    let both_ways: Vec<(&str, RuleSet, &String, &String, &'static [&'static str])> = vec![
        ("FILE_SAME_PACKAGE", W, &id_string, &other_package, &["from 'shop' to 'store'", "keep the old package in the new schema"]),
        ("FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED", W, &id_qty, &plain, &["add `reserved 2;` to the message in the new schema"]),
        ("FIELD_NO_DELETE_UNLESS_NAME_RESERVED", J, &id_qty, &plain, &["add `reserved \"qty\";` to the message in the new schema"]),
        ("FIELD_WIRE_COMPATIBLE_TYPE", W, &id_string, &id_int64, &["changed from string to int64", "keep the old type in the new schema"]),
        ("FIELD_WIRE_JSON_COMPATIBLE_TYPE", J, &x_int, &x_int64, &["changed from int32 to int64", "keep the old type in the new schema"]),
        ("FIELD_WIRE_COMPATIBLE_CARDINALITY", W, &x_int, &x_repeated, &["changed from singular to repeated", "keep the old one in the new schema"]),
        ("FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY", J, &x_int, &x_repeated, &["changed from singular to repeated", "keep the old one in the new schema"]),
        ("FIELD_SAME_ONEOF", W, &oneof_c_ab, &oneof_c_ab_in, &["moved from no oneof to oneof 'c'", "keep it where the old schema has it"]),
        ("FIELD_SAME_DEFAULT", W, &default_5, &default_6, &["changed from 5 to 6", "keep the old default in the new schema"]),
        ("MESSAGE_SAME_REQUIRED_FIELDS", W, &p2_plain, &p2_required, &["keep the old schema's required fields in the new schema"]),
        ("RESERVED_MESSAGE_NO_DELETE", W, &reserved_5, &plain, &["keep the old `reserved` statement in the new schema"]),
        ("RESERVED_ENUM_NO_DELETE", W, &enum_reserved, &enum_plain, &["keep the old `reserved` statement in the new schema"]),
        ("ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED", W, &enum_abc, &enum_ab, &["add `reserved 2;` to the enum in the new schema"]),
        ("ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED", J, &enum_abc, &enum_ab, &["add `reserved \"C\";` to the enum in the new schema"]),
        ("ENUM_VALUE_SAME_NAME", J, &enum_abc, &enum_abd, &["changed from 'C' to 'D'", "keep the old name in the new schema"]),
        ("FIELD_SAME_NAME", J, &plain, &id_renamed, &["changed from 'id' to 'ident'", "keep the old name in the new schema"]),
        ("FIELD_SAME_JSON_NAME", J, &plain, &id_json, &["changed from 'id' to 'ident'", "keep the old JSON name in the new schema"]),
    ];
    for (id, rules, old, new, want) in both_ways {
        for direction in [B, F] {
            rows.push(Row(
                id,
                direction,
                rules,
                old.clone(),
                new.clone(),
                want,
                &[],
            ));
        }
    }
    let all: Vec<&str> = protobuf::rules::ALL.iter().map(|r| r.id).collect();
    check_table(&rows, &all, proto_parse);
}
