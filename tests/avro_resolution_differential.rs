//! Differential test of Avro schema resolution (issue 12, point 3): random compatible
//! (writer, reader) pairs, random datums written with the writer, and the values the reader
//! gets compared with Python resolving readers, exactly (floats bit for bit, bytes as bytes).
//!
//! Writers cover every Avro type: the primitives, logical types, records, enums, fixed, arrays,
//! maps, unions, and named types referenced again and recursively. Each reader is derived from
//! its writer by changes the specification allows: fields added with defaults, removed, renamed
//! with aliases and reordered; int→long/float/double, long→float/double, float→double and
//! string↔bytes; union branches added; a writer value read as a reader union and a writer union
//! read as a non-union; enum symbols added, or removed behind a reader default; records, enums
//! and fixed renamed or moved to another namespace with an alias. schemactl's engine must judge
//! every pair compatible.
//!
//! Our side is `ResolvingDecoder`'s resolution, [`transcode`] (the writer's bytes rewritten into
//! the reader's encoding), then a schema-driven decode of the result; `ResolvingDecoder` hands
//! the same bytes to a generated type's decoder, which random schemas do not have at test time.
//!
//! The references run in one process (`tests/interop/avro_resolve_oracle.py`): Apache Avro's
//! Python port (`DatumReader(writer, reader)`) first, and fastavro (`schemaless_reader`) where
//! the port departs from the specification, in the ways listed in [`PORT_DEPARTURES`]. A value
//! must equal the port's, or the port must depart in a listed way and the value equal
//! fastavro's. The port also reads each datum with the writer schema alone, which checks this
//! test's own encoder. Python comes from `SCHEMACTL_PYTHON`, else `.venv/bin/python` (made by
//! `bash tests/setup.sh`), else `python3`; `SCHEMACTL_RESOLVE_SEED` changes the seed.

use std::collections::{BTreeMap, HashMap, HashSet};

mod python_support;
mod splitmix;

use schemactl::compat::{self, Level, Options};
use schemactl::runtime::avro::{self as enc, Reader};
use schemactl::runtime::resolve::transcode;
use schemactl::schema::avro::{parse, AvroSchema, Node, NodeId, Primitive};
use schemactl::schema::Schema;
use serde_json::{json, Map, Value};
use splitmix::Rng;

const PAIRS: usize = 320;
const DATUMS_PER_PAIR: usize = 12;
const SEED: u64 = 0x7e50_1de5_2026_0012;

/// Where Apache Avro's Python port (1.12) departs from the specification's resolution rules, as
/// seen on these pairs; a datum on which the port answers otherwise than we do is checked
/// against fastavro instead, and counted under the departure its pair shows.
const PORT_DEPARTURES: &[(&str, &str)] = &[
    (
        "named-alias",
        "ignores the reader's aliases of records, enums and fixed (\"Schemas do not match\")",
    ),
    (
        "field-alias",
        "ignores the reader's field aliases (the field takes its default, or the read fails)",
    ),
    (
        "enum-default",
        "ignores the reader's enum default for a symbol the reader lacks",
    ),
    (
        "string-bytes",
        "does not read string as bytes or bytes as string",
    ),
    (
        "union-to-non-union",
        "does not read a writer union as a reader that is not a union (\"Schemas do not match\")",
    ),
    (
        "nested-promotion",
        "does not promote array items and map values (\"Schemas do not match\")",
    ),
];

// ---------------------------------------------------------------------------------------------
// The oracle process

/// One long-lived oracle process for every request; answers in order.
fn ask_oracle(requests: &[Value]) -> Vec<Value> {
    let requests = requests.iter().map(Value::to_string).collect();
    python_support::ask_lines(
        "avro_resolve_oracle.py",
        requests,
        "it needs avro and fastavro: bash tests/setup.sh (or set SCHEMACTL_PYTHON)",
    )
    .iter()
    .map(|line| serde_json::from_str(line).expect("oracle writes JSON"))
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Schemas: a small model, rendered to JSON text

const PRIMITIVES: [&str; 8] = [
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];
const NAMESPACES: [&str; 3] = ["com.acme", "com.acme.events", "org.other"];

#[derive(Clone, Debug)]
struct Named {
    namespace: String,
    name: String,
    aliases: Vec<String>,
}

impl Named {
    fn full(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

#[derive(Clone, Debug)]
enum Ty {
    Prim(&'static str),
    /// A primitive annotated with a logical type: the whole JSON object.
    Logical(&'static str, Value),
    Record(Named, Vec<Field>),
    Enum(Named, Vec<String>, Option<String>),
    Fixed(Named, usize),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Union(Vec<Ty>),
    /// A named type by full name, defined elsewhere in the schema (or rendered here first).
    Ref(String),
}

#[derive(Clone, Debug)]
struct Field {
    name: String,
    aliases: Vec<String>,
    ty: Ty,
    default: Option<Value>,
}

/// Whether a writer primitive is promotable to a reader primitive (or the same).
fn promotable(w: &str, r: &str) -> bool {
    w == r
        || matches!(
            (w, r),
            ("int", "long" | "float" | "double")
                | ("long", "float" | "double")
                | ("float", "double")
                | ("string", "bytes")
                | ("bytes", "string")
        )
}

/// Whether two union branches cannot stand in one union: the same key, or `string` and `bytes`
/// (each promotable to the other, so one would be read as the other; see `Derive::union`).
fn clashes(a: &Ty, b: &Ty) -> bool {
    let (a, b) = (branch_key(a), branch_key(b));
    a == b || (a == "string" && b == "bytes") || (a == "bytes" && b == "string")
}

/// The key a union branch is unique by.
fn branch_key(t: &Ty) -> String {
    match t {
        Ty::Prim(p) | Ty::Logical(p, _) => (*p).to_string(),
        Ty::Record(n, _) | Ty::Enum(n, _, _) | Ty::Fixed(n, _) => n.full(),
        Ty::Ref(full) => full.clone(),
        Ty::Array(_) => "array".into(),
        Ty::Map(_) => "map".into(),
        Ty::Union(_) => "union".into(),
    }
}

/// Renders a schema; a named type is written in full where it first appears in the text and by
/// name afterwards, whichever of its definition or a reference comes first.
struct Render<'a> {
    defs: &'a HashMap<String, Ty>,
    done: HashSet<String>,
}

impl Render<'_> {
    fn ty(&mut self, t: &Ty) -> Value {
        let defs = self.defs;
        match t {
            Ty::Prim(p) => json!(p),
            Ty::Logical(_, v) => v.clone(),
            Ty::Ref(full) => match defs.get(full) {
                Some(def) if !self.done.contains(full) => self.ty(def),
                _ => json!(full),
            },
            Ty::Record(n, fields) => {
                if !self.done.insert(n.full()) {
                    return json!(n.full());
                }
                let fields: Vec<Value> = fields
                    .iter()
                    .map(|f| {
                        let mut o = Map::new();
                        o.insert("name".into(), json!(f.name));
                        o.insert("type".into(), self.ty(&f.ty));
                        if !f.aliases.is_empty() {
                            o.insert("aliases".into(), json!(f.aliases));
                        }
                        if let Some(d) = &f.default {
                            o.insert("default".into(), d.clone());
                        }
                        Value::Object(o)
                    })
                    .collect();
                let mut o = named_object("record", n);
                o.insert("fields".into(), json!(fields));
                Value::Object(o)
            }
            Ty::Enum(n, symbols, default) => {
                if !self.done.insert(n.full()) {
                    return json!(n.full());
                }
                let mut o = named_object("enum", n);
                o.insert("symbols".into(), json!(symbols));
                if let Some(d) = default {
                    o.insert("default".into(), json!(d));
                }
                Value::Object(o)
            }
            Ty::Fixed(n, size) => {
                if !self.done.insert(n.full()) {
                    return json!(n.full());
                }
                let mut o = named_object("fixed", n);
                o.insert("size".into(), json!(size));
                Value::Object(o)
            }
            Ty::Array(i) => json!({"type": "array", "items": self.ty(i)}),
            Ty::Map(v) => json!({"type": "map", "values": self.ty(v)}),
            Ty::Union(bs) => Value::Array(bs.iter().map(|b| self.ty(b)).collect()),
        }
    }
}

fn named_object(kind: &str, n: &Named) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(kind));
    o.insert("name".into(), json!(n.name));
    o.insert("namespace".into(), json!(n.namespace));
    if !n.aliases.is_empty() {
        o.insert("aliases".into(), json!(n.aliases));
    }
    o
}

fn render(root: &Ty, defs: &HashMap<String, Ty>) -> String {
    Render {
        defs,
        done: HashSet::new(),
    }
    .ty(root)
    .to_string()
}

// ---------------------------------------------------------------------------------------------
// Writers

struct Gen<'a> {
    rng: &'a mut Rng,
    next_name: usize,
    namespace: &'static str,
    /// Named types by full name: their definitions, for references.
    defs: HashMap<String, Ty>,
    /// Records being defined around the current point, which a field may recurse into.
    open: Vec<String>,
    /// How often each kind of writer type and reader change was made.
    seen: &'a mut BTreeMap<&'static str, usize>,
}

impl Gen<'_> {
    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    fn note(&mut self, what: &'static str) {
        *self.seen.entry(what).or_default() += 1;
    }

    fn named(&mut self, prefix: &str) -> Named {
        let namespace = if self.rng.chance(15) {
            self.rng.pick(&NAMESPACES).to_string()
        } else {
            self.namespace.to_string()
        };
        Named {
            namespace,
            name: self.fresh(prefix),
            aliases: Vec::new(),
        }
    }

    fn ty(&mut self, depth: usize) -> Ty {
        let roll = self.rng.below(100);
        let deep = depth >= 3;
        match roll {
            0..=29 => Ty::Prim(self.rng.pick(&PRIMITIVES)),
            30..=36 => self.logical(),
            37..=48 if !deep => self.record(depth + 1),
            49..=57 => self.enumeration(),
            58..=62 => self.fixed(),
            63..=70 if !deep => {
                self.note("writer array");
                Ty::Array(Box::new(self.ty(depth + 1)))
            }
            71..=77 if !deep => {
                self.note("writer map");
                Ty::Map(Box::new(self.ty(depth + 1)))
            }
            78..=91 => self.union(depth),
            // A reference to a record being defined would nest without end; recursion goes
            // through a union or an array (`record`).
            _ if self.rng.chance(60) => {
                let mut names: Vec<String> = self
                    .defs
                    .keys()
                    .filter(|n| !self.open.contains(n))
                    .cloned()
                    .collect();
                if names.is_empty() {
                    return Ty::Prim("long");
                }
                names.sort();
                self.note("writer reference");
                Ty::Ref(names.swap_remove(self.rng.below(names.len())))
            }
            _ => Ty::Prim(self.rng.pick(&PRIMITIVES[1..])),
        }
    }

    fn logical(&mut self) -> Ty {
        self.note("writer logical");
        match self.rng.below(7) {
            0 => Ty::Logical("int", json!({"type": "int", "logicalType": "date"})),
            1 => Ty::Logical("int", json!({"type": "int", "logicalType": "time-millis"})),
            2 => Ty::Logical(
                "long",
                json!({"type": "long", "logicalType": "timestamp-millis"}),
            ),
            3 => Ty::Logical(
                "long",
                json!({"type": "long", "logicalType": "timestamp-micros"}),
            ),
            4 => Ty::Logical(
                "long",
                json!({"type": "long", "logicalType": "time-micros"}),
            ),
            5 => Ty::Logical("string", json!({"type": "string", "logicalType": "uuid"})),
            _ => Ty::Logical(
                "bytes",
                json!({"type": "bytes", "logicalType": "decimal", "precision": 9, "scale": 2}),
            ),
        }
    }

    fn record(&mut self, depth: usize) -> Ty {
        self.note("writer record");
        let n = self.named("R");
        let full = n.full();
        // Registered before the fields, so that they may refer to it.
        self.defs
            .insert(full.clone(), Ty::Record(n.clone(), Vec::new()));
        self.open.push(full.clone());
        let count = 1 + self.rng.below(4);
        let mut fields = Vec::with_capacity(count + 1);
        for _ in 0..count {
            let name = self.fresh("f");
            let ty = self.ty(depth);
            fields.push(Field {
                name,
                aliases: Vec::new(),
                ty,
                default: None,
            });
        }
        if self.rng.chance(15) {
            self.note("writer recursion");
            let target = self.rng.pick(&self.open);
            let ty = if self.rng.chance(60) {
                Ty::Union(vec![Ty::Prim("null"), Ty::Ref(target)])
            } else {
                Ty::Array(Box::new(Ty::Ref(target)))
            };
            let name = self.fresh("f");
            fields.push(Field {
                name,
                aliases: Vec::new(),
                ty,
                default: None,
            });
        }
        self.open.pop();
        let t = Ty::Record(n, fields);
        self.defs.insert(full, t.clone());
        t
    }

    fn enumeration(&mut self) -> Ty {
        self.note("writer enum");
        let n = self.named("E");
        let symbols: Vec<String> = (0..1 + self.rng.below(4))
            .map(|_| self.fresh("S"))
            .collect();
        let t = Ty::Enum(n.clone(), symbols, None);
        self.defs.insert(n.full(), t.clone());
        t
    }

    fn fixed(&mut self) -> Ty {
        self.note("writer fixed");
        let n = self.named("X");
        let t = Ty::Fixed(n.clone(), self.rng.pick(&[0, 1, 4, 16]));
        self.defs.insert(n.full(), t.clone());
        t
    }

    fn union(&mut self, depth: usize) -> Ty {
        self.note("writer union");
        if self.rng.chance(20) {
            // Numbers only, which a reader may read as one number type.
            let set = self.rng.pick(&[
                &["int", "long"][..],
                &["long", "float"],
                &["int", "float", "double"],
                &["float", "double"],
                &["int"],
                &["string"],
            ]);
            let mut branches: Vec<Ty> = set.iter().map(|p| Ty::Prim(p)).collect();
            self.rng.shuffle(&mut branches);
            return Ty::Union(branches);
        }
        let mut branches = Vec::new();
        if self.rng.chance(70) {
            branches.push(Ty::Prim("null"));
        }
        let n = 1 + self.rng.below(3);
        for _ in 0..n * 3 {
            if branches.len() > n {
                break;
            }
            let b = match self.rng.below(3) {
                0 => Ty::Prim(self.rng.pick(&PRIMITIVES[1..])),
                _ => self.ty(depth + 1),
            };
            if !matches!(b, Ty::Union(_)) && !branches.iter().any(|x: &Ty| clashes(x, &b)) {
                branches.push(b);
            }
        }
        self.rng.shuffle(&mut branches);
        Ty::Union(branches)
    }
}

// ---------------------------------------------------------------------------------------------
// Readers, derived by compatible changes

/// A reader field added with a default: its type and a default value of it.
fn added_field(g: &mut Gen<'_>) -> (Ty, Value) {
    let rng = &mut *g.rng;
    match rng.below(12) {
        0 => (Ty::Prim("null"), Value::Null),
        1 => (Ty::Prim("boolean"), json!(rng.chance(50))),
        2 => (
            Ty::Prim("int"),
            json!(rng.pick(&[0, -1, i32::MAX, i32::MIN])),
        ),
        3 => (
            Ty::Prim("long"),
            json!(rng.pick(&[0, i64::MAX, i64::MIN, 9_007_199_254_740_993])),
        ),
        // Doubles whose shortest text has 17 digits, and floats that are not f32 values.
        4 => (
            Ty::Prim("double"),
            json!(rng.pick(&[
                0.464_978_138_955_366_44,
                5e-324,
                1.797_693_134_862_315_7e308,
                0.1,
                -2.5
            ])),
        ),
        5 => (
            Ty::Prim("float"),
            json!(rng.pick(&[0.1, 1.5, -3.25, 1e-30])),
        ),
        6 => (
            Ty::Prim("string"),
            json!(rng.pick(&["", "dflt", "ünï€ode 🦀"])),
        ),
        // ASCII: beyond it the references read a bytes default otherwise (see
        // `bytes_defaults_are_code_points`).
        7 => (Ty::Prim("bytes"), json!(rng.pick(&["", "\u{0}\u{7f}ab"]))),
        8 => (
            Ty::Array(Box::new(Ty::Prim("long"))),
            json!(rng.pick(&[vec![], vec![1, -2, 3]])),
        ),
        9 => (
            Ty::Map(Box::new(Ty::Prim("string"))),
            json!({"k": "v", "": "empty key"}),
        ),
        10 => {
            if rng.chance(50) {
                (
                    Ty::Union(vec![Ty::Prim("null"), Ty::Prim("string")]),
                    Value::Null,
                )
            } else {
                (
                    Ty::Union(vec![Ty::Prim("int"), Ty::Prim("null")]),
                    json!(42),
                )
            }
        }
        _ => {
            g.note("reader added named-type field");
            let e = g.named("E");
            let symbols = vec![g.fresh("S"), g.fresh("S")];
            let x = g.named("X");
            let r = g.named("R");
            let fields = vec![
                Field {
                    name: g.fresh("f"),
                    aliases: Vec::new(),
                    ty: Ty::Enum(e, symbols.clone(), None),
                    default: None,
                },
                Field {
                    name: g.fresh("f"),
                    aliases: Vec::new(),
                    ty: Ty::Fixed(x, 2),
                    default: None,
                },
                Field {
                    name: g.fresh("f"),
                    aliases: Vec::new(),
                    ty: Ty::Prim("double"),
                    default: Some(json!(2.5)),
                },
            ];
            // Complete: fastavro does not fill a field the default leaves out from the field's
            // own default (see `bytes_defaults_are_code_points`).
            let mut default = Map::new();
            default.insert(fields[2].name.clone(), json!(-0.5));
            default.insert(fields[0].name.clone(), json!(symbols[1]));
            default.insert(fields[1].name.clone(), json!("\u{1}\u{7f}"));
            let default = Value::Object(default);
            (Ty::Record(r, fields), default)
        }
    }
}

/// Where a writer type sits, which limits the changes its reader may make.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Field,
    Branch,
    /// An array's items or a map's values.
    Item,
}

struct Derive<'g, 'a> {
    g: &'g mut Gen<'a>,
    /// The writer's named types by full name.
    writer_defs: &'g HashMap<String, Ty>,
    /// Reader definitions of the writer's named types, by the writer's full name.
    renamed: HashMap<String, String>,
    /// The reader's named types by full name, for references.
    defs: HashMap<String, Ty>,
    /// The departures of the Python port (`PORT_DEPARTURES`) this pair's changes may show.
    departures: std::collections::BTreeSet<&'static str>,
}

impl Derive<'_, '_> {
    fn note(&mut self, what: &'static str) {
        self.g.note(what);
    }

    /// A reader name for a writer's named type: the same, renamed with an alias, or moved to
    /// another namespace with an alias.
    fn name(&mut self, w: &Named) -> Named {
        let mut n = w.clone();
        match self.g.rng.below(10) {
            0 | 1 => {
                self.note("reader named type renamed with alias");
                self.departures.insert("named-alias");
                n.name = self.g.fresh(&w.name[..1]);
                n.aliases.push(w.full());
            }
            2 => {
                let ns = self.g.rng.pick(&NAMESPACES);
                if ns != w.namespace {
                    self.note("reader namespace changed with alias");
                    self.departures.insert("named-alias");
                    n.namespace = ns.to_string();
                    n.aliases.push(w.full());
                }
            }
            _ => {}
        }
        self.renamed.insert(w.full(), n.full());
        n
    }

    fn ty(&mut self, t: &Ty, at: At) -> Ty {
        match t {
            Ty::Prim(p) => self.primitive(p, at),
            Ty::Logical(p, _) if at != At::Branch && self.g.rng.chance(20) => {
                self.note("reader union around a writer value");
                self.nested(at);
                let other = if *p == "string" { "int" } else { "null" };
                let mut bs = vec![t.clone(), Ty::Prim(other)];
                self.g.rng.shuffle(&mut bs);
                Ty::Union(bs)
            }
            Ty::Logical(..) => t.clone(),
            Ty::Ref(full) => {
                // A writer type defined in a branch the writer dropped is first met here.
                if !self.renamed.contains_key(full) {
                    let def = self.writer_defs.get(full).expect("a defined name").clone();
                    self.ty(&def, At::Field);
                }
                Ty::Ref(self.renamed[full].clone())
            }
            Ty::Record(w, fields) => self.record(w, fields),
            Ty::Enum(w, symbols, _) => self.enumeration(w, symbols),
            Ty::Fixed(w, size) => {
                let n = self.name(w);
                let r = Ty::Fixed(n.clone(), *size);
                self.defs.insert(n.full(), r.clone());
                r
            }
            Ty::Array(i) => Ty::Array(Box::new(self.ty(i, At::Item))),
            Ty::Map(v) => Ty::Map(Box::new(self.ty(v, At::Item))),
            Ty::Union(bs) => self.union(bs, at),
        }
    }

    /// The Python port compares an array's items and a map's values by their type name alone.
    fn nested(&mut self, at: At) {
        if at == At::Item {
            self.departures.insert("nested-promotion");
        }
    }

    fn primitive(&mut self, p: &'static str, at: At) -> Ty {
        // A union branch keeps its kind, so that branches stay distinct.
        if at == At::Branch {
            return Ty::Prim(p);
        }
        let promotions: Vec<&'static str> = PRIMITIVES
            .iter()
            .copied()
            .filter(|r| *r != p && promotable(p, r))
            .collect();
        let target = if !promotions.is_empty() && self.g.rng.chance(45) {
            if matches!(p, "string" | "bytes") {
                self.note("reader string<->bytes");
                self.departures.insert("string-bytes");
            } else {
                self.note("reader numeric promotion");
            }
            self.nested(at);
            self.g.rng.pick(&promotions)
        } else {
            p
        };
        if self.g.rng.chance(20) {
            // A writer value read as a reader union: branches it cannot match around the one
            // it resolves to.
            self.note("reader union around a writer value");
            self.nested(at);
            let others: Vec<&'static str> = PRIMITIVES
                .iter()
                .copied()
                .filter(|q| *q != target && !promotable(p, q))
                .collect();
            let mut bs = vec![Ty::Prim(target)];
            for _ in 0..1 + self.g.rng.below(2) {
                let q = self.g.rng.pick(&others);
                if !bs.iter().any(|b| branch_key(b) == q) {
                    bs.push(Ty::Prim(q));
                }
            }
            self.g.rng.shuffle(&mut bs);
            return Ty::Union(bs);
        }
        Ty::Prim(target)
    }

    fn record(&mut self, w: &Named, fields: &[Field]) -> Ty {
        let n = self.name(w);
        let mut out = Vec::new();
        for f in fields {
            // Derived even when the field is dropped: a type defined in it may be referenced
            // elsewhere, and the reader then defines it there.
            let ty = self.ty(&f.ty, At::Field);
            match self.g.rng.below(10) {
                0 => self.note("reader field removed"),
                1 | 2 => {
                    self.note("reader field renamed with alias");
                    self.departures.insert("field-alias");
                    out.push(Field {
                        name: self.g.fresh("f"),
                        aliases: vec![f.name.clone()],
                        ty,
                        default: None,
                    });
                }
                _ => out.push(Field {
                    name: f.name.clone(),
                    aliases: Vec::new(),
                    ty,
                    default: None,
                }),
            }
        }
        for _ in 0..self.g.rng.below(3) {
            self.note("reader field added with default");
            let (ty, default) = added_field(self.g);
            self.collect_defs(&ty);
            out.push(Field {
                name: self.g.fresh("f"),
                aliases: Vec::new(),
                ty,
                default: Some(default),
            });
        }
        if self.g.rng.chance(40) {
            self.note("reader fields reordered");
            self.g.rng.shuffle(&mut out);
        }
        let r = Ty::Record(n.clone(), out);
        self.defs.insert(n.full(), r.clone());
        r
    }

    /// Registers the named types of an added field's type.
    fn collect_defs(&mut self, t: &Ty) {
        if let Ty::Record(n, fields) = t {
            self.defs.insert(n.full(), t.clone());
            for f in fields {
                self.collect_defs(&f.ty);
            }
        }
        if let Ty::Enum(n, ..) | Ty::Fixed(n, _) = t {
            self.defs.insert(n.full(), t.clone());
        }
    }

    fn enumeration(&mut self, w: &Named, symbols: &[String]) -> Ty {
        let n = self.name(w);
        let mut symbols = symbols.to_vec();
        let mut default = None;
        match self.g.rng.below(4) {
            0 => {
                self.note("reader enum symbol added");
                let s = self.g.fresh("S");
                let at = self.g.rng.below(symbols.len() + 1);
                symbols.insert(at, s);
                self.g.rng.shuffle(&mut symbols);
            }
            1 if symbols.len() > 1 => {
                self.note("reader enum symbol removed, reader default");
                self.departures.insert("enum-default");
                symbols.remove(self.g.rng.below(symbols.len()));
                default = Some(self.g.rng.pick(&symbols));
            }
            2 => {
                self.note("reader enum default");
                default = Some(self.g.rng.pick(&symbols));
            }
            _ => {}
        }
        let r = Ty::Enum(n.clone(), symbols, default);
        self.defs.insert(n.full(), r.clone());
        r
    }

    fn union(&mut self, bs: &[Ty], at: At) -> Ty {
        // A writer union of primitives all promotable to one type may be read as that type.
        let common: Vec<&'static str> = PRIMITIVES
            .iter()
            .copied()
            .filter(|r| {
                bs.iter()
                    .all(|b| matches!(b, Ty::Prim(p) if promotable(p, r)))
            })
            .collect();
        if !bs.is_empty() && !common.is_empty() && self.g.rng.chance(60) {
            self.note("reader non-union for a writer union");
            self.departures.insert("union-to-non-union");
            self.nested(at);
            return Ty::Prim(self.g.rng.pick(&common));
        }
        let mut out: Vec<Ty> = bs.iter().map(|b| self.ty(b, At::Branch)).collect();
        if self.g.rng.chance(35) {
            let extra = match self.g.rng.below(3) {
                0 => Ty::Prim(self.g.rng.pick(&PRIMITIVES)),
                1 => Ty::Array(Box::new(Ty::Prim("int"))),
                _ => {
                    let n = self.g.named("E");
                    let s = self.g.fresh("S");
                    let e = Ty::Enum(n.clone(), vec![s], None);
                    self.defs.insert(n.full(), e.clone());
                    e
                }
            };
            if !out.iter().any(|b| clashes(b, &extra)) {
                self.note("reader union branch added");
                out.push(extra);
            }
        }
        self.g.rng.shuffle(&mut out);
        // Java (and schemactl) read a writer branch as the reader branch of its own type even
        // where an earlier one could take it by promotion; fastavro and the Python port take the
        // first that can, as the specification's words say. Promotion targets therefore come
        // after their sources here, so that both readings agree.
        out.sort_by_key(|b| match b {
            Ty::Prim(p) => PRIMITIVES.iter().position(|q| q == p).unwrap_or(0) + 1,
            _ => 0,
        });
        Ty::Union(out)
    }
}

// ---------------------------------------------------------------------------------------------
// Datums: random values of a parsed writer schema, encoded, with the value they encode

struct Datums<'a> {
    rng: &'a mut Rng,
    schema: &'a AvroSchema,
}

const STRINGS: [&str; 6] = [
    "",
    "a",
    "héllo",
    "ünï€ode 🦀",
    "\u{0}",
    "0b6a8c1e-9d7f-4e2a",
];

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn f32_tag(v: f32) -> Value {
    json!({ "f": format!("{:08x}", v.to_bits()) })
}

fn f64_tag(v: f64) -> Value {
    json!({ "x": format!("{:016x}", v.to_bits()) })
}

impl Datums<'_> {
    /// Writes a random value of node `id` and returns it, tagged as the oracle tags values.
    fn value(&mut self, id: NodeId, depth: usize, out: &mut Vec<u8>) -> Value {
        let deep = depth > 5;
        let schema = self.schema;
        match schema.node(id) {
            Node::Primitive { primitive, logical } => {
                self.primitive(*primitive, logical.is_some(), out)
            }
            Node::Record(r) => {
                let mut m = Map::new();
                for f in &r.fields {
                    let v = self.value(f.ty, depth + 1, out);
                    m.insert(f.name.clone(), v);
                }
                json!({ "m": m })
            }
            Node::Enum(e) => {
                let i = self.rng.below(e.symbols.len());
                enc::write_long(out, i as i64);
                json!({ "s": e.symbols[i] })
            }
            Node::Fixed(f) => {
                let b: Vec<u8> = (0..f.size).map(|_| self.rng.next() as u8).collect();
                out.extend_from_slice(&b);
                json!({ "b": hex(&b) })
            }
            Node::Array { items } => {
                let n = if deep { 0 } else { self.rng.below(4) };
                let items = *items;
                let values = self.blocks(n, out, |d, buf| d.value(items, depth + 1, buf));
                json!({ "a": values })
            }
            Node::Map { values } => {
                let n = if deep { 0 } else { self.rng.below(4) };
                let values = *values;
                let mut keys: Vec<String> = Vec::new();
                let entries = self.blocks(n, out, |d, buf| {
                    let key = format!("{}{}", d.rng.pick(&STRINGS), keys.len());
                    enc::write_str(buf, &key);
                    keys.push(key);
                    d.value(values, depth + 1, buf)
                });
                let m: Map<String, Value> = keys.into_iter().zip(entries).collect();
                json!({ "m": m })
            }
            Node::Union { branches } => {
                // Deep in a recursive type, a branch that ends it.
                let shallow: Vec<usize> = (0..branches.len())
                    .filter(|&i| !matches!(schema.node(branches[i]), Node::Record(_)))
                    .collect();
                let i = if deep && !shallow.is_empty() {
                    self.rng.pick(&shallow)
                } else {
                    self.rng.below(branches.len())
                };
                enc::write_long(out, i as i64);
                self.value(branches[i], depth + 1, out)
            }
        }
    }

    /// `n` items in one or more blocks, sometimes with the negative count and byte size that
    /// the specification allows a writer to use.
    fn blocks(
        &mut self,
        n: usize,
        out: &mut Vec<u8>,
        mut item: impl FnMut(&mut Self, &mut Vec<u8>) -> Value,
    ) -> Vec<Value> {
        let mut values = Vec::new();
        let mut left = n;
        while left > 0 {
            let k = 1 + self.rng.below(left);
            let mut buf = Vec::new();
            for _ in 0..k {
                values.push(item(self, &mut buf));
            }
            if self.rng.chance(25) {
                enc::write_long(out, -(k as i64));
                enc::write_long(out, buf.len() as i64);
            } else {
                enc::write_long(out, k as i64);
            }
            out.extend_from_slice(&buf);
            left -= k;
        }
        out.push(0);
        values
    }

    fn primitive(&mut self, p: Primitive, logical: bool, out: &mut Vec<u8>) -> Value {
        let rng = &mut *self.rng;
        match p {
            Primitive::Null => Value::Null,
            Primitive::Boolean => {
                let b = rng.chance(50);
                enc::write_bool(out, b);
                json!(b)
            }
            // Logical values stay within what a date or time can hold.
            Primitive::Int if logical => {
                let v = rng.below(80_000_000) as i32;
                enc::write_int(out, v);
                json!({ "i": v })
            }
            Primitive::Int => {
                let v = match rng.below(4) {
                    0 => rng.pick(&[0, -1, 1, i32::MAX, i32::MIN, 16_777_217, -16_777_217]),
                    _ => rng.next() as i32 >> rng.below(31),
                };
                enc::write_int(out, v);
                json!({ "i": v })
            }
            Primitive::Long if logical => {
                let v = rng.below(1 << 50) as i64;
                enc::write_long(out, v);
                json!({ "i": v })
            }
            Primitive::Long => {
                let v = match rng.below(4) {
                    0 => rng.pick(&[
                        0,
                        i64::MAX,
                        i64::MIN,
                        9_007_199_254_740_993,
                        -9_007_199_254_740_993,
                        16_777_217,
                    ]),
                    _ => rng.next() as i64 >> rng.below(63),
                };
                enc::write_long(out, v);
                json!({ "i": v })
            }
            Primitive::Float => {
                let v = match rng.below(4) {
                    0 => rng.pick(&[
                        0.0,
                        -0.0,
                        f32::INFINITY,
                        f32::NEG_INFINITY,
                        f32::NAN,
                        f32::MIN_POSITIVE / 2.0,
                        f32::MAX,
                    ]),
                    _ => {
                        let v = f32::from_bits(rng.next() as u32);
                        if v.is_nan() {
                            1.5
                        } else {
                            v
                        }
                    }
                };
                enc::write_float(out, v);
                f32_tag(v)
            }
            Primitive::Double => {
                let v = match rng.below(4) {
                    0 => rng.pick(&[
                        0.0,
                        -0.0,
                        f64::INFINITY,
                        f64::NAN,
                        5e-324,
                        0.464_978_138_955_366_44,
                        f64::MAX,
                    ]),
                    _ => {
                        let v = f64::from_bits(rng.next());
                        if v.is_nan() {
                            -2.5
                        } else {
                            v
                        }
                    }
                };
                enc::write_double(out, v);
                f64_tag(v)
            }
            Primitive::String => {
                let s = rng.pick(&STRINGS);
                enc::write_str(out, s);
                json!({ "s": s })
            }
            // A decimal's bytes are any two's complement integer; other bytes anything.
            Primitive::Bytes => {
                let b: Vec<u8> = (0..rng.below(6)).map(|_| rng.next() as u8).collect();
                enc::write_bytes(out, &b);
                json!({ "b": hex(&b) })
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Our side: resolve, then decode the reader's encoding

/// Reads a value of the reader schema from its encoding, tagged as the oracle tags values
/// (floats as `f` with their 32 bits, so that a float can be told from a double).
fn decode(s: &AvroSchema, id: NodeId, r: &mut Reader<'_>) -> Result<Value, String> {
    let e = |e: enc::DecodeError| e.to_string();
    Ok(match s.node(id) {
        Node::Primitive { primitive, .. } => match primitive {
            Primitive::Null => Value::Null,
            Primitive::Boolean => json!(r.read_bool().map_err(e)?),
            Primitive::Int => json!({ "i": r.read_int().map_err(e)? }),
            Primitive::Long => json!({ "i": r.read_long().map_err(e)? }),
            Primitive::Float => f32_tag(r.read_float().map_err(e)?),
            Primitive::Double => f64_tag(r.read_double().map_err(e)?),
            Primitive::String => json!({ "s": r.read_str().map_err(e)? }),
            Primitive::Bytes => json!({ "b": hex(r.read_bytes_ref().map_err(e)?) }),
        },
        Node::Record(rec) => {
            let mut m = Map::new();
            for f in &rec.fields {
                m.insert(f.name.clone(), decode(s, f.ty, r)?);
            }
            json!({ "m": m })
        }
        Node::Enum(en) => {
            json!({ "s": en.symbols[r.read_enum_index(en.symbols.len()).map_err(e)?] })
        }
        Node::Fixed(f) => json!({ "b": hex(r.take(f.size).map_err(e)?) }),
        Node::Array { items } => {
            let mut values = Vec::new();
            loop {
                let n = r.read_block_count(s.encodes_empty(*items)).map_err(e)?;
                if n == 0 {
                    break;
                }
                for _ in 0..n {
                    values.push(decode(s, *items, r)?);
                }
            }
            json!({ "a": values })
        }
        Node::Map { values } => {
            let mut m = Map::new();
            loop {
                let n = r.read_block_count(false).map_err(e)?;
                if n == 0 {
                    break;
                }
                for _ in 0..n {
                    let k = r.read_str().map_err(e)?.to_string();
                    m.insert(k, decode(s, *values, r)?);
                }
            }
            json!({ "m": m })
        }
        Node::Union { branches } => {
            let i = r.read_union_index(branches.len()).map_err(e)?;
            decode(s, branches[i], r)?
        }
    })
}

fn resolve(writer: &AvroSchema, reader: &AvroSchema, datum: &[u8]) -> Result<Value, String> {
    let bytes = transcode(writer, reader, datum).map_err(|e| format!("transcode: {e}"))?;
    let mut r = Reader::new(&bytes);
    let v = decode(reader, reader.root(), &mut r)?;
    if r.remaining() != 0 {
        return Err(format!("{} bytes left after the value", r.remaining()));
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------------
// Comparing values

/// How a reference's value was accepted as equal to ours, beyond identity: the Python port
/// returns a promoted value as the writer's (an int read as a float stays an int, a string read
/// as bytes stays a str) and a `float` default as the JSON double; the comparison applies the
/// promotion the specification defines, exactly, and counts each use.
fn same(ours: &Value, theirs: &Value, used: &mut BTreeMap<&'static str, usize>) -> bool {
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    let int = |v: &Value| v.get("i").and_then(Value::as_i64);
    let double = |v: &Value| text(v, "x").and_then(|h| u64::from_str_radix(&h, 16).ok());
    let mut note = |what: &'static str| {
        *used.entry(what).or_default() += 1;
        true
    };
    match (ours, theirs) {
        (Value::Object(o), _) if o.contains_key("f") => {
            let ours = text(ours, "f").and_then(|h| u32::from_str_radix(&h, 16).ok());
            let theirs = match (int(theirs), double(theirs)) {
                (Some(i), _) => {
                    Some((i as f32).to_bits()).filter(|_| note("unpromoted int/long as float"))
                }
                // A float read from the datum is exact as a double; a default is narrowed.
                (_, Some(bits)) => Some((f64::from_bits(bits) as f32).to_bits()),
                _ => None,
            };
            ours.is_some() && ours == theirs
        }
        (Value::Object(o), _) if o.contains_key("x") => match int(theirs) {
            Some(i) => {
                note("unpromoted int/long/float as double");
                double(ours) == Some((i as f64).to_bits())
            }
            None => double(ours).is_some() && double(ours) == double(theirs),
        },
        (Value::Object(o), _) if o.contains_key("b") || o.contains_key("s") => {
            let bytes = |v: &Value| match (text(v, "b"), text(v, "s")) {
                (Some(h), _) => Some(h),
                (_, Some(s)) => Some(hex(s.as_bytes())),
                _ => None,
            };
            if o.contains_key("b") != theirs.get("b").is_some() {
                note("unconverted string/bytes");
            }
            bytes(ours).is_some() && bytes(ours) == bytes(theirs)
        }
        (Value::Object(o), Value::Object(t)) if o.contains_key("a") => {
            match (o["a"].as_array(), t.get("a").and_then(Value::as_array)) {
                (Some(a), Some(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y, used))
                }
                _ => false,
            }
        }
        (Value::Object(o), Value::Object(t)) if o.contains_key("m") => {
            match (o["m"].as_object(), t.get("m").and_then(Value::as_object)) {
                (Some(a), Some(b)) => {
                    a.len() == b.len()
                        && a.iter()
                            .all(|(k, x)| b.get(k).is_some_and(|y| same(x, y, used)))
                }
                _ => false,
            }
        }
        _ => ours == theirs,
    }
}

// ---------------------------------------------------------------------------------------------
// The test

struct Case {
    writer_text: String,
    reader_text: String,
    /// Ways in which the Python port may read this pair otherwise (`PORT_DEPARTURES`).
    departures: Vec<&'static str>,
    datums: Vec<(Vec<u8>, Value)>,
    ours: Vec<Result<Value, String>>,
}

fn generate(seed: u64, seen: &mut BTreeMap<&'static str, usize>) -> Vec<Case> {
    let mut rng = Rng(seed);
    let mut cases = Vec::with_capacity(PAIRS);
    let mut not_compatible = Vec::new();
    while cases.len() < PAIRS {
        let namespace = rng.pick(&NAMESPACES);
        let mut g = Gen {
            rng: &mut rng,
            next_name: 0,
            namespace,
            defs: HashMap::new(),
            open: Vec::new(),
            seen: &mut *seen,
        };
        let root = if g.rng.chance(90) {
            g.record(0)
        } else {
            g.ty(1)
        };
        let writer_defs = std::mem::take(&mut g.defs);
        let writer_text = render(&root, &writer_defs);
        let mut d = Derive {
            g: &mut g,
            writer_defs: &writer_defs,
            renamed: HashMap::new(),
            defs: HashMap::new(),
            departures: Default::default(),
        };
        let reader_root = d.ty(&root, At::Field);
        let reader_defs = std::mem::take(&mut d.defs);
        let departures: Vec<&'static str> = d.departures.iter().copied().collect();
        let reader_text = render(&reader_root, &reader_defs);

        let parsed = |source: &str, text: &str| {
            let schema = Schema::parse_avro(source, text).unwrap_or_else(|e| {
                panic!(
                    "the generator wrote an invalid {source}: {e}\n{text}\nwriter: {writer_text}"
                )
            });
            let avro = parse(source, text).expect("parses as above");
            (schema, avro)
        };
        let (writer_schema, writer) = parsed("writer", &writer_text);
        let (reader_schema, reader) = parsed("reader", &reader_text);
        let compatible = compat::is_compatible(
            &reader_schema,
            &[(1, &writer_schema)],
            Level::Backward,
            &Options::default(),
        )
        .expect("both are Avro");
        if !compatible {
            let report = compat::check(
                &reader_schema,
                &[(1, &writer_schema)],
                Level::Backward,
                &Options::default(),
            )
            .expect("both are Avro");
            let kinds: Vec<&str> = report.messages.iter().map(|m| m.kind).collect();
            not_compatible.push(format!(
                "{kinds:?}\nwriter: {writer_text}\nreader: {reader_text}"
            ));
        }

        let mut datums = Vec::with_capacity(DATUMS_PER_PAIR);
        let mut ours = Vec::with_capacity(DATUMS_PER_PAIR);
        for _ in 0..DATUMS_PER_PAIR {
            let mut bytes = Vec::new();
            let value = Datums {
                rng: &mut rng,
                schema: &writer,
            }
            .value(writer.root(), 0, &mut bytes);
            ours.push(resolve(&writer, &reader, &bytes));
            datums.push((bytes, value));
        }
        cases.push(Case {
            writer_text,
            reader_text,
            departures,
            datums,
            ours,
        });
    }
    assert!(
        not_compatible.is_empty(),
        "{} of {PAIRS} derived readers are judged incompatible with their writers; first ones:\n{}",
        not_compatible.len(),
        not_compatible[..not_compatible.len().min(5)].join("\n\n")
    );
    cases
}

#[test]
fn resolved_values_equal_the_python_readers() {
    let seed = std::env::var("SCHEMACTL_RESOLVE_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    let mut seen = BTreeMap::new();
    let cases = generate(seed, &mut seen);
    let requests: Vec<Value> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "id": i,
                "writer": c.writer_text,
                "reader": c.reader_text,
                "datums": c.datums.iter().map(|(b, _)| hex(b)).collect::<Vec<_>>(),
            })
        })
        .collect();
    let answers = ask_oracle(&requests);

    let mut failures = Vec::new();
    let mut by_port = 0;
    let mut by_fastavro: BTreeMap<String, usize> = BTreeMap::new();
    let mut allowances = BTreeMap::new();
    let mut total = 0;
    let mut not_utf8 = 0;
    for (i, (case, answer)) in cases.iter().zip(&answers).enumerate() {
        for (j, ((bytes, written), ours)) in case.datums.iter().zip(&case.ours).enumerate() {
            total += 1;
            let result = |who: &str| answer[who][j].clone();
            let mut fail = |why: String| {
                failures.push(format!(
                    "pair {i} datum {j}: {why}\nwriter: {}\nreader: {}\ndatum: {}\nours: {ours:?}\n\
                     avro: {}\nfastavro: {}",
                    case.writer_text,
                    case.reader_text,
                    hex(bytes),
                    result("avro"),
                    result("fastavro")
                ))
            };
            // The port reading with the writer schema alone must see what was written.
            match result("self").get("v") {
                Some(v) if same(written, v, &mut BTreeMap::new()) => {}
                _ => {
                    fail(format!(
                        "the test's encoder: wrote {written}, the port read {}",
                        result("self")
                    ));
                    continue;
                }
            }
            let Ok(ours) = ours else {
                // Random bytes read as a string: not UTF-8, which fastavro refuses too.
                let fast = result("fastavro");
                let fast_error = fast.get("error").and_then(Value::as_str).unwrap_or("");
                if ours.as_ref().is_err_and(|e| e.contains("UTF-8"))
                    && fast_error.starts_with("UnicodeDecodeError")
                {
                    not_utf8 += 1;
                } else {
                    fail("schemactl failed to resolve a compatible pair".into());
                }
                continue;
            };
            if let Some(v) = result("avro").get("v") {
                if same(ours, v, &mut allowances) {
                    by_port += 1;
                    continue;
                }
            }
            let fast = result("fastavro");
            let fast_agrees = fast
                .get("v")
                .is_some_and(|v| same(ours, v, &mut allowances));
            match (fast_agrees, case.departures.is_empty()) {
                (true, false) => *by_fastavro.entry(case.departures.join("+")).or_default() += 1,
                (true, true) => {
                    fail("the port differs in no listed way (fastavro agrees with us)".into())
                }
                (false, _) => fail("both references differ from schemactl".into()),
            }
        }
    }
    for key in by_fastavro.keys() {
        for d in key.split('+') {
            assert!(
                PORT_DEPARTURES.iter().any(|(k, _)| *k == d),
                "{d} is not listed"
            );
        }
    }
    eprintln!(
        "{total} datums over {} pairs: {by_port} equal to the Python port's values, \
         {not_utf8} bytes read as a string refused as not UTF-8 (as fastavro does), \
         {by_fastavro:?} equal to fastavro's where the port departs; comparisons with a \
         promotion the port leaves out: {allowances:?}\nchanges made: {seen:?}",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} resolved values differ (seed {seed}); first ones:\n{}",
        failures.len(),
        failures[..failures.len().min(4)].join("\n\n")
    );
    // Every kind of writer type and reader change must have been exercised.
    for what in [
        "writer record",
        "writer enum",
        "writer fixed",
        "writer array",
        "writer map",
        "writer union",
        "writer logical",
        "writer reference",
        "writer recursion",
        "reader field added with default",
        "reader field removed",
        "reader field renamed with alias",
        "reader fields reordered",
        "reader numeric promotion",
        "reader string<->bytes",
        "reader union around a writer value",
        "reader non-union for a writer union",
        "reader union branch added",
        "reader enum symbol added",
        "reader enum symbol removed, reader default",
        "reader enum default",
        "reader named type renamed with alias",
        "reader namespace changed with alias",
        "reader added named-type field",
    ] {
        assert!(
            seen.get(what).copied().unwrap_or(0) >= 10,
            "{what}: made {:?} times, too rarely for the comparison to cover it",
            seen.get(what)
        );
    }
    assert!(
        by_port * 4 > total,
        "only {by_port} of {total} values compared with the Python port itself"
    );
}

/// A `bytes` or `fixed` default is a JSON string whose code points 0-255 are the bytes (the
/// specification), and a record default that leaves a field out takes that field's own default
/// (as Java reads it). The references differ here, so this is checked on its own: the Python
/// port encodes the string as UTF-8 (`\u00ff` becomes `c3 bf`), fastavro returns the string and
/// leaves the field out.
#[test]
fn bytes_defaults_are_code_points() {
    let writer = parse("w", r#"{"type":"record","name":"R","fields":[]}"#).unwrap();
    let reader = parse(
        "r",
        r#"{"type":"record","name":"R","fields":[
        {"name":"b","type":"bytes","default":"\u00ff\u0000\u00e9"},
        {"name":"x","type":{"type":"fixed","name":"X","size":2},"default":"\u0080\u0001"},
        {"name":"r","type":{"type":"record","name":"In","fields":[
            {"name":"a","type":"int"},{"name":"b","type":"long","default":7}]},"default":{"a":1}}]}"#,
    )
    .unwrap();
    assert_eq!(
        resolve(&writer, &reader, &[]).unwrap(),
        json!({"m": {"b": {"b": "ff00e9"}, "x": {"b": "8001"},
            "r": {"m": {"a": {"i": 1}, "b": {"i": 7}}}}})
    );
}
