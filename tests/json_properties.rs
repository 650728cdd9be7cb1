//! Properties of the JSON Schema compatibility engine over generated schemas.

use proptest::prelude::*;
use serde_json::{json, Value};

use schemactl::compat::json::{check_direction, JsonPolicy};
use schemactl::compat::{Direction, Level};
use schemactl::schema::json::{parse_with_references, JsonSchema};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        (0u64..20).prop_map(|n| json!({"type": "string", "maxLength": n})),
        (0i64..100).prop_map(|n| json!({"type": "integer", "minimum": n})),
        Just(json!({"type": "number", "multipleOf": 0.5})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": "boolean"})),
        prop::collection::vec("[a-c]{1,2}", 1..4).prop_map(|v| json!({"enum": v})),
        Just(json!({"const": 1})),
        Just(json!(true)),
        Just(json!({})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            (
                prop::collection::btree_map("[a-e]", inner.clone(), 0..5),
                prop::option::of(any::<bool>()),
                any::<bool>(),
            )
                .prop_map(|(props, additional, req)| {
                    let mut o = json!({"type": "object", "properties": props});
                    if let Some(a) = additional {
                        o["additionalProperties"] = json!(a);
                    }
                    if req {
                        let names: Vec<&String> = props.keys().take(1).collect();
                        o["required"] = json!(names);
                    }
                    o
                }),
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({"oneOf": v})),
            prop::collection::vec(inner.clone(), 1..3).prop_map(|v| json!({"allOf": v})),
            inner.clone().prop_map(|i| json!({"not": i})),
            prop::collection::vec(inner, 1..3)
                .prop_map(|v| json!({"type": "array", "items": v, "additionalItems": false})),
        ]
    })
}

fn parse(v: &Value) -> JsonSchema {
    parse_with_references("s.json", &v.to_string(), &[]).expect("generated schemas are valid")
}

const LEVELS: [Level; 7] = [
    Level::None,
    Level::Backward,
    Level::BackwardTransitive,
    Level::Forward,
    Level::ForwardTransitive,
    Level::Full,
    Level::FullTransitive,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// A schema is compatible with itself under every level and both policies, with nothing
    /// to report at all.
    #[test]
    fn a_schema_is_compatible_with_itself(v in schema()) {
        let s = parse(&v);
        let t = parse(&v);
        for level in LEVELS {
            for &d in level.directions() {
                for p in [JsonPolicy::Strict, JsonPolicy::Lenient] {
                    let found = check_direction(&s, &t, d, p);
                    prop_assert!(found.is_empty(), "{level:?} {p:?}: {found:?}");
                }
            }
        }
    }

    /// FORWARD of (new, old) is BACKWARD of (old, new): Confluent swaps the roles.
    #[test]
    fn forward_is_backward_with_roles_swapped(a in schema(), b in schema()) {
        let (a, b) = (parse(&a), parse(&b));
        let kinds = |f: Vec<schemactl::compat::Finding>| f.into_iter().map(|f| (f.kind, f.path, f.breaking)).collect::<Vec<_>>();
        prop_assert_eq!(
            kinds(check_direction(&a, &b, Direction::Forward, JsonPolicy::Strict)),
            kinds(check_direction(&b, &a, Direction::Backward, JsonPolicy::Strict))
        );
    }

    /// The lenient policy never refuses what the strict one accepts.
    #[test]
    fn lenient_accepts_whatever_strict_accepts(a in schema(), b in schema()) {
        let (a, b) = (parse(&a), parse(&b));
        for d in [Direction::Backward, Direction::Forward] {
            let strict = check_direction(&a, &b, d, JsonPolicy::Strict).iter().all(|f| !f.breaking);
            let lenient = check_direction(&a, &b, d, JsonPolicy::Lenient).iter().all(|f| !f.breaking);
            prop_assert!(!strict || lenient);
        }
    }

    /// Adding an optional property to an open content model is backward compatible under the
    /// lenient policy and, with an empty schema, under the strict one; Confluent's strict policy
    /// refuses it otherwise (old data may already hold the name with another value).
    #[test]
    fn adding_an_optional_property_to_an_open_model(
        props in prop::collection::btree_map("[a-e]", schema(), 0..4),
        added in schema(),
    ) {
        let old = json!({"type": "object", "properties": props});
        let mut new = old.clone();
        new["properties"]["zz"] = added.clone();
        let (o, n) = (parse(&old), parse(&new));
        let breaks = |p| check_direction(&n, &o, Direction::Backward, p).iter().any(|f| f.breaking);
        prop_assert!(!breaks(JsonPolicy::Lenient));
        let empty = added == json!(true) || added == json!({});
        prop_assert_eq!(breaks(JsonPolicy::Strict), !empty);
    }

    /// Adding an optional property to a closed model is backward compatible.
    #[test]
    fn adding_an_optional_property_to_a_closed_model(
        props in prop::collection::btree_map("[a-e]", schema(), 0..4),
        added in schema(),
    ) {
        let old = json!({"type": "object", "properties": props, "additionalProperties": false});
        let mut new = old.clone();
        new["properties"]["zz"] = added;
        let (o, n) = (parse(&old), parse(&new));
        prop_assert!(check_direction(&n, &o, Direction::Backward, JsonPolicy::Strict).iter().all(|f| !f.breaking));
    }

    /// Any JSON text is parsed or refused, never a panic; what parses checks against itself.
    #[test]
    fn arbitrary_json_never_panics(text in "[\\[\\]{}\":,a-z0-9 $#/~%-]{0,80}") {
        if let Ok(s) = parse_with_references("s.json", &text, &[]) {
            let _ = check_direction(&s, &s, Direction::Backward, JsonPolicy::Strict);
        }
    }
}
