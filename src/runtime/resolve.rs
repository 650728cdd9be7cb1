//! Reading data written with another version of a schema (a frame whose id is not the one the
//! type was generated from), by Avro's schema resolution rules: the writer's bytes are rewritten
//! into the reader's encoding (fields matched by name or alias, defaults filled in, removed
//! fields skipped, numeric promotions, enum symbols by name, unions by branch), then decoded by
//! the generated decoder. Needs the `engine` feature (the schema parser).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use super::avro::{self as enc, AvroType, DecodeError, Reader};
use super::ids::{IdError, SchemaIds};
use crate::schema::avro::{
    default_bytes, parse_with_references, AvroSchema, Enum, Kind, Node, NodeId, Primitive, Record,
};
use crate::wire;

/// Why data written with another schema could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Id(#[from] IdError),
    #[error("writer schema {id}: {message}")]
    WriterSchema { id: u32, message: String },
    #[error("reader schema: {0}")]
    ReaderSchema(String),
    #[error("cannot resolve writer {writer} to reader {reader} at {path}")]
    Mismatch {
        writer: &'static str,
        reader: &'static str,
        path: String,
    },
    #[error("reader field '{0}' is not in the writer schema and has no default")]
    MissingDefault(String),
    #[error("writer enum symbol '{0}' is unknown to the reader, which has no default")]
    UnknownSymbol(String),
}

/// How deep recursive records may nest in data read through resolution. A level of the
/// transcoder takes several frames (the record, its field, the union branch on each side),
/// about 7 KiB of stack in an unoptimized build against 2 KiB for a generated decoder, so it
/// gets a quarter of [`enc::DEFAULT_MAX_DEPTH`] to stay within a spawned thread's 2 MiB.
pub const MAX_RESOLVED_DEPTH: u32 = enc::DEFAULT_MAX_DEPTH / 4;

/// Rewrites one datum from the writer schema's encoding into the reader schema's.
pub fn transcode(
    writer: &AvroSchema,
    reader: &AvroSchema,
    datum: &[u8],
) -> Result<Vec<u8>, ResolveError> {
    let mut out = Vec::with_capacity(datum.len() + 16);
    let mut r = Reader::new(datum).with_max_depth(MAX_RESOLVED_DEPTH);
    Transcoder { writer, reader }.value(writer.root(), reader.root(), &mut r, &mut out, "")?;
    Ok(out)
}

struct Transcoder<'a> {
    writer: &'a AvroSchema,
    reader: &'a AvroSchema,
}

impl Transcoder<'_> {
    /// Rewrites one value. Each kind of node has its own function, so that the frames of this
    /// recursion stay small: debug builds give a function's every local its own stack slot, and
    /// a recursive writer nests once per record level.
    fn value(
        &self,
        w: NodeId,
        rd: NodeId,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), ResolveError> {
        let (wn, rn) = (self.writer.node(w), self.reader.node(rd));
        if let Node::Union { branches } = wn {
            let i = r.read_union_index(branches.len())?;
            return self.value(branches[i], rd, r, out, path);
        }
        if let Node::Union { branches } = rn {
            return self.as_reader_union(w, rd, branches, r, out, path);
        }
        match (wn, rn) {
            (Node::Primitive { primitive: wp, .. }, Node::Primitive { primitive: rp, .. }) => self
                .primitive(*wp, *rp, r, out)
                .ok_or_else(|| self.mismatch(w, rd, path))?,
            (Node::Record(wr), Node::Record(rr)) => {
                r.enter()?;
                self.record(wr, rr, r, out, path)?;
                r.leave();
                Ok(())
            }
            (Node::Enum(we), Node::Enum(re)) => enumeration(we, re, r, out),
            (Node::Fixed(wf), Node::Fixed(rf)) if wf.size == rf.size => {
                out.extend_from_slice(r.take(wf.size)?);
                Ok(())
            }
            (Node::Array { items: wi }, Node::Array { items: ri }) => {
                let empty_items = self.writer.encodes_empty(*wi);
                self.blocks(r, out, empty_items, |r, buf| {
                    self.value(*wi, *ri, r, buf, path)
                })
            }
            // A map entry holds its key, so it never encodes to no bytes.
            (Node::Map { values: wv }, Node::Map { values: rv }) => {
                self.blocks(r, out, false, |r, buf| {
                    enc::write_str(buf, r.read_str()?);
                    self.value(*wv, *rv, r, buf, path)
                })
            }
            _ => Err(self.mismatch(w, rd, path)),
        }
    }

    /// A writer value read as a reader union: the first branch it matches exactly, else the
    /// first it can be promoted to.
    #[inline(never)]
    fn as_reader_union(
        &self,
        w: NodeId,
        rd: NodeId,
        branches: &[NodeId],
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), ResolveError> {
        let (i, b) = branches
            .iter()
            .enumerate()
            .find(|(_, &b)| self.matches(w, b, true))
            .or_else(|| {
                branches
                    .iter()
                    .enumerate()
                    .find(|(_, &b)| self.matches(w, b, false))
            })
            .ok_or_else(|| self.mismatch(w, rd, path))?;
        enc::write_long(out, i as i64);
        self.value(w, *b, r, out, path)
    }

    /// Writer fields arrive in writer order; the reader's encoding needs reader order, with
    /// defaults for the fields the writer lacks and the writer's other fields skipped.
    #[inline(never)]
    fn record(
        &self,
        wr: &Record,
        rr: &Record,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
        path: &str,
    ) -> Result<(), ResolveError> {
        let mut slots: Vec<Option<Vec<u8>>> = vec![None; rr.fields.len()];
        for wf in &wr.fields {
            let pos = rr
                .field_position(&wf.name)
                .or_else(|| rr.fields.iter().position(|f| f.aliases.contains(&wf.name)));
            match pos {
                Some(p) => {
                    let mut buf = Vec::new();
                    let sub = format!("{path}/{}", wf.name);
                    self.value(wf.ty, rr.fields[p].ty, r, &mut buf, &sub)?;
                    slots[p] = Some(buf);
                }
                None => {
                    // Skipping is decoding into a scratch buffer with the writer as reader.
                    let same = Transcoder {
                        writer: self.writer,
                        reader: self.writer,
                    };
                    same.value(wf.ty, wf.ty, r, &mut Vec::new(), path)?;
                }
            }
        }
        for (f, slot) in rr.fields.iter().zip(slots) {
            match slot {
                Some(bytes) => out.extend_from_slice(&bytes),
                None => {
                    let default = f
                        .default
                        .as_ref()
                        .ok_or_else(|| ResolveError::MissingDefault(f.name.clone()))?;
                    encode_default(self.reader, f.ty, default, out)
                        .ok_or_else(|| ResolveError::MissingDefault(f.name.clone()))?;
                }
            }
        }
        Ok(())
    }

    /// The blocks of an array or map, re-encoded as one block of items read by `item`.
    #[inline(never)]
    fn blocks(
        &self,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
        empty_items: bool,
        mut item: impl FnMut(&mut Reader<'_>, &mut Vec<u8>) -> Result<(), ResolveError>,
    ) -> Result<(), ResolveError> {
        let mut buf = Vec::new();
        let mut count = 0i64;
        loop {
            let n = r.read_block_count(empty_items)?;
            if n == 0 {
                break;
            }
            for _ in 0..n {
                item(r, &mut buf)?;
                count += 1;
            }
        }
        if count > 0 {
            enc::write_long(out, count);
            out.extend_from_slice(&buf);
        }
        out.push(0);
        Ok(())
    }

    /// Copies or promotes a primitive; `None` when the writer's type cannot be read as the
    /// reader's.
    fn primitive(
        &self,
        w: Primitive,
        rd: Primitive,
        r: &mut Reader<'_>,
        out: &mut Vec<u8>,
    ) -> Option<Result<(), ResolveError>> {
        use Primitive::*;
        let res = (|| -> Result<(), DecodeError> {
            match (w, rd) {
                (Null, Null) => {}
                (Boolean, Boolean) => enc::write_bool(out, r.read_bool()?),
                (Int, Int) => enc::write_int(out, r.read_int()?),
                (Int | Long, Long) => enc::write_long(out, r.read_long()?),
                (Int | Long, Float) => enc::write_float(out, r.read_long()? as f32),
                (Int | Long, Double) => enc::write_double(out, r.read_long()? as f64),
                (Float, Float) => enc::write_float(out, r.read_float()?),
                (Float, Double) => enc::write_double(out, f64::from(r.read_float()?)),
                (Double, Double) => enc::write_double(out, r.read_double()?),
                (String | Bytes, String | Bytes) => enc::write_bytes(out, r.read_bytes_ref()?),
                _ => unreachable_pair()?,
            }
            Ok(())
        })();
        match res {
            Err(DecodeError::Logical {
                logical: "resolution",
                ..
            }) => None,
            other => Some(other.map_err(ResolveError::from)),
        }
    }

    /// Whether a writer node can be read as a reader union branch (exactly, or with promotion).
    fn matches(&self, w: NodeId, rd: NodeId, exact: bool) -> bool {
        let (wn, rn) = (self.writer.node(w), self.reader.node(rd));
        match (wn.kind(), rn.kind()) {
            (Kind::Record | Kind::Enum | Kind::Fixed, k) if k == wn.kind() => named_matches(wn, rn),
            (Kind::Array, Kind::Array) | (Kind::Map, Kind::Map) => true,
            (Kind::Primitive(a), Kind::Primitive(b)) if a == b => true,
            (Kind::Primitive(a), Kind::Primitive(b)) if !exact => matches!(
                (a, b),
                (
                    Primitive::Int,
                    Primitive::Long | Primitive::Float | Primitive::Double
                ) | (Primitive::Long, Primitive::Float | Primitive::Double)
                    | (Primitive::Float, Primitive::Double)
                    | (Primitive::String, Primitive::Bytes)
                    | (Primitive::Bytes, Primitive::String)
            ),
            _ => false,
        }
    }

    fn mismatch(&self, w: NodeId, rd: NodeId, path: &str) -> ResolveError {
        ResolveError::Mismatch {
            writer: self.writer.kind(w).upper_name(),
            reader: self.reader.kind(rd).upper_name(),
            path: if path.is_empty() {
                "/".into()
            } else {
                path.to_string()
            },
        }
    }
}

/// Whether a writer's named type is the reader's: the same unqualified name (as Java matches
/// union branches), or one of the reader's aliases names the writer's type (the Avro
/// specification: "the reader's aliases are applied to the writer's schema").
fn named_matches(writer: &Node, reader: &Node) -> bool {
    let (Some(w), Some(r)) = (writer.name(), reader.name()) else {
        return false;
    };
    let unqualified = |full: &str| full.rsplit('.').next().unwrap_or(full).to_string();
    w.name == r.name
        || reader
            .aliases()
            .iter()
            .any(|a| *a == w.full_name() || unqualified(a) == w.name)
}

fn unreachable_pair() -> Result<(), DecodeError> {
    Err(DecodeError::Logical {
        logical: "resolution",
        reason: "incompatible primitives",
    })
}

/// Encodes a field default (JSON, per the Avro specification) in the binary encoding.
fn encode_default(s: &AvroSchema, id: NodeId, v: &Value, out: &mut Vec<u8>) -> Option<()> {
    match s.node(id) {
        Node::Primitive { primitive, .. } => match primitive {
            Primitive::Null => {}
            Primitive::Boolean => enc::write_bool(out, v.as_bool()?),
            Primitive::Int => enc::write_int(out, i32::try_from(v.as_i64()?).ok()?),
            Primitive::Long => enc::write_long(out, v.as_i64()?),
            Primitive::Float => enc::write_float(out, v.as_f64()? as f32),
            Primitive::Double => enc::write_double(out, v.as_f64()?),
            Primitive::String => enc::write_str(out, v.as_str()?),
            Primitive::Bytes => enc::write_bytes(out, &default_bytes(v)?),
        },
        Node::Fixed(f) => {
            let b = default_bytes(v)?;
            (b.len() == f.size).then_some(())?;
            out.extend_from_slice(&b);
        }
        Node::Enum(e) => enc::write_long(
            out,
            e.symbols
                .iter()
                .position(|x| Some(x.as_str()) == v.as_str())? as i64,
        ),
        Node::Record(r) => {
            let obj = v.as_object()?;
            for f in &r.fields {
                encode_default(s, f.ty, obj.get(&f.name).or(f.default.as_ref())?, out)?;
            }
        }
        Node::Array { items } => {
            let a = v.as_array()?;
            if !a.is_empty() {
                enc::write_long(out, a.len() as i64);
                for x in a {
                    encode_default(s, *items, x, out)?;
                }
            }
            out.push(0);
        }
        Node::Map { values } => {
            let m = v.as_object()?;
            if !m.is_empty() {
                enc::write_long(out, m.len() as i64);
                for (k, x) in m {
                    enc::write_str(out, k);
                    encode_default(s, *values, x, out)?;
                }
            }
            out.push(0);
        }
        Node::Union { branches } => {
            // A union's default is a value of its first branch.
            enc::write_long(out, 0);
            encode_default(s, *branches.first()?, v, out)?;
        }
    }
    Some(())
}

/// An enum symbol by name; a symbol the reader lacks takes the reader's default.
fn enumeration(
    we: &Enum,
    re: &Enum,
    r: &mut Reader<'_>,
    out: &mut Vec<u8>,
) -> Result<(), ResolveError> {
    let i = r.read_enum_index(we.symbols.len())?;
    let symbol = &we.symbols[i];
    let j = re
        .symbols
        .iter()
        .position(|s| s == symbol)
        .or_else(|| {
            re.default
                .as_ref()
                .and_then(|d| re.symbols.iter().position(|s| s == d))
        })
        .ok_or_else(|| ResolveError::UnknownSymbol(symbol.clone()))?;
    enc::write_long(out, j as i64);
    Ok(())
}

/// Decodes frames of a generated type `T` whatever version of its subject wrote them: frames
/// with `T`'s own id decode directly; others are resolved against the writer schema fetched
/// (once) from the registry.
pub struct ResolvingDecoder<T> {
    reader: AvroSchema,
    writers: Mutex<HashMap<u32, Arc<AvroSchema>>>,
    _type: std::marker::PhantomData<fn() -> T>,
}

impl<T: AvroType> ResolvingDecoder<T> {
    /// Parses `T`'s schema, after the schemas it references.
    pub fn new() -> Result<Self, ResolveError> {
        let texts = super::ids::Reference::schemas_in_order(T::REFERENCES);
        let sources: Vec<String> = (1..=texts.len())
            .map(|i| format!("{} reference {i}", T::FULL_NAME))
            .collect();
        let references: Vec<(&str, &str)> = sources.iter().map(String::as_str).zip(texts).collect();
        let reader = parse_with_references(T::FULL_NAME, T::SCHEMA, &references)
            .map_err(|e| ResolveError::ReaderSchema(e.to_string()))?;
        Ok(Self {
            reader,
            writers: Mutex::default(),
            _type: std::marker::PhantomData,
        })
    }

    /// Decodes a frame. `own_id` is the id `T`'s schema is registered under, if it is: frames
    /// with it skip resolution. A reader whose schema is not registered passes `None`, and
    /// every frame is resolved against its writer schema.
    pub async fn decode(
        &self,
        ids: &SchemaIds,
        own_id: impl Into<Option<u32>>,
        bytes: &[u8],
    ) -> Result<T, ResolveError> {
        let frame = wire::decode(bytes).map_err(DecodeError::from)?;
        if own_id.into() == Some(frame.schema_id) {
            return Ok(enc::from_datum(frame.payload)?);
        }
        let writer = self.writer(ids, frame.schema_id).await?;
        self.decode_with(&writer, frame.payload)
    }

    /// Decodes a datum written with `writer`.
    pub fn decode_with(&self, writer: &AvroSchema, datum: &[u8]) -> Result<T, ResolveError> {
        let bytes = transcode(writer, &self.reader, datum)?;
        Ok(enc::from_datum(&bytes)?)
    }

    async fn writer(&self, ids: &SchemaIds, id: u32) -> Result<Arc<AvroSchema>, ResolveError> {
        if let Some(w) = self
            .writers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
        {
            return Ok(w.clone());
        }
        let registered = ids.schema(id).await?;
        let references: Vec<(&str, &str)> = registered
            .dependencies
            .iter()
            .map(|(name, text)| (name.as_str(), text.as_str()))
            .collect();
        let parsed =
            parse_with_references(&format!("schema id {id}"), &registered.schema, &references)
                .map_err(|e| ResolveError::WriterSchema {
                    id,
                    message: e.to_string(),
                })?;
        let parsed = Arc::new(parsed);
        self.writers
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, parsed.clone());
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::super::ids::tests::block_on;
    use super::super::ids::{BoxFuture, IdStrategy, RegisteredSchema, SchemaLookup, SchemaText};
    use super::*;

    fn schema(text: &str) -> AvroSchema {
        crate::schema::avro::parse("t", text).unwrap()
    }

    #[test]
    fn fields_are_reordered_defaulted_skipped_and_promoted() {
        let writer = schema(
            r#"{"type":"record","name":"R","fields":[
            {"name":"gone","type":"string"},{"name":"b","type":"int"},{"name":"a","type":"string"},
            {"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y","Z"]}}]}"#,
        );
        let reader = schema(
            r#"{"type":"record","name":"R","fields":[
            {"name":"a","type":"string"},{"name":"b","type":"long"},
            {"name":"c","type":["null","string"],"default":null},
            {"name":"e","type":{"type":"enum","name":"E","symbols":["Y","X"],"default":"X"}}]}"#,
        );
        let mut datum = Vec::new();
        enc::write_str(&mut datum, "skip me");
        enc::write_int(&mut datum, 7);
        enc::write_str(&mut datum, "hi");
        enc::write_long(&mut datum, 2); // Z: unknown to the reader, so its default X
        let got = transcode(&writer, &reader, &datum).unwrap();
        let mut want = Vec::new();
        enc::write_str(&mut want, "hi");
        enc::write_long(&mut want, 7);
        enc::write_long(&mut want, 0);
        enc::write_long(&mut want, 1);
        assert_eq!(got, want);
    }

    /// A named type inside a union is matched by the reader's aliases, as outside one.
    #[test]
    fn union_branches_match_reader_aliases() {
        let cases = [
            (
                r#"{"type":"record","name":"A","fields":[{"name":"x","type":"int"}]}"#,
                r#"{"type":"record","name":"B","aliases":["A"],"fields":[{"name":"x","type":"int"}]}"#,
                vec![14u8],
            ),
            (
                r#"{"type":"enum","name":"A","symbols":["P","Q"]}"#,
                r#"{"type":"enum","name":"B","aliases":["A"],"symbols":["P","Q"]}"#,
                vec![2u8],
            ),
            (
                r#"{"type":"fixed","name":"A","size":2}"#,
                r#"{"type":"fixed","name":"B","aliases":["A"],"size":2}"#,
                vec![1u8, 2],
            ),
        ];
        let record = |ty: &str| {
            schema(&format!(
                r#"{{"type":"record","name":"R","fields":[{{"name":"f","type":["null",{ty}]}}]}}"#
            ))
        };
        for (w, rd, value) in cases {
            let (writer, reader) = (record(w), record(rd));
            let mut datum = vec![2u8];
            datum.extend(&value);
            assert_eq!(transcode(&writer, &reader, &datum).unwrap(), datum, "{rd}");
            // Without the alias the branch still does not match.
            let unrelated = record(&rd.replace(r#""aliases":["A"],"#, ""));
            assert!(transcode(&writer, &unrelated, &datum).is_err(), "{rd}");
        }
    }

    /// Items that encode to no bytes cannot be bounded by the input: three nulls are `[6, 0]`.
    #[test]
    fn arrays_of_empty_items_resolve() {
        let nulls = schema(r#"{"type":"array","items":"null"}"#);
        assert_eq!(transcode(&nulls, &nulls, &[6, 0]).unwrap(), [6, 0]);
    }

    /// `levels` nested `LongList` records (3 bytes a level).
    fn long_list(levels: usize) -> Vec<u8> {
        let mut datum = Vec::new();
        for _ in 1..levels {
            datum.extend_from_slice(&[0, 2]); // value 0, next: a LongList
        }
        datum.extend_from_slice(&[0, 0]);
        datum
    }

    /// A recursive writer nests as deep as its bytes say: bounded, not a stack overflow, and
    /// the bound itself fits a test thread's 2 MiB stack in a debug build.
    #[test]
    fn deep_nesting_is_an_error() {
        let list = schema(
            r#"{"type":"record","name":"LongList","fields":[
            {"name":"value","type":"long"},{"name":"next","type":["null","LongList"]}]}"#,
        );
        let limit = MAX_RESOLVED_DEPTH as usize;
        let deepest = long_list(limit);
        assert_eq!(transcode(&list, &list, &deepest).unwrap(), deepest);
        for levels in [limit + 1, 200_000] {
            assert!(matches!(
                transcode(&list, &list, &long_list(levels)),
                Err(ResolveError::Decode(DecodeError::TooDeep(_)))
            ));
        }
    }

    /// A reader type whose schema is `"long"`.
    #[derive(Debug, PartialEq)]
    struct Long(i64);
    impl enc::AvroEncode for Long {
        fn avro_encode(&self, out: &mut Vec<u8>) {
            enc::write_long(out, self.0);
        }
    }
    impl enc::AvroDecode for Long {
        fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
            r.read_long().map(Long)
        }
    }
    impl AvroType for Long {
        const SCHEMA: &'static str = r#""long""#;
        const FULL_NAME: &'static str = "long";
        const SUBJECT: &'static str = "n-value";
        const FINGERPRINT: u64 = 0;
        const SCHEMA_ID: Option<u32> = None;
    }

    /// Id 1 is `"int"`, id 2 `"long"`; no other id exists.
    struct Writers;
    impl SchemaLookup for Writers {
        fn register<'a>(
            &'a self,
            s: &'a str,
            _: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Err(IdError::NotRegistered(s.to_string())) })
        }
        fn lookup<'a>(
            &'a self,
            s: &'a str,
            _: SchemaText<'a>,
        ) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Err(IdError::NotRegistered(s.to_string())) })
        }
        fn latest<'a>(&'a self, s: &'a str) -> BoxFuture<'a, Result<u32, IdError>> {
            Box::pin(async move { Err(IdError::NotRegistered(s.to_string())) })
        }
        fn schema_by_id(&self, id: u32) -> BoxFuture<'_, Result<RegisteredSchema, IdError>> {
            Box::pin(async move {
                let schema = match id {
                    1 => r#""int""#,
                    2 => r#""long""#,
                    _ => return Err(IdError::UnknownId(id)),
                };
                Ok(RegisteredSchema {
                    schema_type: "AVRO",
                    schema: schema.to_string(),
                    dependencies: Vec::new(),
                })
            })
        }
    }

    /// A reader whose own schema is not registered still reads every writer's frames: each
    /// is resolved against the writer schema its id names.
    #[test]
    fn a_reader_without_its_own_id_resolves_every_frame() {
        let ids = SchemaIds::new(Writers, IdStrategy::Lookup);
        let decoder = ResolvingDecoder::<Long>::new().unwrap();
        // An `int` frame (id 1) and a `long` frame (id 2), both 7.
        for id in [1, 2] {
            let frame = crate::runtime::avro::to_frame(&Long(7), id);
            assert_eq!(
                block_on(decoder.decode(&ids, None, &frame)).unwrap(),
                Long(7)
            );
        }
        // With its own id, the reader's frames decode directly, without asking the registry.
        let frame = crate::runtime::avro::to_frame(&Long(8), 9);
        assert_eq!(
            block_on(decoder.decode(&ids, 9u32, &frame)).unwrap(),
            Long(8)
        );
        assert!(matches!(
            block_on(decoder.decode(&ids, None, &frame)),
            Err(ResolveError::Id(IdError::UnknownId(9)))
        ));
    }

    #[test]
    fn missing_default_and_bad_input_are_errors() {
        let writer = schema(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#);
        let reader = schema(r#"{"type":"record","name":"R","fields":[{"name":"z","type":"int"}]}"#);
        assert!(matches!(
            transcode(&writer, &reader, &[2]),
            Err(ResolveError::MissingDefault(_))
        ));
        let reader =
            schema(r#"{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}"#);
        assert!(matches!(
            transcode(&writer, &reader, &[2]),
            Err(ResolveError::Mismatch { .. })
        ));
        assert!(matches!(
            transcode(&writer, &writer, &[]),
            Err(ResolveError::Decode(_))
        ));
    }
}
