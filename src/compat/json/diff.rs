//! The walk behind [`super::check_direction`]: pairs of (original, update) subschemas on a heap
//! work list, each compared keyword group by keyword group. `$ref`s are followed through a table
//! built once per check; a pair already compared is not compared again (so recursive schemas end
//! and a report is never larger than the two schemas). Where a rule needs to know whether one
//! subschema accepts what another does (combined types, partially open content models, `not`),
//! a nested diff answers, memoized per pair and nested at most [`MAX_NESTING`] deep.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::{Map, Value};

use super::rules::{self as r, Rule};
use super::JsonPolicy;
use crate::schema::json::JsonSchema;

/// How deeply "is this subschema compatible with that one" questions may nest (a `oneOf` inside
/// a `oneOf` through `$ref`s …). Deeper, two subschemas are compatible only when equal.
pub const MAX_NESTING: usize = 32;
/// The most subschema pairs one combined type compares for its matching (after identical
/// subschemas are paired for free); subschemas beyond it count as unmatched.
pub const MAX_MATCH_PAIRS: usize = 10_000;

/// One difference found, before it is worded.
pub struct Found {
    pub rule: &'static Rule,
    /// JSON-pointer style path without the leading `#` ("" for the root).
    pub path: String,
    pub keyword: &'static str,
    pub name: String,
    /// The original's and the update's value, rendered.
    pub was: String,
    pub now: String,
}

type Pair<'a> = (&'a Value, &'a Value, P);

/// Hashes subschema addresses, the walk's hottest keys: SipHash's defence against chosen keys
/// buys nothing for addresses the input cannot choose, and cost more than the comparisons.
#[derive(Default)]
struct AddrHasher(u64);

impl Hasher for AddrHasher {
    fn finish(&self) -> u64 {
        // SplitMix64's finalizer: addresses share their low bits, the table indexes by them.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type AddrMap<K, V> = HashMap<K, V, BuildHasherDefault<AddrHasher>>;

pub struct Walker<'a> {
    /// `$ref` holder (by address) → the schema it finally names.
    refs: AddrMap<usize, &'a Value>,
    policy: JsonPolicy,
    verdicts: AddrMap<(usize, usize), bool>,
    nesting: usize,
}

/// [`Value::pointer`] without its two string copies per step when a step has nothing escaped
/// (a wide schema's `$ref` table resolves one pointer per reference per check).
fn pointer<'v>(root: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(root);
    }
    let steps = pointer.strip_prefix('/')?;
    steps.split('/').try_fold(root, |target, step| {
        let step = if step.contains('~') {
            Cow::Owned(step.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(step)
        };
        match target {
            Value::Object(map) => map.get(step.as_ref()),
            Value::Array(list) => {
                if step.starts_with('+') || (step.starts_with('0') && step.len() != 1) {
                    return None;
                }
                list.get(step.parse::<usize>().ok()?)
            }
            _ => None,
        }
    })
}

fn addr(v: &Value) -> usize {
    v as *const Value as usize
}

/// Keywords that do not constrain values: a schema of only these accepts everything.
const ANNOTATIONS: &[&str] = &[
    "$schema",
    "$id",
    "id",
    "$comment",
    "$anchor",
    "$dynamicAnchor",
    "$vocabulary",
    "title",
    "description",
    "default",
    "examples",
    "definitions",
    "$defs",
    "readOnly",
    "writeOnly",
    "deprecated",
    "format",
    "contentEncoding",
    "contentMediaType",
];
/// Stands in for an absent object or list.
static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
static NO_ITEMS: Vec<Value> = Vec::new();

const COMBINATORS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

const NULL: u8 = 1;
const BOOLEAN: u8 = 2;
const OBJECT: u8 = 4;
const ARRAY: u8 = 8;
const NUMBER: u8 = 16;
const INTEGER: u8 = 32;
const STRING: u8 = 64;
const TYPE_NAMES: [(&str, u8); 7] = [
    ("null", NULL),
    ("boolean", BOOLEAN),
    ("object", OBJECT),
    ("array", ARRAY),
    ("number", NUMBER),
    ("integer", INTEGER),
    ("string", STRING),
];

/// The most JSON values [`same`] looks at: a pair that differs deep down (or is large) costs a
/// bounded extra look before the walk compares it keyword by keyword, so the walk stays linear.
const SAME_BUDGET: usize = 64;

/// Keywords whose meaning depends on where they sit (they resolve elsewhere): equal text under
/// them need not mean equal schemas.
const REFERENCES: [&str; 3] = ["$ref", "$dynamicRef", "$recursiveRef"];

/// True when `o` and `u` are the same small JSON without references: such a pair has no
/// difference at all (every rule compares the two sides' own keywords, and the diff reads both
/// sides the same way whatever their drafts), so the walk skips it. A wide schema compared with
/// its previous version is mostly such pairs.
fn same(o: &Value, u: &Value) -> bool {
    fn within(o: &Value, u: &Value, budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        match (o, u) {
            (Value::Object(a), Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter().zip(b).all(|((ka, va), (kb, vb))| {
                        ka == kb
                            && !(ka.starts_with('$') && REFERENCES.contains(&ka.as_str()))
                            && within(va, vb, budget)
                    })
            }
            (Value::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| within(x, y, budget))
            }
            _ => o == u,
        }
    }
    let mut budget = SAME_BUDGET;
    within(o, u, &mut budget)
}

fn is_false(v: &Value) -> bool {
    v == &Value::Bool(false)
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Object(m) => m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())),
        _ => true,
    }
}

fn render(v: Option<&Value>) -> String {
    match v {
        None => "(none)".to_string(),
        Some(v) => v.to_string(),
    }
}

fn type_mask(m: &Map<String, Value>) -> Option<u8> {
    let one = |v: &Value| {
        v.as_str()
            .and_then(|s| TYPE_NAMES.iter().find(|(n, _)| *n == s))
            .map_or(0, |(_, b)| *b)
    };
    match m.get("type")? {
        Value::Array(items) => Some(items.iter().fold(0, |acc, v| acc | one(v))),
        v => Some(one(v)),
    }
}

/// The types a schema's keywords speak of when it names none (`properties` → object …).
fn implied(m: &Map<String, Value>) -> u8 {
    let has = |keys: &[&str]| keys.iter().any(|k| m.contains_key(*k));
    let mut mask = 0;
    if has(&["maxLength", "minLength", "pattern"]) {
        mask |= STRING;
    }
    if has(&[
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "multipleOf",
    ]) {
        mask |= NUMBER;
    }
    if has(&[
        "properties",
        "required",
        "additionalProperties",
        "patternProperties",
        "maxProperties",
        "minProperties",
        "dependencies",
        "dependentRequired",
        "dependentSchemas",
        "propertyNames",
        "unevaluatedProperties",
    ]) {
        mask |= OBJECT;
    }
    if has(&[
        "items",
        "prefixItems",
        "additionalItems",
        "maxItems",
        "minItems",
        "uniqueItems",
        "contains",
        "unevaluatedItems",
    ]) {
        mask |= ARRAY;
    }
    mask
}

/// True when every type of `b` is in `a` (an integer is a number).
fn covers(a: u8, b: u8) -> bool {
    let b = if a & NUMBER != 0 { b & !INTEGER } else { b };
    b & !a == 0
}

fn overlaps(a: u8, b: u8) -> bool {
    a & b != 0 || (a & NUMBER != 0 && b & INTEGER != 0) || (b & NUMBER != 0 && a & INTEGER != 0)
}

fn type_text(mask: Option<u8>) -> String {
    match mask {
        None => "any".to_string(),
        Some(mask) => {
            let names: Vec<&str> = TYPE_NAMES
                .iter()
                .filter(|(_, b)| mask & b != 0)
                .map(|(n, _)| *n)
                .collect();
            match names.as_slice() {
                [one] => one.to_string(),
                many => format!("[{}]", many.join(", ")),
            }
        }
    }
}

/// A value in a canonical text (object keys sorted, integral numbers without a fraction), for
/// comparing `enum` members by hash.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                canonical(&m[k], out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical(item, out);
                out.push(',');
            }
            out.push(']');
        }
        Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => out.push_str(&format!("{}", f as i64)),
            _ => out.push_str(&n.to_string()),
        },
        other => out.push_str(&other.to_string()),
    }
}

fn canon(v: &Value) -> String {
    let mut s = String::new();
    canonical(v, &mut s);
    s
}

/// Keyword groups present in a schema object, so that [`Walker::compare`] skips the groups
/// neither side uses: a lookup per keyword per group costs more than the whole comparison of a
/// typical leaf subschema (a thousand-property schema meets each group a thousand times).
mod group {
    pub const ANNOTATED: u16 = 1;
    pub const COMBINED: u16 = 1 << 1;
    pub const STRING: u16 = 1 << 2;
    pub const NUMBER: u16 = 1 << 3;
    pub const OBJECT: u16 = 1 << 4;
    pub const ARRAY: u16 = 1 << 5;
    pub const ENUM: u16 = 1 << 6;
    pub const NOT: u16 = 1 << 7;
    pub const CONTAINS: u16 = 1 << 8;
    pub const PROPERTY_NAMES: u16 = 1 << 9;
    pub const IF: u16 = 1 << 10;
    pub const THEN: u16 = 1 << 11;
    pub const ELSE: u16 = 1 << 12;
}

/// The [`group`]s whose keywords `m` has; must list every keyword the group's function reads.
fn groups(m: &Map<String, Value>) -> u16 {
    use group::*;
    m.keys().fold(0, |acc, key| {
        acc | match key.as_str() {
            "$id" | "id" | "title" | "description" | "default" => ANNOTATED,
            "allOf" | "anyOf" | "oneOf" => COMBINED,
            "maxLength" | "minLength" | "pattern" => STRING,
            "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" | "multipleOf" => {
                NUMBER
            }
            "properties"
            | "required"
            | "additionalProperties"
            | "unevaluatedProperties"
            | "patternProperties"
            | "dependencies"
            | "dependentRequired"
            | "dependentSchemas"
            | "maxProperties"
            | "minProperties" => OBJECT,
            "items" | "prefixItems" | "additionalItems" | "unevaluatedItems" | "maxItems"
            | "minItems" | "uniqueItems" => ARRAY,
            "enum" | "const" => ENUM,
            "not" => NOT,
            "contains" => CONTAINS,
            "propertyNames" => PROPERTY_NAMES,
            "if" => IF,
            "then" => THEN,
            "else" => ELSE,
            _ => 0,
        }
    })
}

/// What an object schema says about properties it does not name.
#[derive(Clone, Copy)]
enum Extra<'a> {
    Any,
    None,
    Schema(&'a Value),
}

fn extra(v: Option<&Value>) -> Extra<'_> {
    match v {
        None => Extra::Any,
        Some(v) if is_false(v) => Extra::None,
        Some(v) if is_empty(v) => Extra::Any,
        Some(v) => Extra::Schema(v),
    }
}

/// `additionalProperties`, else `unevaluatedProperties` (which closes a model the same way).
fn additional_properties(m: &Map<String, Value>) -> Option<&Value> {
    m.get("additionalProperties")
        .or_else(|| m.get("unevaluatedProperties"))
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum Model {
    Open,
    Closed,
    Partial,
}

fn pattern_properties(m: &Map<String, Value>) -> Option<&Map<String, Value>> {
    m.get("patternProperties")
        .and_then(Value::as_object)
        .filter(|p| !p.is_empty())
}

fn model(m: &Map<String, Value>) -> Model {
    match (extra(additional_properties(m)), pattern_properties(m)) {
        (_, Some(_)) | (Extra::Schema(_), None) => Model::Partial,
        (Extra::Any, None) => Model::Open,
        (Extra::None, None) => Model::Closed,
    }
}

/// The schema an object schema applies to a property it does not name.
fn cover<'v>(m: &'v Map<String, Value>, name: &str) -> Extra<'v> {
    if let Some(patterns) = pattern_properties(m) {
        for (pattern, schema) in patterns {
            if regex::Regex::new(pattern).is_ok_and(|re| re.is_match(name)) {
                return Extra::Schema(schema);
            }
        }
    }
    extra(additional_properties(m))
}

/// Whether serde_json's `Map` iterates in key order (its default `BTreeMap`); with its
/// `preserve_order` feature, which any crate in a build can turn on, it keeps insertion order.
static MAPS_SORTED: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
    let mut probe = Map::new();
    probe.insert("b".into(), Value::Null);
    probe.insert("a".into(), Value::Null);
    probe.keys().next().is_some_and(|k| k == "a")
});

/// For each entry of `a`, the value `b` has under the same key; and for each entry of `b`,
/// whether `a` has its key. One merge pass over maps in key order (a string comparison per
/// entry instead of a tree search per lookup, the bulk of comparing wide objects), lookups
/// otherwise.
fn namesakes<'v>(
    a: &'v Map<String, Value>,
    b: &'v Map<String, Value>,
) -> (Vec<Option<&'v Value>>, Vec<bool>) {
    if !*MAPS_SORTED {
        return (
            a.keys().map(|k| b.get(k)).collect(),
            b.keys().map(|k| a.contains_key(k)).collect(),
        );
    }
    let (mut in_b, mut in_a) = (Vec::with_capacity(a.len()), Vec::with_capacity(b.len()));
    let (mut ai, mut bi) = (a.keys().peekable(), b.iter().peekable());
    loop {
        match (ai.peek(), bi.peek()) {
            (Some(ak), Some((bk, bv))) => match ak.as_str().cmp(bk.as_str()) {
                std::cmp::Ordering::Less => {
                    in_b.push(None);
                    ai.next();
                }
                std::cmp::Ordering::Greater => {
                    in_a.push(false);
                    bi.next();
                }
                std::cmp::Ordering::Equal => {
                    in_b.push(Some(*bv));
                    in_a.push(true);
                    ai.next();
                    bi.next();
                }
            },
            (Some(_), None) => {
                in_b.push(None);
                ai.next();
            }
            (None, Some(_)) => {
                in_a.push(false);
                bi.next();
            }
            (None, None) => return (in_b, in_a),
        }
    }
}

fn required(m: &Map<String, Value>) -> HashSet<&str> {
    let Some(names) = m.get("required").and_then(Value::as_array) else {
        return HashSet::new();
    };
    let mut set = HashSet::with_capacity(names.len());
    set.extend(names.iter().filter_map(Value::as_str));
    set
}

fn has_default(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("default"))
}

fn number(m: &Map<String, Value>, key: &str) -> Option<f64> {
    m.get(key).and_then(Value::as_f64)
}

/// `maximum`, `minimum`, `exclusiveMaximum`, `exclusiveMinimum` as numbers (draft 4's boolean
/// `exclusiveMaximum: true` turns `maximum` into an exclusive bound).
fn numeric_bounds(m: &Map<String, Value>) -> [Option<f64>; 4] {
    let split = |bound: &str, exclusive: &str| match m.get(exclusive) {
        Some(Value::Bool(true)) => (None, number(m, bound)),
        Some(Value::Number(n)) => (number(m, bound), n.as_f64()),
        _ => (number(m, bound), None),
    };
    let (max, ex_max) = split("maximum", "exclusiveMaximum");
    let (min, ex_min) = split("minimum", "exclusiveMinimum");
    [max, min, ex_max, ex_min]
}

fn integral(x: f64) -> bool {
    x.is_finite() && (x - x.round()).abs() < 1e-9
}

fn fmt_number(x: Option<f64>) -> String {
    match x {
        None => "(none)".to_string(),
        Some(x) if integral(x) && x.abs() < 1e15 => format!("{}", x as i64),
        Some(x) => x.to_string(),
    }
}

/// A path in the walk: shared by every pair below it, so a deep walk costs no more than a
/// shallow one until a finding spells its path out.
pub struct PathNode {
    parent: Option<P>,
    segment: String,
    depth: usize,
}

pub type P = std::rc::Rc<PathNode>;

impl Drop for PathNode {
    /// Unlinks the parents one by one: a path thousands of `$ref`s deep would otherwise be
    /// dropped by as many nested calls.
    fn drop(&mut self) {
        let mut parent = self.parent.take();
        while let Some(node) = parent {
            parent = match P::try_unwrap(node) {
                Ok(mut node) => node.parent.take(),
                Err(_) => None,
            };
        }
    }
}

fn root() -> P {
    P::new(PathNode {
        parent: None,
        segment: String::new(),
        depth: 0,
    })
}

fn child(path: &P, key: &str) -> P {
    P::new(PathNode {
        parent: Some(path.clone()),
        segment: escape(key),
        depth: path.depth + 1,
    })
}

/// Paths longer than this many steps (only `$ref` chains make them) keep their first and last
/// steps around a `…`, so that a report stays linear in the size of the schemas.
pub const MAX_PATH_STEPS: usize = 64;

fn spell(path: &P) -> String {
    let mut segments = Vec::with_capacity(path.depth.min(MAX_PATH_STEPS + 1));
    let mut node = Some(path);
    while let Some(n) = node {
        if n.parent.is_some() {
            let keep =
                n.depth <= MAX_PATH_STEPS / 4 || n.depth + MAX_PATH_STEPS * 3 / 4 > path.depth;
            if keep {
                segments.push(n.segment.as_str());
            } else if segments.last() != Some(&"…") {
                segments.push("…");
            }
        }
        node = n.parent.as_ref();
    }
    segments.reverse();
    segments.iter().map(|s| format!("/{s}")).collect()
}

fn escape(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// The four rules of a bound keyword: added, removed, increased, decreased.
type Bound = (&'static str, [&'static Rule; 4]);
const MAX_LENGTH: Bound = (
    "maxLength",
    [
        &r::MAX_LENGTH_ADDED,
        &r::MAX_LENGTH_REMOVED,
        &r::MAX_LENGTH_INCREASED,
        &r::MAX_LENGTH_DECREASED,
    ],
);
const MIN_LENGTH: Bound = (
    "minLength",
    [
        &r::MIN_LENGTH_ADDED,
        &r::MIN_LENGTH_REMOVED,
        &r::MIN_LENGTH_INCREASED,
        &r::MIN_LENGTH_DECREASED,
    ],
);
const MAXIMUM: Bound = (
    "maximum",
    [
        &r::MAXIMUM_ADDED,
        &r::MAXIMUM_REMOVED,
        &r::MAXIMUM_INCREASED,
        &r::MAXIMUM_DECREASED,
    ],
);
const MINIMUM: Bound = (
    "minimum",
    [
        &r::MINIMUM_ADDED,
        &r::MINIMUM_REMOVED,
        &r::MINIMUM_INCREASED,
        &r::MINIMUM_DECREASED,
    ],
);
const EXCLUSIVE_MAXIMUM: Bound = (
    "exclusiveMaximum",
    [
        &r::EXCLUSIVE_MAXIMUM_ADDED,
        &r::EXCLUSIVE_MAXIMUM_REMOVED,
        &r::EXCLUSIVE_MAXIMUM_INCREASED,
        &r::EXCLUSIVE_MAXIMUM_DECREASED,
    ],
);
const EXCLUSIVE_MINIMUM: Bound = (
    "exclusiveMinimum",
    [
        &r::EXCLUSIVE_MINIMUM_ADDED,
        &r::EXCLUSIVE_MINIMUM_REMOVED,
        &r::EXCLUSIVE_MINIMUM_INCREASED,
        &r::EXCLUSIVE_MINIMUM_DECREASED,
    ],
);
const MAX_PROPERTIES: Bound = (
    "maxProperties",
    [
        &r::MAX_PROPERTIES_ADDED,
        &r::MAX_PROPERTIES_REMOVED,
        &r::MAX_PROPERTIES_INCREASED,
        &r::MAX_PROPERTIES_DECREASED,
    ],
);
const MIN_PROPERTIES: Bound = (
    "minProperties",
    [
        &r::MIN_PROPERTIES_ADDED,
        &r::MIN_PROPERTIES_REMOVED,
        &r::MIN_PROPERTIES_INCREASED,
        &r::MIN_PROPERTIES_DECREASED,
    ],
);
const MAX_ITEMS: Bound = (
    "maxItems",
    [
        &r::MAX_ITEMS_ADDED,
        &r::MAX_ITEMS_REMOVED,
        &r::MAX_ITEMS_INCREASED,
        &r::MAX_ITEMS_DECREASED,
    ],
);
const MIN_ITEMS: Bound = (
    "minItems",
    [
        &r::MIN_ITEMS_ADDED,
        &r::MIN_ITEMS_REMOVED,
        &r::MIN_ITEMS_INCREASED,
        &r::MIN_ITEMS_DECREASED,
    ],
);

/// The rules for `additionalProperties` and `additionalItems`: added (false → true), removed
/// (true → false), extended, narrowed.
type Additional = [&'static Rule; 4];
const ADDITIONAL_PROPERTIES: Additional = [
    &r::ADDITIONAL_PROPERTIES_ADDED,
    &r::ADDITIONAL_PROPERTIES_REMOVED,
    &r::ADDITIONAL_PROPERTIES_EXTENDED,
    &r::ADDITIONAL_PROPERTIES_NARROWED,
];
const ADDITIONAL_ITEMS: Additional = [
    &r::ADDITIONAL_ITEMS_ADDED,
    &r::ADDITIONAL_ITEMS_REMOVED,
    &r::ADDITIONAL_ITEMS_EXTENDED,
    &r::ADDITIONAL_ITEMS_NARROWED,
];

/// One pass of comparisons: its findings and the pairs still to compare.
struct Pass<'a> {
    out: Vec<Found>,
    todo: Vec<Pair<'a>>,
}

impl Pass<'_> {
    fn add(&mut self, rule: &'static Rule, path: &P, keyword: &'static str) -> &mut Found {
        self.out.push(Found {
            rule,
            path: spell(path),
            keyword,
            name: String::new(),
            was: String::new(),
            now: String::new(),
        });
        self.out.last_mut().expect("just pushed")
    }

    fn add_values(
        &mut self,
        rule: &'static Rule,
        path: &P,
        keyword: &'static str,
        was: String,
        now: String,
    ) {
        let f = self.add(rule, path, keyword);
        f.was = was;
        f.now = now;
    }

    fn add_named(&mut self, rule: &'static Rule, path: &P, keyword: &'static str, name: &str) {
        self.add(rule, path, keyword).name = name.to_string();
    }
}

impl<'a> Walker<'a> {
    pub fn new(schemas: &[&'a JsonSchema], policy: JsonPolicy) -> Self {
        let mut refs = AddrMap::default();
        for schema in schemas {
            let docs = schema.documents();
            // Many `$ref`s name one definition: resolve a repeated target once.
            let mut last: Option<(usize, &str, Option<&'a Value>)> = None;
            for link in schema.ref_links() {
                let holder = pointer(&docs[link.doc].value, &link.at);
                let target = match last {
                    Some((doc, at, target)) if doc == link.target_doc && at == link.target => {
                        target
                    }
                    _ => {
                        let target = pointer(&docs[link.target_doc].value, &link.target);
                        last = Some((link.target_doc, &link.target, target));
                        target
                    }
                };
                if let (Some(holder), Some(target)) = (holder, target) {
                    refs.insert(addr(holder), target);
                }
            }
        }
        Self {
            refs,
            policy,
            verdicts: AddrMap::default(),
            nesting: 0,
        }
    }

    fn deref(&self, v: &'a Value) -> &'a Value {
        // The address first: a hash of a number is cheaper than a key search in the object.
        match (v, self.refs.get(&addr(v))) {
            (Value::Object(m), Some(target)) if m.contains_key("$ref") => target,
            _ => v,
        }
    }

    /// Every difference between `original` and `update`, in document order.
    pub fn diff(&mut self, original: &'a Value, update: &'a Value) -> Vec<Found> {
        let mut seen: HashSet<_, BuildHasherDefault<AddrHasher>> = HashSet::default();
        let mut pass = Pass {
            out: Vec::new(),
            todo: vec![(original, update, root())],
        };
        let mut found = Vec::new();
        while let Some((o, u, path)) = pass.todo.pop() {
            let (o, u) = (self.deref(o), self.deref(u));
            if same(o, u) || !seen.insert((addr(o), addr(u))) {
                continue;
            }
            let start = pass.todo.len();
            self.compare(o, u, &path, &mut pass);
            // Children popped in document order.
            pass.todo[start..].reverse();
            found.append(&mut pass.out);
        }
        found
    }

    /// Whether `update` accepts everything `original` does, by Confluent's rules.
    fn compatible(&mut self, original: &'a Value, update: &'a Value) -> bool {
        let (o, u) = (self.deref(original), self.deref(update));
        let key = (addr(o), addr(u));
        if let Some(&verdict) = self.verdicts.get(&key) {
            return verdict;
        }
        if self.nesting >= MAX_NESTING {
            return o == u;
        }
        // A pair met again inside its own question (a recursive schema) is assumed compatible:
        // its other differences are what decide.
        self.verdicts.insert(key, true);
        self.nesting += 1;
        let found = self.diff(o, u);
        self.nesting -= 1;
        let verdict = found.iter().all(|f| !f.rule.breaks(self.policy));
        self.verdicts.insert(key, verdict);
        verdict
    }

    fn compare(&mut self, o: &'a Value, u: &'a Value, path: &P, pass: &mut Pass<'a>) {
        if is_false(o) {
            if !is_false(u) {
                pass.add_values(&r::TYPE_EXTENDED, path, "", "false".into(), render(Some(u)));
            }
            return;
        }
        if is_false(u) {
            pass.add_values(&r::TYPE_NARROWED, path, "", render(Some(o)), "false".into());
            return;
        }
        let om = o.as_object().unwrap_or(&EMPTY);
        let um = u.as_object().unwrap_or(&EMPTY);
        let used = groups(om) | groups(um);
        if used & group::ANNOTATED != 0 {
            annotations(om, um, path, pass);
        }
        match (is_empty(o), is_empty(u)) {
            (true, true) => return,
            (false, true) => {
                pass.add_values(
                    &r::TYPE_EXTENDED,
                    path,
                    "",
                    type_text(type_mask(om)),
                    "any".into(),
                );
                return;
            }
            (true, false) => {
                pass.add_values(
                    &r::TYPE_NARROWED,
                    path,
                    "",
                    "any".into(),
                    type_text(type_mask(um)),
                );
                return;
            }
            (false, false) => {}
        }
        if used & group::COMBINED != 0 && self.cross_combined(o, om, u, um, path, pass) {
            return;
        }
        if !types(om, um, path, pass) {
            return;
        }
        if used & group::COMBINED != 0 {
            self.combined(om, um, path, pass);
        }
        if used & group::STRING != 0 {
            strings(om, um, path, pass);
        }
        if used & group::NUMBER != 0 {
            numbers(om, um, path, pass);
        }
        if used & group::OBJECT != 0 {
            self.objects(om, um, path, pass);
        }
        if used & group::ARRAY != 0 {
            self.arrays(om, um, path, pass);
        }
        if used & group::ENUM != 0 {
            enums(om, um, path, pass);
        }
        if used & group::NOT != 0 {
            self.not(om, um, path, pass);
        }
        for (key, bit) in [
            ("contains", group::CONTAINS),
            ("propertyNames", group::PROPERTY_NAMES),
            ("if", group::IF),
            ("then", group::THEN),
            ("else", group::ELSE),
        ] {
            if used & bit != 0 {
                sub(om.get(key), um.get(key), &child(path, key), pass);
            }
        }
    }

    /// One side is only a combined type and the other has none: Confluent compares the plain
    /// schema with the alternatives. Returns true when it handled the pair.
    fn cross_combined(
        &mut self,
        o: &'a Value,
        om: &'a Map<String, Value>,
        u: &'a Value,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) -> bool {
        let only = |m: &'a Map<String, Value>| -> Option<(&'static str, &'a Vec<Value>)> {
            let mut found = None;
            for key in m.keys() {
                if ANNOTATIONS.contains(&key.as_str()) {
                    continue;
                }
                let k = COMBINATORS.iter().find(|c| **c == key)?;
                if found.is_some() {
                    return None;
                }
                found = Some((*k, m[key].as_array()?));
            }
            found
        };
        let has_any = |m: &Map<String, Value>| COMBINATORS.iter().any(|c| m.contains_key(*c));
        if let (false, Some((k, branches))) = (has_any(om), only(um)) {
            let at = child(path, k);
            if branches.len() == 1 {
                pass.todo.push((o, &branches[0], child(&at, "0")));
            } else if k == "allOf" {
                for (j, b) in branches.iter().enumerate() {
                    pass.todo.push((o, b, child(&at, &j.to_string())));
                }
            } else if branches.iter().any(|b| self.compatible(o, b)) {
                pass.add(&r::SUM_TYPE_EXTENDED, path, k);
            } else {
                pass.add(&r::COMBINED_TYPE_SUBSCHEMAS_CHANGED, path, k);
            }
            return true;
        }
        if let (Some((k, branches)), false) = (only(om), has_any(um)) {
            if branches.len() == 1 {
                pass.todo.push((&branches[0], u, path.clone()));
            } else if k == "allOf" {
                if branches.iter().any(|b| self.compatible(b, u)) {
                    pass.add(&r::PRODUCT_TYPE_NARROWED, path, k);
                } else {
                    pass.add(&r::COMBINED_TYPE_SUBSCHEMAS_CHANGED, path, k);
                }
            } else {
                let accepted = branches.iter().filter(|b| self.compatible(b, u)).count();
                if accepted == 0 {
                    pass.add(&r::COMBINED_TYPE_SUBSCHEMAS_CHANGED, path, k);
                } else if accepted < branches.len() {
                    pass.add(&r::SUM_TYPE_NARROWED, path, k);
                }
            }
            return true;
        }
        false
    }

    /// `allOf`/`anyOf`/`oneOf` on both sides.
    fn combined(
        &mut self,
        om: &'a Map<String, Value>,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        let list = |m: &'a Map<String, Value>| -> Vec<(&'static str, &'a Vec<Value>)> {
            COMBINATORS
                .iter()
                .filter_map(|k| Some((*k, m.get(*k)?.as_array()?)))
                .collect()
        };
        let (ol, ul) = (list(om), list(um));
        if let (&[(ok, ob)], &[(uk, ub)]) = (ol.as_slice(), ul.as_slice()) {
            if ok != uk {
                if !(ob.len() == 1 && ub.len() == 1) {
                    let rule = if uk == "anyOf" {
                        &r::COMBINED_TYPE_EXTENDED
                    } else {
                        &r::COMBINED_TYPE_CHANGED
                    };
                    pass.add_values(rule, path, uk, ok.into(), uk.into());
                }
                self.match_subschemas(ok, ob, ub, &child(path, uk), pass);
                return;
            }
        }
        for k in COMBINATORS {
            let product = k == "allOf";
            match (
                om.get(k).and_then(Value::as_array),
                um.get(k).and_then(Value::as_array),
            ) {
                (Some(ob), Some(ub)) => self.match_subschemas(k, ob, ub, &child(path, k), pass),
                // An added `allOf` has more subschemas than none; an added `anyOf`/`oneOf`
                // narrows "anything" to its alternatives.
                (None, Some(_)) => {
                    pass.add(sized(k, product), &child(path, k), k);
                }
                (Some(_), None) => {
                    pass.add(sized(k, !product), &child(path, k), k);
                }
                (None, None) => {}
            }
        }
    }

    /// Sizes, then a maximum matching of compatible (original, update) subschemas: Confluent
    /// requires as many matched pairs as the smaller side has subschemas.
    fn match_subschemas(
        &mut self,
        k: &'static str,
        ob: &'a [Value],
        ub: &'a [Value],
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        if ob.len() != ub.len() {
            let rule = sized(k, ob.len() < ub.len());
            pass.add_values(rule, path, k, ob.len().to_string(), ub.len().to_string());
        }
        let pairs = self.matching(ob, ub);
        if pairs.len() < ob.len().min(ub.len()) {
            pass.add(&r::COMBINED_TYPE_SUBSCHEMAS_CHANGED, path, k);
            return;
        }
        for (i, j) in pairs {
            pass.todo
                .push((&ob[i], &ub[j], child(path, &j.to_string())));
        }
    }

    /// Pairs `(original index, update index)` of a maximum matching of compatible subschemas.
    fn matching(&mut self, ob: &'a [Value], ub: &'a [Value]) -> Vec<(usize, usize)> {
        // Identical subschemas pair for free.
        let mut by_text: HashMap<String, Vec<usize>> = HashMap::new();
        for (j, b) in ub.iter().enumerate().rev() {
            by_text.entry(canon(b)).or_default().push(j);
        }
        let mut update_of: Vec<Option<usize>> = vec![None; ob.len()];
        let mut original_of: Vec<Option<usize>> = vec![None; ub.len()];
        for (i, b) in ob.iter().enumerate() {
            if let Some(j) = by_text.get_mut(&canon(b)).and_then(Vec::pop) {
                update_of[i] = Some(j);
                original_of[j] = Some(i);
            }
        }
        let left: Vec<usize> = (0..ob.len()).filter(|&i| update_of[i].is_none()).collect();
        let right: Vec<usize> = (0..ub.len())
            .filter(|&j| original_of[j].is_none())
            .collect();
        if !left.is_empty() && !right.is_empty() && left.len() * right.len() <= MAX_MATCH_PAIRS {
            let mut edges: Vec<Vec<usize>> = Vec::with_capacity(left.len());
            for &i in &left {
                edges.push(
                    right
                        .iter()
                        .copied()
                        .filter(|&j| self.compatible(&ob[i], &ub[j]))
                        .collect(),
                );
            }
            // Kuhn's augmenting paths. Each level of `augment` takes a different left and right
            // subschema, so it nests at most min(left, right) ≤ √MAX_MATCH_PAIRS deep.
            let mut owner: Vec<Option<usize>> = vec![None; ub.len()];
            for l in 0..left.len() {
                let mut visited = vec![false; ub.len()];
                augment(l, &edges, &mut visited, &mut owner);
            }
            for (j, l) in owner.iter().enumerate() {
                if let Some(l) = l {
                    update_of[left[*l]] = Some(j);
                }
            }
        }
        let mut pairs: Vec<(usize, usize)> = update_of
            .iter()
            .enumerate()
            .filter_map(|(i, j)| Some((i, (*j)?)))
            .collect();
        pairs.sort_unstable();
        pairs
    }

    fn not(
        &mut self,
        om: &'a Map<String, Value>,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        let at = child(path, "not");
        match (om.get("not"), um.get("not")) {
            (Some(o), Some(u)) => {
                // `not A` → `not B` accepts more exactly when B accepts less than A.
                let rule = if self.compatible(u, o) {
                    if canon(o) == canon(u) {
                        return;
                    }
                    &r::NOT_TYPE_NARROWED
                } else {
                    &r::NOT_TYPE_EXTENDED
                };
                pass.add_values(rule, &at, "not", render(Some(o)), render(Some(u)));
            }
            (o, u) => sub(o, u, &at, pass),
        }
    }

    fn objects(
        &mut self,
        om: &'a Map<String, Value>,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        let oprops = om
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let uprops = um
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        // The same `required` on both sides (the common case) needs no per-property lookups.
        let same_required = om.get("required") == um.get("required");
        let ureq = required(um);
        let oreq = if same_required {
            HashSet::new()
        } else {
            required(om)
        };
        let (omodel, umodel) = (model(om), model(um));
        let props_at = child(path, "properties");
        let (in_update, in_original) = namesakes(oprops, uprops);
        for ((name, os), us) in oprops.iter().zip(in_update) {
            if let Some(us) = us {
                let (was, now) = if same_required {
                    (false, false)
                } else {
                    (oreq.contains(name.as_str()), ureq.contains(name.as_str()))
                };
                if was == now && same(os, us) {
                    continue;
                }
                let at = child(&props_at, name);
                if !was && now {
                    let rule = if has_default(self.deref(us)) {
                        &r::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED
                    } else {
                        &r::REQUIRED_ATTRIBUTE_ADDED
                    };
                    pass.add_named(rule, &at, "required", name);
                } else if was && !now {
                    pass.add_named(&r::REQUIRED_ATTRIBUTE_REMOVED, &at, "required", name);
                }
                pass.todo.push((os, us, at));
                continue;
            }
            let at = child(&props_at, name);
            let cover = match umodel {
                Model::Open => Extra::Any,
                Model::Closed => Extra::None,
                Model::Partial => cover(um, name),
            };
            let rule = match cover {
                Extra::Any => &r::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL,
                Extra::None if is_false(self.deref(os)) => {
                    &r::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                }
                Extra::None => &r::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL,
                Extra::Schema(s) if self.compatible(os, s) => {
                    &r::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                }
                Extra::Schema(_) => {
                    &r::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                }
            };
            pass.add_named(rule, &at, "properties", name);
        }
        for ((name, us), _) in uprops.iter().zip(in_original).filter(|(_, known)| !known) {
            let at = child(&props_at, name);
            let is_required = ureq.contains(name.as_str());
            let defaulted = has_default(self.deref(us));
            let cover = match omodel {
                Model::Open => Extra::Any,
                Model::Closed => Extra::None,
                Model::Partial => cover(om, name),
            };
            match cover {
                Extra::Any => {
                    let rule = if is_empty(self.deref(us)) {
                        &r::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                    } else {
                        &r::PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL
                    };
                    pass.add_named(rule, &at, "properties", name);
                    if is_required && !defaulted {
                        pass.add_named(&r::REQUIRED_ATTRIBUTE_ADDED, &at, "required", name);
                    }
                }
                Extra::None => {
                    let rule = match (is_required, defaulted) {
                        (false, _) => &r::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
                        (true, true) => {
                            &r::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                        }
                        (true, false) => &r::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
                    };
                    pass.add_named(rule, &at, "properties", name);
                }
                Extra::Schema(s) => {
                    let rule = if self.compatible(s, us) {
                        &r::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    } else {
                        &r::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    };
                    pass.add_named(rule, &at, "properties", name);
                    if is_required && !defaulted {
                        pass.add_named(
                            &r::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL,
                            &at,
                            "required",
                            name,
                        );
                    }
                }
            }
        }
        for key in ["additionalProperties", "unevaluatedProperties"] {
            if om.contains_key(key) || um.contains_key(key) {
                additional(
                    om.get(key),
                    um.get(key),
                    &child(path, key),
                    key,
                    ADDITIONAL_PROPERTIES,
                    pass,
                );
            }
        }
        let opat = om
            .get("patternProperties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let upat = um
            .get("patternProperties")
            .and_then(Value::as_object)
            .unwrap_or(&EMPTY);
        let at = (!opat.is_empty()).then(|| child(path, "patternProperties"));
        // Pattern properties added or removed are judged through the properties they cover (an
        // added pattern opens a closed model as much as it narrows an open one).
        for (pattern, os) in opat {
            if let (Some(us), Some(at)) = (upat.get(pattern), &at) {
                pass.todo.push((os, us, child(at, pattern)));
            }
        }
        self.dependencies(om, um, path, pass);
        bound(
            number(om, "maxProperties"),
            number(um, "maxProperties"),
            MAX_PROPERTIES,
            path,
            pass,
            true,
        );
        bound(
            number(om, "minProperties"),
            number(um, "minProperties"),
            MIN_PROPERTIES,
            path,
            pass,
            false,
        );
    }

    fn dependencies(
        &mut self,
        om: &'a Map<String, Value>,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        type Deps<'v> = (Vec<(&'v str, &'v Vec<Value>)>, Vec<(&'v str, &'v Value)>);
        fn split(m: &Map<String, Value>) -> Deps<'_> {
            let (mut arrays, mut schemas) = (Vec::new(), Vec::new());
            for key in ["dependencies", "dependentRequired", "dependentSchemas"] {
                for (name, v) in m.get(key).and_then(Value::as_object).into_iter().flatten() {
                    match v {
                        Value::Array(a) => arrays.push((name.as_str(), a)),
                        v => schemas.push((name.as_str(), v)),
                    }
                }
            }
            (arrays, schemas)
        }
        let ((oa, os), (ua, us)) = (split(om), split(um));
        let deps = child(path, "dependencies");
        let at = |name: &str| child(&deps, name);
        for (name, old) in &oa {
            match ua.iter().find(|(n, _)| n == name) {
                None => pass.add_named(
                    &r::DEPENDENCY_ARRAY_REMOVED,
                    &at(name),
                    "dependencies",
                    name,
                ),
                Some((_, new)) => {
                    let set = |a: &Vec<Value>| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect::<HashSet<_>>()
                    };
                    let (o, u) = (set(old), set(new));
                    if o == u {
                        continue;
                    }
                    let rule = if u.is_superset(&o) {
                        &r::DEPENDENCY_ARRAY_EXTENDED
                    } else if u.is_subset(&o) {
                        &r::DEPENDENCY_ARRAY_NARROWED
                    } else {
                        &r::DEPENDENCY_ARRAY_CHANGED
                    };
                    let f = pass.add(rule, &at(name), "dependencies");
                    f.name = name.to_string();
                    f.was = Value::Array((*old).clone()).to_string();
                    f.now = Value::Array((*new).clone()).to_string();
                }
            }
        }
        for (name, _) in &ua {
            if !oa.iter().any(|(n, _)| n == name) {
                pass.add_named(&r::DEPENDENCY_ARRAY_ADDED, &at(name), "dependencies", name);
            }
        }
        for (name, old) in &os {
            match us.iter().find(|(n, _)| n == name) {
                None => pass.add_named(
                    &r::DEPENDENCY_SCHEMA_REMOVED,
                    &at(name),
                    "dependencies",
                    name,
                ),
                Some((_, new)) => pass.todo.push((old, new, at(name))),
            }
        }
        for (name, _) in &us {
            if !os.iter().any(|(n, _)| n == name) {
                pass.add_named(&r::DEPENDENCY_SCHEMA_ADDED, &at(name), "dependencies", name);
            }
        }
    }

    fn arrays(
        &mut self,
        om: &'a Map<String, Value>,
        um: &'a Map<String, Value>,
        path: &P,
        pass: &mut Pass<'a>,
    ) {
        // A tuple: `prefixItems` (2020-12) or an `items` array; what follows it: `items`
        // (2020-12) or `additionalItems`.
        fn tuple(m: &Map<String, Value>) -> Option<(&'static str, &Vec<Value>, &'static str)> {
            if let Some(Value::Array(t)) = m.get("prefixItems") {
                return Some(("prefixItems", t, "items"));
            }
            match m.get("items") {
                Some(Value::Array(t)) => Some(("items", t, "additionalItems")),
                _ => None,
            }
        }
        let (ot, ut) = (tuple(om), tuple(um));
        if ot.is_none() && ut.is_none() {
            sub(
                om.get("items"),
                um.get("items"),
                &child(path, "items"),
                pass,
            );
            if om.contains_key("additionalItems") || um.contains_key("additionalItems") {
                let (o, u) = (om.get("additionalItems"), um.get("additionalItems"));
                additional(
                    o,
                    u,
                    &child(path, "additionalItems"),
                    "additionalItems",
                    ADDITIONAL_ITEMS,
                    pass,
                );
            }
        } else {
            let (_, oitems, orest_key) = ot.unwrap_or(("items", &NO_ITEMS, "items"));
            let (ukey, uitems, urest_key) = ut.unwrap_or(("items", &NO_ITEMS, "items"));
            let (orest, urest) = (om.get(orest_key), um.get(urest_key));
            let at = child(path, ukey);
            for (i, (o, u)) in oitems.iter().zip(uitems).enumerate() {
                pass.todo.push((o, u, child(&at, &i.to_string())));
            }
            for (i, u) in uitems.iter().enumerate().skip(oitems.len()) {
                let rule = match extra(orest) {
                    Extra::Any if is_empty(self.deref(u)) => {
                        &r::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                    }
                    Extra::Any => &r::ITEM_ADDED_TO_OPEN_CONTENT_MODEL,
                    Extra::None => &r::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL,
                    Extra::Schema(s) if self.compatible(s, u) => {
                        &r::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    }
                    Extra::Schema(_) => &r::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL,
                };
                let f = pass.add(rule, &child(&at, &i.to_string()), "items");
                f.was = render(orest);
                f.now = render(Some(u));
            }
            for (i, o) in oitems.iter().enumerate().skip(uitems.len()) {
                let rule = match extra(urest) {
                    Extra::Any => &r::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL,
                    Extra::None if is_false(self.deref(o)) => {
                        &r::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL
                    }
                    Extra::None => &r::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL,
                    Extra::Schema(s) if self.compatible(o, s) => {
                        &r::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    }
                    Extra::Schema(_) => {
                        &r::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                    }
                };
                let f = pass.add(rule, &child(&at, &i.to_string()), "items");
                f.was = render(Some(o));
                f.now = render(urest);
            }
            additional(
                orest,
                urest,
                &child(path, urest_key),
                "additionalItems",
                ADDITIONAL_ITEMS,
                pass,
            );
        }
        if om.contains_key("unevaluatedItems") || um.contains_key("unevaluatedItems") {
            additional(
                om.get("unevaluatedItems"),
                um.get("unevaluatedItems"),
                &child(path, "unevaluatedItems"),
                "unevaluatedItems",
                ADDITIONAL_ITEMS,
                pass,
            );
        }
        bound(
            number(om, "maxItems"),
            number(um, "maxItems"),
            MAX_ITEMS,
            path,
            pass,
            true,
        );
        bound(
            number(om, "minItems"),
            number(um, "minItems"),
            MIN_ITEMS,
            path,
            pass,
            false,
        );
        let unique = |m: &Map<String, Value>| m.get("uniqueItems") == Some(&Value::Bool(true));
        match (unique(om), unique(um)) {
            (false, true) => {
                pass.add(
                    &r::UNIQUE_ITEMS_ADDED,
                    &child(path, "uniqueItems"),
                    "uniqueItems",
                );
            }
            (true, false) => {
                pass.add(
                    &r::UNIQUE_ITEMS_REMOVED,
                    &child(path, "uniqueItems"),
                    "uniqueItems",
                );
            }
            _ => {}
        }
    }
}

/// One augmenting-path search from left subschema `l`; `owner[j]` is the left subschema matched
/// to right subschema `j`.
fn augment(
    l: usize,
    edges: &[Vec<usize>],
    visited: &mut [bool],
    owner: &mut [Option<usize>],
) -> bool {
    for &j in &edges[l] {
        if visited[j] {
            continue;
        }
        visited[j] = true;
        if owner[j].is_none_or(|other| augment(other, edges, visited, owner)) {
            owner[j] = Some(l);
            return true;
        }
    }
    false
}

/// The rule for a combined type `k` that has more (`more`) or fewer subschemas than before:
/// `allOf` is a product (more subschemas constrain more), `anyOf`/`oneOf` a sum (more accept more).
fn sized(k: &str, more: bool) -> &'static Rule {
    match (k == "allOf", more) {
        (true, true) => &r::PRODUCT_TYPE_EXTENDED,
        (true, false) => &r::PRODUCT_TYPE_NARROWED,
        (false, true) => &r::SUM_TYPE_EXTENDED,
        (false, false) => &r::SUM_TYPE_NARROWED,
    }
}

/// `$id`, `title`, `description` and `default` changes: listed, never breaking.
fn annotations(om: &Map<String, Value>, um: &Map<String, Value>, path: &P, pass: &mut Pass<'_>) {
    for (key, rule) in [
        ("$id", &r::ID_CHANGED),
        ("id", &r::ID_CHANGED),
        ("title", &r::TITLE_CHANGED),
        ("description", &r::DESCRIPTION_CHANGED),
        ("default", &r::DEFAULT_CHANGED),
    ] {
        let (o, u) = (om.get(key), um.get(key));
        if o != u {
            pass.add_values(rule, &child(path, key), "", render(o), render(u));
        }
    }
}

/// Compares the `type`s; false when they differ so much that nothing else is worth comparing.
fn types(om: &Map<String, Value>, um: &Map<String, Value>, path: &P, pass: &mut Pass<'_>) -> bool {
    let (ot, ut) = (type_mask(om), type_mask(um));
    let rule = match (ot, ut) {
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) if covers(b, a) => Some(&r::TYPE_EXTENDED),
        (Some(a), Some(b)) if covers(a, b) => Some(&r::TYPE_NARROWED),
        (Some(_), Some(_)) => Some(&r::TYPE_CHANGED),
        (None, Some(b)) => {
            let k = implied(om);
            if k != 0 && covers(b, k) {
                None
            } else if k != 0 && !overlaps(k, b) {
                Some(&r::TYPE_CHANGED)
            } else {
                Some(&r::TYPE_NARROWED)
            }
        }
        (Some(a), None) => {
            let k = implied(um);
            if k != 0 && covers(k, a) {
                None
            } else if k != 0 && !overlaps(k, a) {
                Some(&r::TYPE_CHANGED)
            } else {
                Some(&r::TYPE_EXTENDED)
            }
        }
        (None, None) => {
            let (a, b) = (implied(om), implied(um));
            (a != 0 && b != 0 && !overlaps(a, b)).then_some(&r::TYPE_CHANGED)
        }
    };
    let Some(rule) = rule else { return true };
    let shown = |mask: Option<u8>, m| type_text(mask.or(Some(implied(m)).filter(|&k| k != 0)));
    pass.add_values(rule, path, "type", shown(ot, om), shown(ut, um));
    !std::ptr::eq(rule, &r::TYPE_CHANGED)
}

fn bound(
    o: Option<f64>,
    u: Option<f64>,
    (keyword, rules): Bound,
    path: &P,
    pass: &mut Pass<'_>,
    _max: bool,
) {
    let rule = match (o, u) {
        (None, Some(_)) => rules[0],
        (Some(_), None) => rules[1],
        (Some(a), Some(b)) if b > a => rules[2],
        (Some(a), Some(b)) if b < a => rules[3],
        _ => return,
    };
    pass.add_values(
        rule,
        &child(path, keyword),
        keyword,
        fmt_number(o),
        fmt_number(u),
    );
}

fn strings(om: &Map<String, Value>, um: &Map<String, Value>, path: &P, pass: &mut Pass<'_>) {
    bound(
        number(om, "maxLength"),
        number(um, "maxLength"),
        MAX_LENGTH,
        path,
        pass,
        true,
    );
    bound(
        number(om, "minLength"),
        number(um, "minLength"),
        MIN_LENGTH,
        path,
        pass,
        false,
    );
    let rule = match (om.get("pattern"), um.get("pattern")) {
        (None, Some(_)) => &r::PATTERN_ADDED,
        (Some(_), None) => &r::PATTERN_REMOVED,
        (Some(a), Some(b)) if a != b => &r::PATTERN_CHANGED,
        _ => return,
    };
    pass.add_values(
        rule,
        &child(path, "pattern"),
        "pattern",
        render(om.get("pattern")),
        render(um.get("pattern")),
    );
}

fn numbers(om: &Map<String, Value>, um: &Map<String, Value>, path: &P, pass: &mut Pass<'_>) {
    let (o, u) = (numeric_bounds(om), numeric_bounds(um));
    bound(o[0], u[0], MAXIMUM, path, pass, true);
    bound(o[1], u[1], MINIMUM, path, pass, false);
    bound(o[2], u[2], EXCLUSIVE_MAXIMUM, path, pass, true);
    bound(o[3], u[3], EXCLUSIVE_MINIMUM, path, pass, false);
    let (a, b) = (number(om, "multipleOf"), number(um, "multipleOf"));
    let rule = match (a, b) {
        (None, Some(_)) => &r::MULTIPLE_OF_ADDED,
        (Some(_), None) => &r::MULTIPLE_OF_REMOVED,
        (Some(a), Some(b)) if a == b => return,
        (Some(a), Some(b)) if integral(a / b) => &r::MULTIPLE_OF_REDUCED,
        (Some(a), Some(b)) if integral(b / a) => &r::MULTIPLE_OF_EXPANDED,
        (Some(_), Some(_)) => &r::MULTIPLE_OF_CHANGED,
        (None, None) => return,
    };
    pass.add_values(
        rule,
        &child(path, "multipleOf"),
        "multipleOf",
        fmt_number(a),
        fmt_number(b),
    );
}

/// `enum` and `const` (a one-value enum) as sets of values.
fn enums(om: &Map<String, Value>, um: &Map<String, Value>, path: &P, pass: &mut Pass<'_>) {
    fn values(m: &Map<String, Value>) -> Option<(&'static str, &Value, HashSet<String>)> {
        if let Some(e) = m.get("enum") {
            let set = e.as_array()?.iter().map(canon).collect();
            return Some(("enum", e, set));
        }
        let c = m.get("const")?;
        Some(("const", c, HashSet::from([canon(c)])))
    }
    let (o, u) = (values(om), values(um));
    let (rule, key) = match (&o, &u) {
        (None, None) => return,
        (None, Some((k, _, _))) => (&r::ENUM_ARRAY_NARROWED, *k),
        (Some((k, _, _)), None) => (&r::ENUM_ARRAY_EXTENDED, *k),
        (Some((_, _, a)), Some((k, _, b))) => {
            if a == b {
                return;
            } else if b.is_superset(a) {
                (&r::ENUM_ARRAY_EXTENDED, *k)
            } else if b.is_subset(a) {
                (&r::ENUM_ARRAY_NARROWED, *k)
            } else {
                (&r::ENUM_ARRAY_CHANGED, *k)
            }
        }
    };
    let shown =
        |side: &Option<(&'static str, &Value, HashSet<String>)>| render(side.as_ref().map(|s| s.1));
    pass.add_values(rule, &child(path, key), key, shown(&o), shown(&u));
}

/// A subschema keyword without rules of its own: absent → present constrains, present →
/// absent frees, present on both sides is compared.
fn sub<'a>(o: Option<&'a Value>, u: Option<&'a Value>, path: &P, pass: &mut Pass<'a>) {
    match (o, u) {
        (Some(o), Some(u)) => pass.todo.push((o, u, path.clone())),
        (None, Some(u)) if !is_empty(u) => {
            pass.add_values(&r::SCHEMA_ADDED, path, "", "(none)".into(), render(Some(u)));
        }
        (Some(o), None) if !is_empty(o) => {
            pass.add_values(
                &r::SCHEMA_REMOVED,
                path,
                "",
                render(Some(o)),
                "(none)".into(),
            );
        }
        _ => {}
    }
}

/// `additionalProperties` / `additionalItems`: absent or `true` allows anything, `false`
/// nothing, a schema what it accepts.
fn additional<'a>(
    o: Option<&'a Value>,
    u: Option<&'a Value>,
    path: &P,
    _keyword: &'static str,
    rules: Additional,
    pass: &mut Pass<'a>,
) {
    let rule = match (extra(o), extra(u)) {
        (Extra::Any, Extra::Any) | (Extra::None, Extra::None) => return,
        (Extra::None, Extra::Any) => rules[0],
        (Extra::Any, Extra::None) => rules[1],
        (Extra::Schema(_), Extra::Any) | (Extra::None, Extra::Schema(_)) => rules[2],
        (Extra::Any, Extra::Schema(_)) | (Extra::Schema(_), Extra::None) => rules[3],
        (Extra::Schema(a), Extra::Schema(b)) => {
            pass.todo.push((a, b, path.clone()));
            return;
        }
    };
    pass.add_values(rule, path, "", render(o), render(u));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_resolves_as_serde_json_does() {
        let doc = serde_json::json!({
            "a/b": {"c~d": [10, {"e": true}]},
            "": {"x": 1},
            "list": [0, 1, 2],
        });
        for p in [
            "",
            "/",
            "/a~1b",
            "/a~1b/c~0d/1/e",
            "/a~1b/c~0d/0",
            "/a~1b/c~0d/01",
            "/a~1b/c~0d/+1",
            "/a~1b/c~0d/9",
            "//x",
            "/list/2",
            "/list/x",
            "/list/2/deeper",
            "/missing",
            "no-slash",
            "/a~01b",
        ] {
            assert_eq!(pointer(&doc, p), doc.pointer(p), "pointer {p:?}");
        }
    }

    #[test]
    fn address_hasher_spreads_aligned_addresses() {
        use std::hash::BuildHasher;
        let build = BuildHasherDefault::<AddrHasher>::default();
        let low: HashSet<u64> = (0..1024usize)
            .map(|i| build.hash_one(0x7f00_0000_0000 + i * 64) & 0xff)
            .collect();
        // Aligned addresses must not all land in a few buckets of a small table.
        assert!(low.len() > 200, "{} distinct low bytes", low.len());
        assert_ne!(
            build.hash_one((1usize, 2usize)),
            build.hash_one((2usize, 1usize))
        );
    }

    #[test]
    fn same_skips_only_small_equal_pairs_without_references() {
        use serde_json::json;
        let leaf = json!({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}});
        assert!(same(&leaf, &leaf.clone()));
        assert!(same(&json!(true), &json!(true)));
        // Differences anywhere, also in order or number type, are left to the walk.
        assert!(!same(
            &leaf,
            &json!({"type": "array", "items": {"type": "string"}})
        ));
        assert!(!same(&json!({"enum": [1, 2]}), &json!({"enum": [2, 1]})));
        assert!(!same(&json!({"maximum": 1}), &json!({"maximum": 1.0})));
        // Equal text under a reference may name different schemas.
        for key in REFERENCES {
            let holder = json!({ "items": { key: "#/definitions/a" } });
            assert!(!same(&holder, &holder.clone()), "{key}");
        }
        // Beyond the budget the walk compares keyword by keyword.
        let wide: serde_json::Map<String, Value> = (0..SAME_BUDGET)
            .map(|i| (format!("p{i}"), json!({"type": "string"})))
            .collect();
        let wide = json!({ "properties": wide });
        assert!(!same(&wide, &wide.clone()));
    }

    #[test]
    fn equal_text_whose_references_differ_is_reported() {
        let parse =
            |text: &str| crate::schema::json::parse_with_references("t", text, &[]).unwrap();
        let old = parse(
            r##"{"properties": {"a": {"$ref": "#/definitions/x"}}, "definitions": {"x": {"type": "string"}}}"##,
        );
        let new = parse(
            r##"{"properties": {"a": {"$ref": "#/definitions/x"}}, "definitions": {"x": {"type": "integer"}}}"##,
        );
        let found = Walker::new(&[&old, &new], JsonPolicy::Strict).diff(old.root(), new.root());
        let kinds: Vec<(&str, &str)> = found.iter().map(|f| (f.rule.id, f.path.as_str())).collect();
        assert_eq!(kinds, [("TYPE_CHANGED", "/properties/a")]);
    }

    #[test]
    fn namesakes_pair_entries_by_key() {
        let a: Map<String, Value> =
            serde_json::from_str(r#"{"b": 1, "d": 2, "a": 3, "x": 4}"#).unwrap();
        let b: Map<String, Value> =
            serde_json::from_str(r#"{"c": 5, "a": 6, "x": 7, "z": 8}"#).unwrap();
        let (in_b, in_a) = namesakes(&a, &b);
        let expect_b: Vec<Option<&Value>> = a.keys().map(|k| b.get(k)).collect();
        let expect_a: Vec<bool> = b.keys().map(|k| a.contains_key(k)).collect();
        assert_eq!(in_b, expect_b);
        assert_eq!(in_a, expect_a);
        assert_eq!(in_b.iter().filter(|v| v.is_some()).count(), 2);
        let empty = Map::new();
        assert_eq!(namesakes(&empty, &b).1, vec![false; 4]);
        assert_eq!(namesakes(&a, &empty).0, vec![None; 4]);
    }
}
