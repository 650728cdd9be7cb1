//! Properties of the Avro compatibility engine over generated schemas: every schema is
//! FULL-compatible with itself, and adding an optional field with a default keeps FULL
//! compatibility (while a required field breaks only BACKWARD).

use proptest::prelude::*;
use schemactl::compat::{self, Level, Options};
use schemactl::schema::Schema;
use serde_json::{json, Value};

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

/// The shape of a schema; names are given when it is rendered, so they are always unique.
#[derive(Debug, Clone)]
enum Shape {
    Prim(usize),
    Logical(usize),
    Enum {
        symbols: usize,
        default: bool,
    },
    Fixed(usize),
    Array(Box<Shape>),
    Map(Box<Shape>),
    /// `["null", inner]`, or the inner type when that cannot be a union branch.
    Optional(Box<Shape>),
    /// A record; each field may carry a default.
    Record(Vec<(Shape, bool)>),
    /// A record with a `["null", Self]` field: a linked list.
    Recursive(Box<Shape>),
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        (0..PRIMITIVES.len()).prop_map(Shape::Prim),
        (0..4usize).prop_map(Shape::Logical),
        (1..5usize, any::<bool>()).prop_map(|(symbols, default)| Shape::Enum { symbols, default }),
        (0..20usize).prop_map(Shape::Fixed),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            inner.clone().prop_map(|s| Shape::Array(Box::new(s))),
            inner.clone().prop_map(|s| Shape::Map(Box::new(s))),
            inner.clone().prop_map(|s| Shape::Optional(Box::new(s))),
            prop::collection::vec((inner.clone(), any::<bool>()), 1..5).prop_map(Shape::Record),
            inner.prop_map(|s| Shape::Recursive(Box::new(s))),
        ]
    })
}

struct Render {
    next: usize,
}

impl Render {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn ty(&mut self, shape: &Shape) -> Value {
        match shape {
            Shape::Prim(i) => json!(PRIMITIVES[*i]),
            Shape::Logical(i) => [
                json!({"type": "int", "logicalType": "date"}),
                json!({"type": "long", "logicalType": "timestamp-micros"}),
                json!({"type": "string", "logicalType": "uuid"}),
                json!({"type": "bytes", "logicalType": "decimal", "precision": 6, "scale": 2}),
            ][*i]
                .clone(),
            Shape::Enum { symbols, default } => {
                let symbols: Vec<String> = (0..*symbols).map(|i| format!("S{i}")).collect();
                let mut v = json!({"type": "enum", "name": self.fresh("E"), "symbols": symbols});
                if *default {
                    v["default"] = json!(symbols[0]);
                }
                v
            }
            Shape::Fixed(size) => json!({"type": "fixed", "name": self.fresh("F"), "size": size}),
            Shape::Array(s) => json!({"type": "array", "items": self.ty(s)}),
            Shape::Map(s) => json!({"type": "map", "values": self.ty(s)}),
            Shape::Optional(s) => match s.as_ref() {
                Shape::Prim(0) | Shape::Optional(_) => self.ty(s),
                _ => json!(["null", self.ty(s)]),
            },
            Shape::Record(fields) => {
                let name = self.fresh("R");
                let fields: Vec<Value> = fields
                    .iter()
                    .map(|(s, with_default)| {
                        let ty = self.ty(s);
                        let mut field = json!({"name": self.fresh("f"), "type": ty});
                        if *with_default {
                            if let Some(d) = default_of(&field["type"]) {
                                field["default"] = d;
                            }
                        }
                        field
                    })
                    .collect();
                json!({"type": "record", "name": name, "fields": fields})
            }
            Shape::Recursive(s) => {
                let name = self.fresh("L");
                json!({"type": "record", "name": name, "fields": [
                    {"name": "value", "type": self.ty(s)},
                    {"name": "next", "type": ["null", name], "default": null},
                ]})
            }
        }
    }
}

/// A valid default for a rendered type, when one is easy to write.
fn default_of(ty: &Value) -> Option<Value> {
    match ty {
        Value::String(p) => Some(match p.as_str() {
            "null" => Value::Null,
            "boolean" => json!(false),
            "int" | "long" | "float" | "double" => json!(0),
            "bytes" | "string" => json!(""),
            _ => return None,
        }),
        Value::Array(branches) => default_of(branches.first()?),
        Value::Object(o) => match o.get("type")?.as_str()? {
            "array" => Some(json!([])),
            "map" => Some(json!({})),
            "enum" => o.get("symbols")?.get(0).cloned(),
            "fixed" => Some(json!("a".repeat(o.get("size")?.as_u64()? as usize))),
            "record" => None,
            _ => default_of(o.get("type")?),
        },
        _ => None,
    }
}

/// A schema whose root is a record holding the generated type, as Kafka values usually are.
fn root_record(shape: &Shape) -> Value {
    let mut r = Render { next: 0 };
    let ty = r.ty(shape);
    json!({"type": "record", "name": "Root", "namespace": "prop.test", "fields": [
        {"name": "payload", "type": ty},
    ]})
}

fn parse(v: &Value) -> Schema {
    let text = serde_json::to_string_pretty(v).expect("json");
    Schema::parse_avro("generated", &text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn compatible(new: &Schema, old: &Schema, level: Level) -> bool {
    compat::check(new, &[(1, old)], level, &Options::default())
        .expect("both Avro")
        .compatible
}

fn with_field(mut schema: Value, field: Value) -> Value {
    schema["fields"]
        .as_array_mut()
        .expect("root is a record")
        .push(field);
    schema
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_schema_is_full_compatible_with_itself(shape in shape()) {
        let json = root_record(&shape);
        // Two separate parses, so that nothing can rely on sharing nodes.
        let (a, b) = (parse(&json), parse(&json));
        prop_assert!(compatible(&a, &b, Level::Full));
        prop_assert!(compatible(&b, &a, Level::FullTransitive));
        // The bare type, not only wrapped in a record.
        let bare = Render { next: 0 }.ty(&shape);
        let (c, d) = (parse(&bare), parse(&bare));
        prop_assert!(compatible(&c, &d, Level::Full));
    }

    #[test]
    fn adding_an_optional_field_with_a_default_keeps_full(shape in shape(), added in shape()) {
        let old = root_record(&shape);
        let mut r = Render { next: 1000 };
        let added_ty = match r.ty(&added) {
            // An optional field: a union with null first, default null.
            Value::Array(mut branches) if branches.first() == Some(&json!("null")) => {
                branches.truncate(2);
                Value::Array(branches)
            }
            Value::String(p) if p == "null" => json!("null"),
            other => json!(["null", other]),
        };
        let new = with_field(old.clone(), json!({"name": "added", "type": added_ty, "default": null}));
        let (old, new) = (parse(&old), parse(&new));
        prop_assert!(compatible(&new, &old, Level::Full));
        prop_assert!(compatible(&old, &new, Level::Full), "and removing it again");
    }

    #[test]
    fn a_required_field_breaks_backward_only(shape in shape(), ty in 1..PRIMITIVES.len()) {
        let old = root_record(&shape);
        let new = with_field(old.clone(), json!({"name": "required", "type": PRIMITIVES[ty]}));
        let (old, new) = (parse(&old), parse(&new));
        let report = compat::check(&new, &[(1, &old)], Level::Full, &Options::default()).expect("avro");
        prop_assert!(!report.compatible);
        prop_assert!(report.messages.iter().all(|m| m.kind == "READER_FIELD_MISSING_DEFAULT_VALUE"));
        prop_assert!(compatible(&new, &old, Level::Forward));
    }
}
