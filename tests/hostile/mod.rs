//! Generators of hostile schema inputs: deep nesting, long chains of named types, huge enums
//! and unions, and seeded random schemas and byte mutations. Every generator is a pure function
//! of its size arguments (and seed), so a failure reproduces from the test's name alone.
//!
//! Shared by the engine tests (`tests/engine_hostile.rs`) and meant for the `fuzz/` crate's
//! seed corpora and structure-aware targets (`#[path = "../tests/hostile/mod.rs"] mod hostile;`):
//! it depends on nothing but `std`.

#![allow(dead_code)]

use std::fmt::Write;

/// `{"type":"array","items":…}` nested `depth` times around `"int"`.
pub fn avro_nested_arrays(depth: usize) -> String {
    let mut s = String::with_capacity(depth * 30);
    for _ in 0..depth {
        s.push_str(r#"{"type":"array","items":"#);
    }
    s.push_str(r#""int""#);
    for _ in 0..depth {
        s.push('}');
    }
    s
}

/// A union of `n` records chained by name: `R{k}` has a field of type `R{k+1}`, and the last
/// has a field of type `last` (an Avro type name, e.g. `"int"`). Records are defined before use,
/// so the union lists `R{n}` first.
pub fn avro_union_chain(n: usize, last: &str) -> String {
    let mut s = String::from("[");
    for k in (1..=n).rev() {
        if k < n {
            s.push(',');
        }
        let ty = if k == n {
            format!("\"{last}\"")
        } else {
            format!("\"R{}\"", k + 1)
        };
        let _ = write!(
            s,
            r#"{{"type":"record","name":"R{k}","fields":[{{"name":"next","type":{ty}}}]}}"#
        );
    }
    s.push(']');
    s
}

/// The records of [`avro_union_chain`] as the fields of one record instead of a union.
pub fn avro_field_chain(n: usize, last: &str) -> String {
    let union = avro_union_chain(n, last);
    let records = &union[1..union.len() - 1];
    // Each record definition becomes the type of a field `f{k}`.
    let mut s = String::from(r#"{"type":"record","name":"Holder","fields":["#);
    let mut depth = 0usize;
    let mut start = 0;
    let mut index = 0;
    for (i, c) in records.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    if index > 0 {
                        s.push(',');
                    }
                    let _ = write!(s, r#"{{"name":"f{index}","type":{}}}"#, &records[start..=i]);
                    index += 1;
                }
            }
            _ => {}
        }
    }
    s.push_str("]}");
    s
}

/// An enum of `n` symbols `S0 … S{n-1}`.
pub fn avro_enum(name: &str, n: usize) -> String {
    let mut s = format!(r#"{{"type":"enum","name":"{name}","symbols":["#);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let _ = write!(s, "\"S{i}\"");
    }
    s.push_str("]}");
    s
}

/// A chain of `n` records spread over schema references, as a registry holds them: reference
/// `k` defines `C{k}` with a field of type `C{k-1}` (`C0` holds `last`), and the root is a record
/// whose field is `C{n}`. Returns `(references as (name, text), root text)`. Every record's
/// field takes `fields` copies (`a0`, `a1` …) of the same type: two or more make the types a
/// DAG whose paths double at each level.
pub fn avro_reference_chain(
    n: usize,
    fields: usize,
    last: &str,
) -> (Vec<(String, String)>, String) {
    let mut refs = Vec::with_capacity(n + 1);
    for k in 0..=n {
        let ty = if k == 0 {
            format!("\"{last}\"")
        } else {
            format!("\"C{}\"", k - 1)
        };
        let members: Vec<String> = (0..fields)
            .map(|i| format!(r#"{{"name":"a{i}","type":{ty}}}"#))
            .collect();
        let text = format!(
            r#"{{"type":"record","name":"C{k}","fields":[{}]}}"#,
            members.join(",")
        );
        refs.push((format!("c{k}.avsc"), text));
    }
    let root =
        format!(r#"{{"type":"record","name":"Root","fields":[{{"name":"head","type":"C{n}"}}]}}"#);
    (refs, root)
}

/// A `.proto` file of `n` messages chained by field type: `C{k}` has `C{k+1} next = 1;` and the
/// last has `{last_field}` (e.g. `int32 x = 1;`).
pub fn proto_chain(n: usize, last_field: &str) -> String {
    let mut s = String::from("syntax = \"proto3\";\n");
    for k in 1..=n {
        if k < n {
            let _ = writeln!(s, "message C{k} {{ C{} next = 1; }}", k + 1);
        } else {
            let _ = writeln!(s, "message C{k} {{ {last_field} }}");
        }
    }
    s
}

/// A `.proto` file importing `import` whose `Root` message holds a `C1`.
pub fn proto_root(import: &str) -> String {
    format!("syntax = \"proto3\";\nimport \"{import}\";\nmessage Root {{ C1 head = 1; }}\n")
}

/// A `.proto` file of `depth` messages each declared inside the previous, each with a field
/// of the next one's type.
pub fn proto_nested(depth: usize) -> String {
    let mut s = String::from("syntax = \"proto3\";\n");
    for i in 0..depth {
        let _ = write!(s, "message M{i} {{ int32 x = 1; ");
        if i + 1 < depth {
            let _ = write!(s, "M{} next = 2; ", i + 1);
        }
    }
    for _ in 0..depth {
        s.push_str("}\n");
    }
    s
}

/// A `.proto` file with one message `Base`, then `added` more messages `M0 …` of `fields`
/// fields each.
pub fn proto_many_messages(added: usize, fields: usize) -> String {
    let mut s =
        String::from("syntax = \"proto3\";\npackage wide;\n\nmessage Base {\n  int64 id = 1;\n}\n");
    for m in 0..added {
        let _ = writeln!(s, "\nmessage M{m} {{");
        for f in 1..=fields {
            let _ = writeln!(s, "  string f{f} = {f};");
        }
        s.push_str("}\n");
    }
    s
}

/// A `.proto` enum with `n` values and a message reserving every field number.
pub fn proto_wide_reservations(n: usize) -> String {
    let mut s = String::from("syntax = \"proto3\";\nenum Big {\n");
    for i in 0..n {
        let _ = writeln!(s, "  V{i} = {i};");
    }
    s.push_str(
        "  reserved 100000 to max;\n}\nmessage Wide {\n  reserved 2 to max;\n  int32 id = 1;\n}\n",
    );
    s
}

/// A small deterministic generator (xorshift64*): no dependency, same stream on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// A random valid Avro schema of about `budget` types: records, enums, fixed, arrays, maps,
/// unions and references back to named types defined earlier (so recursion happens), nested
/// up to `max_depth` levels.
pub fn avro_random(rng: &mut Rng, budget: usize, max_depth: usize) -> String {
    struct Gen<'r> {
        rng: &'r mut Rng,
        budget: usize,
        names: Vec<String>,
        open: Vec<String>,
    }
    impl Gen<'_> {
        fn ty(&mut self, depth: usize) -> String {
            const PRIMS: [&str; 8] = [
                "null", "boolean", "int", "long", "float", "double", "bytes", "string",
            ];
            if self.budget == 0 || depth == 0 {
                return format!("\"{}\"", PRIMS[self.rng.below(PRIMS.len())]);
            }
            self.budget -= 1;
            match self.rng.below(9) {
                0 | 1 => {
                    let name = format!("T{}", self.names.len() + self.open.len());
                    self.open.push(name.clone());
                    let n = 1 + self.rng.below(4);
                    let fields: Vec<String> = (0..n)
                        .map(|i| {
                            let ty = self.ty(depth - 1);
                            let optional = !ty.starts_with('[') && ty != "\"null\"";
                            if optional && self.rng.chance(30) {
                                format!(r#"{{"name":"f{i}","type":["null",{ty}],"default":null}}"#)
                            } else {
                                format!(r#"{{"name":"f{i}","type":{ty}}}"#)
                            }
                        })
                        .collect();
                    self.open.pop();
                    self.names.push(name.clone());
                    format!(
                        r#"{{"type":"record","name":"{name}","fields":[{}]}}"#,
                        fields.join(",")
                    )
                }
                2 => {
                    let name = format!("T{}", self.names.len() + self.open.len());
                    self.names.push(name.clone());
                    let n = 1 + self.rng.below(5);
                    let symbols: Vec<String> = (0..n).map(|i| format!("\"E{i}\"")).collect();
                    format!(
                        r#"{{"type":"enum","name":"{name}","symbols":[{}]}}"#,
                        symbols.join(",")
                    )
                }
                3 => {
                    let name = format!("T{}", self.names.len() + self.open.len());
                    self.names.push(name.clone());
                    format!(
                        r#"{{"type":"fixed","name":"{name}","size":{}}}"#,
                        self.rng.below(20)
                    )
                }
                4 => format!(r#"{{"type":"array","items":{}}}"#, self.ty(depth - 1)),
                5 => format!(r#"{{"type":"map","values":{}}}"#, self.ty(depth - 1)),
                6 => {
                    // A union of distinct kinds: null, one named type or primitive, an array.
                    let inner = self.ty(depth - 1);
                    if inner.starts_with('[') || inner == "\"null\"" {
                        return inner;
                    }
                    format!(r#"["null",{inner}]"#)
                }
                // A reference to a named type defined (or being defined) earlier: recursion.
                _ => {
                    let all: Vec<&String> = self.names.iter().chain(self.open.iter()).collect();
                    if all.is_empty() {
                        "\"int\"".to_string()
                    } else {
                        format!("\"{}\"", all[self.rng.below(all.len())])
                    }
                }
            }
        }
    }
    let mut g = Gen {
        rng,
        budget,
        names: Vec::new(),
        open: vec!["Root".to_string()],
    };
    let n = 1 + g.rng.below(5);
    let fields: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"r{i}","type":{}}}"#, g.ty(max_depth)))
        .collect();
    format!(
        r#"{{"type":"record","name":"Root","fields":[{}]}}"#,
        fields.join(",")
    )
}

/// A random valid `.proto` file: `messages` top-level messages with scalar, enum, map, repeated
/// and message-typed fields (referring to any message, so cycles happen), oneofs and nested
/// messages up to `max_depth` levels.
pub fn proto_random(rng: &mut Rng, messages: usize, max_depth: usize) -> String {
    const SCALARS: [&str; 8] = [
        "int32", "int64", "uint32", "sint64", "fixed32", "string", "bytes", "bool",
    ];
    fn message(rng: &mut Rng, name: &str, messages: usize, depth: usize, out: &mut String) {
        let _ = writeln!(out, "message {name} {{");
        let fields = 1 + rng.below(6);
        let mut number = 1;
        for i in 0..fields {
            let ty = match rng.below(5) {
                0 => format!("M{}", rng.below(messages)),
                1 => "Color".to_string(),
                2 => format!("map<string, {}>", SCALARS[rng.below(SCALARS.len())]),
                _ => SCALARS[rng.below(SCALARS.len())].to_string(),
            };
            let repeated = !ty.starts_with("map") && rng.chance(20);
            if rng.chance(10) && !ty.starts_with("map") {
                let _ = writeln!(out, "  oneof o{i} {{ {ty} f{i} = {number}; }}");
            } else {
                let label = if repeated { "repeated " } else { "" };
                let _ = writeln!(out, "  {label}{ty} f{i} = {number};");
            }
            number += 1 + rng.below(3);
        }
        if depth > 0 && rng.chance(30) {
            message(rng, &format!("{name}N"), messages, depth - 1, out);
        }
        out.push_str("}\n");
    }
    let mut out =
        String::from("syntax = \"proto3\";\npackage r;\nenum Color { RED = 0; GREEN = 1; }\n");
    for m in 0..messages.max(1) {
        message(rng, &format!("M{m}"), messages.max(1), max_depth, &mut out);
    }
    out
}

/// `text` with a few random bytes replaced, inserted or deleted (not necessarily UTF-8 clean:
/// lossily converted back, as a loader would reject or replace bad bytes).
pub fn mutate(rng: &mut Rng, text: &str, edits: usize) -> String {
    const BYTES: &[u8] = b"{}[]\":,0123456789 \n\\abcdefghijklmnopqrstuvwxyz;=<>.-";
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..edits {
        let at = if bytes.is_empty() {
            0
        } else {
            rng.below(bytes.len())
        };
        match rng.below(3) {
            0 if !bytes.is_empty() => bytes[at] = BYTES[rng.below(BYTES.len())],
            1 => bytes.insert(at, BYTES[rng.below(BYTES.len())]),
            _ if !bytes.is_empty() => {
                bytes.remove(at);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
