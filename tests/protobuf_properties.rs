//! Properties of the Protobuf engine over generated files: every file is FULL-compatible with
//! itself and with a copy whose messages are reordered, under every rule set; its canonical text
//! is stable and parses to a FULL-compatible schema.

use proptest::prelude::*;

use schemactl::compat::{self, Level, Options, RuleSet};
use schemactl::schema::Schema;

const SCALARS: &[&str] = &[
    "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string", "bytes",
    "uint32", "sfixed32", "sfixed64", "sint32", "sint64",
];

#[derive(Debug, Clone)]
struct FieldSpec {
    /// Index into SCALARS, or beyond: a message, an enum, a map.
    ty: usize,
    label: u8,
    in_oneof: bool,
}

#[derive(Debug, Clone)]
struct MessageSpec {
    fields: Vec<FieldSpec>,
    nested: bool,
}

#[derive(Debug, Clone)]
struct FileSpec {
    proto3: bool,
    messages: Vec<MessageSpec>,
    /// A permutation of the messages for the reordered copy.
    order: Vec<usize>,
}

fn field() -> impl Strategy<Value = FieldSpec> {
    (0..SCALARS.len() + 3, 0u8..3, prop::bool::weighted(0.2)).prop_map(|(ty, label, in_oneof)| {
        FieldSpec {
            ty,
            label,
            in_oneof,
        }
    })
}

fn file() -> impl Strategy<Value = FileSpec> {
    (
        any::<bool>(),
        prop::collection::vec(
            (prop::collection::vec(field(), 0..10), any::<bool>())
                .prop_map(|(fields, nested)| MessageSpec { fields, nested }),
            1..8,
        ),
    )
        .prop_flat_map(|(proto3, messages)| {
            let n = messages.len();
            (
                Just(proto3),
                Just(messages),
                Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            )
        })
        .prop_map(|(proto3, messages, order)| FileSpec {
            proto3,
            messages,
            order,
        })
}

fn render(spec: &FileSpec, order: &[usize]) -> String {
    let mut out = format!(
        "syntax = \"{}\";\npackage gen.v1;\n\nenum Color {{\n  COLOR_UNSPECIFIED = 0;\n  RED = 1;\n}}\n\n",
        if spec.proto3 { "proto3" } else { "proto2" }
    );
    let n = spec.messages.len();
    for &i in order {
        let m = &spec.messages[i];
        out.push_str(&format!("message M{i} {{\n"));
        let mut oneof = Vec::new();
        for (j, f) in m.fields.iter().enumerate() {
            let number = j + 1;
            let (ty, is_map) = match f.ty {
                t if t < SCALARS.len() => (SCALARS[t].to_string(), false),
                t if t == SCALARS.len() => (format!("M{}", (i + j) % n), false),
                t if t == SCALARS.len() + 1 => ("Color".to_string(), false),
                _ => ("map<string, int64>".to_string(), true),
            };
            let line = format!("{ty} f{number} = {number};");
            if f.in_oneof && !is_map {
                oneof.push(line);
                continue;
            }
            let label = match (is_map, f.label, spec.proto3) {
                (true, _, _) => "",
                (_, 2, _) => "repeated ",
                (_, 1, _) => "optional ",
                (_, _, true) => "",
                (_, _, false) => "optional ",
            };
            out.push_str(&format!("  {label}{line}\n"));
        }
        if !oneof.is_empty() {
            out.push_str("  oneof choice {\n");
            for l in oneof {
                out.push_str(&format!("    {l}\n"));
            }
            out.push_str("  }\n");
        }
        if m.nested {
            out.push_str("  message Inner {\n    optional string note = 1;\n    repeated Color colors = 2;\n  }\n  optional Inner inner = 100;\n");
        }
        out.push_str("}\n\n");
    }
    out
}

fn parse(text: &str) -> Schema {
    Schema::parse_protobuf("gen.proto", text, &[]).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn assert_full(new: &Schema, old: &Schema, text: &str) {
    for rules in [RuleSet::Confluent, RuleSet::Wire, RuleSet::WireJson] {
        let report = compat::check(
            new,
            &[(1, old)],
            Level::FullTransitive,
            &Options {
                rules,
                verbose: true,
            },
        )
        .unwrap();
        let breaking: Vec<_> = report
            .messages
            .iter()
            .filter(|m| !m.compatible_change)
            .collect();
        assert!(breaking.is_empty(), "{rules:?}: {breaking:?}\n{text}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_file_is_full_compatible_with_itself(spec in file()) {
        let order: Vec<usize> = (0..spec.messages.len()).collect();
        let text = render(&spec, &order);
        let s = parse(&text);
        assert_full(&s, &s, &text);
        // No change at all: not even a compatible one is listed.
        let report = compat::check(&s, &[(1, &s)], Level::Full, &Options { rules: RuleSet::WireJson, verbose: true }).unwrap();
        prop_assert!(report.messages.is_empty(), "{:?}", report.messages);
    }

    #[test]
    fn reordering_messages_keeps_full_compatibility(spec in file()) {
        let order: Vec<usize> = (0..spec.messages.len()).collect();
        let text = render(&spec, &order);
        let reordered = render(&spec, &spec.order);
        let (a, b) = (parse(&text), parse(&reordered));
        assert_full(&b, &a, &reordered);
        assert_full(&a, &b, &text);
    }

    #[test]
    fn canonical_text_is_stable_and_equivalent(spec in file()) {
        let order: Vec<usize> = (0..spec.messages.len()).collect();
        let text = render(&spec, &order);
        let s = parse(&text);
        let schemactl::schema::Parsed::Protobuf(p) = &s.parsed else { unreachable!() };
        let canonical = p.canonical_text();
        let again = parse(&canonical);
        let schemactl::schema::Parsed::Protobuf(q) = &again.parsed else { unreachable!() };
        prop_assert_eq!(&q.canonical_text(), &canonical);
        assert_full(&again, &s, &canonical);
        // Comments and blank lines do not change it.
        let noisy = text.replace("\n\n", "\n// a comment\n\n").replace("message", "/* doc */ message");
        let t = parse(&noisy);
        let schemactl::schema::Parsed::Protobuf(r) = &t.parsed else { unreachable!() };
        prop_assert_eq!(r.canonical_text(), canonical);
    }
}
