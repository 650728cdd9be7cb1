//! Frame decoding for the consumer: every way a frame can fail is either poison (the frame
//! itself is bad: it goes to the dead-letter topic) or a registry outage (nothing is wrong with
//! the frame: stop, commit nothing, read it again later).

use std::future::Future;
use std::sync::Arc;

use schemactl::runtime::avro::{AvroType, DecodeError};
use schemactl::runtime::ids::{IdError, SchemaIds};
use schemactl::runtime::protobuf::{split_frame, ProtobufType};
use schemactl::runtime::resolve::{ResolveError, ResolvingDecoder};
use schemactl::wire::WireError;

/// What is wrong with a poison frame; [`PoisonKind::as_str`] is the dead-letter header value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoisonKind {
    /// Not a Confluent frame: too short, or a magic byte other than 0.
    NotAFrame,
    /// A schema id the registry does not have.
    UnknownSchemaId,
    /// A writer schema this reader cannot read (another format, or an incompatible version).
    IncompatibleSchema,
    /// The bytes after the header do not decode with the writer's schema.
    CorruptDatum,
}

impl PoisonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PoisonKind::NotAFrame => "not-a-frame",
            PoisonKind::UnknownSchemaId => "unknown-schema-id",
            PoisonKind::IncompatibleSchema => "incompatible-schema",
            PoisonKind::CorruptDatum => "corrupt-datum",
        }
    }
}

/// Why a frame was not decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeFailure {
    #[error("{message}")]
    Poison { kind: PoisonKind, message: String },
    /// The registry could not be asked (network, auth, server error): not the frame's fault.
    #[error("schema registry unavailable: {0}")]
    Registry(String),
}

impl DecodeFailure {
    fn poison(kind: PoisonKind, e: impl std::fmt::Display) -> Self {
        DecodeFailure::Poison {
            kind,
            message: e.to_string(),
        }
    }
}

impl From<IdError> for DecodeFailure {
    fn from(e: IdError) -> Self {
        match e {
            IdError::UnknownId(_) => DecodeFailure::poison(PoisonKind::UnknownSchemaId, e),
            // Only the reader's own schema is looked up by subject, and `AvroFrames::new`
            // handles its absence: any other is the registry's doing.
            IdError::NotRegistered(_) | IdError::Registry(_) => {
                DecodeFailure::Registry(e.to_string())
            }
        }
    }
}

impl From<DecodeError> for DecodeFailure {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::Wire(WireError::TooShort { .. } | WireError::BadMagic { .. }) => {
                DecodeFailure::poison(PoisonKind::NotAFrame, e)
            }
            _ => DecodeFailure::poison(PoisonKind::CorruptDatum, e),
        }
    }
}

impl From<ResolveError> for DecodeFailure {
    fn from(e: ResolveError) -> Self {
        match e {
            ResolveError::Decode(e) => e.into(),
            ResolveError::Id(e) => e.into(),
            _ => DecodeFailure::poison(PoisonKind::IncompatibleSchema, e),
        }
    }
}

/// Decodes the value of a Kafka message.
pub trait FrameDecoder: Send + Sync {
    type Value: Send;
    fn decode(
        &self,
        bytes: &[u8],
    ) -> impl Future<Output = Result<Self::Value, DecodeFailure>> + Send;
}

/// Avro frames of any version of `T`'s subject, resolved into `T` (the newest version).
pub struct AvroFrames<T> {
    ids: Arc<SchemaIds>,
    own_id: Option<u32>,
    decoder: ResolvingDecoder<T>,
}

impl<T: AvroType + Send> AvroFrames<T> {
    /// Finds the id of `T`'s own schema under its subject (frames with it decode directly). A
    /// reader whose schema is not registered still reads every frame, each resolved against
    /// its writer's schema.
    pub async fn new(ids: Arc<SchemaIds>) -> Result<Self, DecodeFailure> {
        let own_id = match ids.id_for_type::<T>().await {
            Ok(id) => Some(id),
            Err(IdError::NotRegistered(_)) => None,
            Err(e) => return Err(e.into()),
        };
        let decoder =
            ResolvingDecoder::new().map_err(|e| DecodeFailure::Registry(e.to_string()))?;
        Ok(Self {
            ids,
            own_id,
            decoder,
        })
    }
}

impl<T: AvroType + Send> FrameDecoder for AvroFrames<T> {
    type Value = T;
    async fn decode(&self, bytes: &[u8]) -> Result<T, DecodeFailure> {
        Ok(self.decoder.decode(&self.ids, self.own_id, bytes).await?)
    }
}

/// Protobuf frames of `M`: Protobuf reads every version by field number, so the registry is
/// asked only whether the id exists and names a Protobuf schema.
pub struct ProtobufFrames<M> {
    ids: Arc<SchemaIds>,
    _message: std::marker::PhantomData<fn() -> M>,
}

impl<M> ProtobufFrames<M> {
    pub fn new(ids: Arc<SchemaIds>) -> Self {
        Self {
            ids,
            _message: std::marker::PhantomData,
        }
    }
}

impl<M: ProtobufType + prost::Message + Default> FrameDecoder for ProtobufFrames<M> {
    type Value = M;
    async fn decode(&self, bytes: &[u8]) -> Result<M, DecodeFailure> {
        let (id, indexes, message) = split_frame(bytes).map_err(|e| match e {
            WireError::TooShort { .. } | WireError::BadMagic { .. } => {
                DecodeFailure::poison(PoisonKind::NotAFrame, e)
            }
            _ => DecodeFailure::poison(PoisonKind::CorruptDatum, e),
        })?;
        let schema_type = self.ids.schema(id).await?.schema_type;
        if schema_type != "PROTOBUF" {
            // An Avro frame's datum could parse as Protobuf fields: refuse it by its id.
            return Err(DecodeFailure::poison(
                PoisonKind::IncompatibleSchema,
                format!("schema {id} is {schema_type}, not a Protobuf schema"),
            ));
        }
        if indexes != M::MESSAGE_INDEXES {
            return Err(DecodeFailure::poison(
                PoisonKind::IncompatibleSchema,
                format!(
                    "frame holds message {indexes:?} of schema {id}, expected {:?} ({})",
                    M::MESSAGE_INDEXES,
                    M::FULL_NAME
                ),
            ));
        }
        M::decode(message).map_err(|e| DecodeFailure::poison(PoisonKind::CorruptDatum, e))
    }
}
