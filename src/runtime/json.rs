//! Confluent's JSON Schema framing: magic byte `0`, the schema id as 4 bytes big-endian, then the
//! value as UTF-8 JSON text (no message indexes, no length prefix), written and read with `serde`.
//!
//! [`to_frame`] and [`from_frame`] frame any `serde` type without looking at a schema. Confluent's
//! serializers also validate every value against its schema on both sides by default; with the
//! `json-validate` feature, [`Validator`] does that, and the helpers of generated types
//! ([`to_frame_of`], [`from_frame_of`]) validate against the type's own schema.
//!
//! Decoding never panics: a short frame, a wrong magic byte, bytes that are not UTF-8 or not JSON,
//! JSON that does not fit the type and (when validating) a value that breaks the schema are each
//! an error of their own. `serde_json` bounds nesting at 128 levels, so hostile depth is an
//! error too, not a stack overflow.

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use super::ids::Reference;
use crate::wire::{self, WireError};

/// A type generated from a JSON Schema and the schema it was generated from.
pub trait JsonType: Serialize + DeserializeOwned {
    /// The schema as registered: the file's text.
    const SCHEMA: &'static str;
    /// The Confluent subject, from the naming strategy configured at generation.
    const SUBJECT: &'static str;
    /// A schema id pinned at build time, if any.
    const SCHEMA_ID: Option<u32>;
    /// Schemas this one references (Confluent schema references), each with its own.
    const REFERENCES: &'static [Reference] = &[];
}

/// Why a JSON frame could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JsonFrameError {
    /// A short frame, a wrong magic byte or an unexpected schema id.
    #[error(transparent)]
    Wire(#[from] WireError),
    #[error("JSON payload is not UTF-8: invalid byte at offset {offset} of the payload")]
    InvalidUtf8 { offset: usize },
    /// Not JSON text (or nested deeper than 128 levels); the message names line and column.
    #[error("payload is not valid JSON: {0}")]
    InvalidJson(String),
    /// Valid JSON whose shape does not fit the Rust type.
    #[error("JSON payload does not fit the type: {0}")]
    Mismatch(String),
    /// The value cannot be written as JSON (e.g. a map with non-string keys).
    #[error("value cannot be written as JSON: {0}")]
    Serialize(String),
    /// The value breaks the schema; `pointer` is the JSON pointer of the failing part of the
    /// value (`/items/0/price`; empty for the whole value).
    #[error("value violates its JSON Schema at '{pointer}': {message}")]
    Invalid { pointer: String, message: String },
    /// The schema (or one it references) cannot be compiled for validation.
    #[error("JSON Schema cannot be used for validation: {0}")]
    Schema(String),
}

/// Encodes `value` as JSON in a Confluent frame with `schema_id`, without validation.
pub fn to_frame<T: Serialize + ?Sized>(
    value: &T,
    schema_id: u32,
) -> Result<Vec<u8>, JsonFrameError> {
    let mut out = Vec::with_capacity(64);
    wire::write_header(schema_id, &mut out);
    serde_json::to_writer(&mut out, value).map_err(|e| JsonFrameError::Serialize(e.to_string()))?;
    Ok(out)
}

/// Decodes a Confluent JSON frame whose schema id must be `expected_id`, without validation.
pub fn from_frame<T: DeserializeOwned>(
    bytes: &[u8],
    expected_id: u32,
) -> Result<T, JsonFrameError> {
    let text = payload_of(bytes, expected_id)?;
    serde_json::from_str(text).map_err(read_error)
}

/// Splits a JSON frame into its schema id and its payload, checked to be UTF-8 (not yet parsed):
/// for a consumer that picks the type or the schema by id.
pub fn split_frame(bytes: &[u8]) -> Result<(u32, &str), JsonFrameError> {
    let frame = wire::decode(bytes)?;
    let text = std::str::from_utf8(frame.payload).map_err(|e| JsonFrameError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok((frame.schema_id, text))
}

/// Encodes a generated type's value in a frame with `schema_id`. With the `json-validate`
/// feature the value is first validated against `T::SCHEMA`, as Confluent's serializers do by
/// default; the bytes written are the same either way.
pub fn to_frame_of<T: JsonType + 'static>(
    value: &T,
    schema_id: u32,
) -> Result<Vec<u8>, JsonFrameError> {
    #[cfg(feature = "json-validate")]
    {
        Validator::for_type::<T>()?.to_frame(value, schema_id)
    }
    #[cfg(not(feature = "json-validate"))]
    {
        to_frame(value, schema_id)
    }
}

/// Decodes a frame holding a generated type's value with schema id `expected_id`. With the
/// `json-validate` feature the value is validated against `T::SCHEMA` before it is converted,
/// as Confluent's deserializers do by default.
pub fn from_frame_of<T: JsonType + 'static>(
    bytes: &[u8],
    expected_id: u32,
) -> Result<T, JsonFrameError> {
    #[cfg(feature = "json-validate")]
    {
        Validator::for_type::<T>()?.from_frame(bytes, expected_id)
    }
    #[cfg(not(feature = "json-validate"))]
    {
        from_frame(bytes, expected_id)
    }
}

/// The UTF-8 payload of a frame, once its header is checked and its id is `expected_id`.
fn payload_of(bytes: &[u8], expected_id: u32) -> Result<&str, JsonFrameError> {
    let (id, text) = split_frame(bytes)?;
    if id != expected_id {
        return Err(WireError::UnexpectedSchemaId {
            found: id,
            expected: expected_id,
        }
        .into());
    }
    Ok(text)
}

/// Syntax errors and early ends are not JSON; anything else is JSON of the wrong shape.
fn read_error(e: serde_json::Error) -> JsonFrameError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Data => JsonFrameError::Mismatch(e.to_string()),
        Category::Syntax | Category::Eof | Category::Io => {
            JsonFrameError::InvalidJson(e.to_string())
        }
    }
}

#[cfg(feature = "json-validate")]
pub use self::validate::Validator;

#[cfg(feature = "json-validate")]
mod validate {
    use std::any::TypeId;
    use std::collections::HashMap;
    use std::sync::{Arc, OnceLock, RwLock};

    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use serde_json::Value;

    use super::{payload_of, read_error, to_frame, JsonFrameError, JsonType, Reference};

    /// A schema error's message is cut to this many characters: it quotes the offending value,
    /// which in a hostile frame may be megabytes long.
    const MAX_MESSAGE: usize = 200;

    /// A JSON Schema compiled for validation (with the `json-validate` feature).
    ///
    /// A schema without `$schema` is read as draft 7, as Confluent does. References resolve
    /// only to the documents given: nothing is fetched. `pattern` uses the linear-time `regex`
    /// engine, so a hostile value cannot make validation take exponential time (a pattern with
    /// look-around or back-references is a schema error).
    #[derive(Debug)]
    pub struct Validator {
        inner: jsonschema::Validator,
    }

    impl Validator {
        /// Compiles `schema` (JSON Schema text).
        pub fn new(schema: &str) -> Result<Self, JsonFrameError> {
            Self::with_references(schema, &[])
        }

        /// Compiles `schema` with its Confluent references as `(name, schema text)` pairs: a
        /// `$ref` naming a reference's `name` (relative to the root's `$id`, if any) reaches
        /// that document.
        pub fn with_references(
            schema: &str,
            references: &[(&str, &str)],
        ) -> Result<Self, JsonFrameError> {
            let root = parse_schema("schema", schema)?;
            let base = root
                .get("$id")
                .and_then(Value::as_str)
                .and_then(|id| id.rfind('/').map(|i| id[..=i].to_string()));
            let mut registry = jsonschema::Registry::new();
            for (name, text) in references {
                let doc = parse_schema(name, text)?;
                let draft = draft_of(name, &doc)?;
                let mut uris = vec![format!("json-schema:///{name}")];
                if name.contains("://") {
                    uris.push((*name).to_string());
                }
                if let Some(base) = &base {
                    uris.push(format!("{base}{name}"));
                }
                for uri in uris {
                    registry = registry
                        .add(uri, draft.create_resource(doc.clone()))
                        .map_err(|e| JsonFrameError::Schema(format!("reference '{name}': {e}")))?;
                }
            }
            let registry = registry
                .prepare()
                .map_err(|e| JsonFrameError::Schema(e.to_string()))?;
            let inner = jsonschema::options()
                .with_draft(draft_of("schema", &root)?)
                .with_registry(&registry)
                .offline()
                .with_pattern_options(jsonschema::PatternOptions::regex())
                .build(&root)
                .map_err(|e| JsonFrameError::Schema(e.to_string()))?;
            Ok(Self { inner })
        }

        /// The validator of a generated type's schema (with its references), compiled once per
        /// type and process.
        pub fn for_type<T: JsonType + 'static>() -> Result<Arc<Self>, JsonFrameError> {
            type Cache = RwLock<HashMap<TypeId, Arc<Validator>>>;
            static CACHE: OnceLock<Cache> = OnceLock::new();
            let cache = CACHE.get_or_init(Cache::default);
            let key = TypeId::of::<T>();
            if let Some(v) = cache.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
                return Ok(v.clone());
            }
            let dependencies = dependencies(T::REFERENCES);
            let pairs: Vec<(&str, &str)> = dependencies.iter().map(|&(n, s)| (n, s)).collect();
            let validator = Arc::new(Self::with_references(T::SCHEMA, &pairs)?);
            cache
                .write()
                .unwrap_or_else(|e| e.into_inner())
                .insert(key, validator.clone());
            Ok(validator)
        }

        /// Checks `value` against the schema; the error names the JSON pointer of the first
        /// failing part of the value.
        pub fn validate(&self, value: &Value) -> Result<(), JsonFrameError> {
            self.inner.validate(value).map_err(|e| {
                let mut message = e.to_string();
                if message.chars().count() > MAX_MESSAGE {
                    message = message.chars().take(MAX_MESSAGE).collect::<String>() + "…";
                }
                JsonFrameError::Invalid {
                    pointer: e.instance_path().to_string(),
                    message,
                }
            })
        }

        /// [`super::to_frame`], after validating the value: the bytes are the same.
        pub fn to_frame<T: Serialize + ?Sized>(
            &self,
            value: &T,
            schema_id: u32,
        ) -> Result<Vec<u8>, JsonFrameError> {
            let frame = to_frame(value, schema_id)?;
            // The value is checked as a reader will see it: parsed back from the bytes written.
            let written: Value = serde_json::from_slice(&frame[crate::wire::HEADER_LEN..])
                .map_err(|e| JsonFrameError::Serialize(e.to_string()))?;
            self.validate(&written)?;
            Ok(frame)
        }

        /// [`super::from_frame`], validating the value before converting it to `T`.
        pub fn from_frame<T: DeserializeOwned>(
            &self,
            bytes: &[u8],
            expected_id: u32,
        ) -> Result<T, JsonFrameError> {
            let text = payload_of(bytes, expected_id)?;
            let value: Value = serde_json::from_str(text).map_err(read_error)?;
            self.validate(&value)?;
            T::deserialize(value).map_err(|e| JsonFrameError::Mismatch(e.to_string()))
        }
    }

    fn parse_schema(name: &str, text: &str) -> Result<Value, JsonFrameError> {
        serde_json::from_str(text).map_err(|e| JsonFrameError::Schema(format!("{name}: {e}")))
    }

    /// The draft `$schema` names, draft 7 without one (Confluent's default).
    fn draft_of(name: &str, doc: &Value) -> Result<jsonschema::Draft, JsonFrameError> {
        let draft = jsonschema::Draft::Draft7.detect(doc);
        if draft == jsonschema::Draft::Unknown {
            return Err(JsonFrameError::Schema(format!(
                "{name}: unknown $schema {}",
                doc.get("$schema").unwrap_or(&Value::Null)
            )));
        }
        Ok(draft)
    }

    /// Every reference below `references`, transitively, each name once: `(name, schema)`.
    fn dependencies(references: &'static [Reference]) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<(&'static str, &'static str)> = Vec::new();
        let mut stack: Vec<&Reference> = references.iter().collect();
        while let Some(r) = stack.pop() {
            if out.iter().any(|(n, _)| *n == r.name) {
                continue;
            }
            out.push((r.name, r.schema));
            stack.extend(r.references);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Order {
        id: u64,
        items: Vec<String>,
    }

    fn order() -> Order {
        Order {
            id: 7,
            items: vec!["a".into(), "é".into()],
        }
    }

    #[test]
    fn frame_is_magic_id_and_json_text() {
        let frame = to_frame(&order(), 0x0102_0304).unwrap();
        assert_eq!(&frame[..5], &[0, 1, 2, 3, 4]);
        assert_eq!(&frame[5..], r#"{"id":7,"items":["a","é"]}"#.as_bytes());
        assert_eq!(from_frame::<Order>(&frame, 0x0102_0304).unwrap(), order());
        assert_eq!(split_frame(&frame).unwrap().0, 0x0102_0304);
    }

    #[test]
    fn garbage_frames_are_typed_errors() {
        assert_eq!(
            from_frame::<Order>(&[0, 0], 1),
            Err(JsonFrameError::Wire(WireError::TooShort { len: 2 }))
        );
        assert_eq!(
            from_frame::<Order>(b"\x01\0\0\0\x01{}", 1),
            Err(JsonFrameError::Wire(WireError::BadMagic { found: 1 }))
        );
        assert_eq!(
            from_frame::<Order>(b"\0\0\0\0\x02{}", 1),
            Err(JsonFrameError::Wire(WireError::UnexpectedSchemaId {
                found: 2,
                expected: 1
            }))
        );
        assert_eq!(
            from_frame::<Order>(b"\0\0\0\0\x01{\"id\xff", 1),
            Err(JsonFrameError::InvalidUtf8 { offset: 4 })
        );
        assert!(matches!(
            from_frame::<Order>(b"\0\0\0\0\x01{\"id\":", 1),
            Err(JsonFrameError::InvalidJson(m)) if m.contains("line 1")
        ));
        assert!(matches!(
            from_frame::<Order>(b"\0\0\0\0\x01{\"id\":\"x\",\"items\":[]}", 1),
            Err(JsonFrameError::Mismatch(m)) if m.contains("invalid type")
        ));
        // An empty payload is not JSON.
        assert!(matches!(
            from_frame::<Order>(b"\0\0\0\0\x01", 1),
            Err(JsonFrameError::InvalidJson(_))
        ));
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_stack_overflow() {
        let mut frame = vec![0, 0, 0, 0, 1];
        frame.extend(std::iter::repeat_n(b'[', 1_000_000));
        assert!(matches!(
            from_frame::<serde_json::Value>(&frame, 1),
            Err(JsonFrameError::InvalidJson(m)) if m.contains("recursion limit")
        ));
    }

    #[test]
    fn unserializable_values_are_errors() {
        let mut map = std::collections::HashMap::new();
        map.insert(vec![1u8], 1);
        assert!(matches!(
            to_frame(&map, 1),
            Err(JsonFrameError::Serialize(_))
        ));
    }
}
