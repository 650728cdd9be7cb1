//! What generated Protobuf types carry for Confluent framing. The framing itself needs
//! `prost` (the `prost` feature); the trait does not.

use crate::wire::{self, WireError};

/// A generated Protobuf message and the schema it was generated from.
pub trait ProtobufType {
    /// The message's full name (`acme.orders.Order`).
    const FULL_NAME: &'static str;
    /// Confluent's message-index path of the message in its file.
    const MESSAGE_INDEXES: &'static [i32];
    /// The `.proto` file's text, as registered.
    const SCHEMA: &'static str;
    /// The Confluent subject, from the naming strategy configured at generation.
    const SUBJECT: &'static str;
    /// A schema id pinned at build time, if any.
    const SCHEMA_ID: Option<u32>;
    /// The files this one imports, as Confluent schema references (well-known types excluded).
    const REFERENCES: &'static [super::ids::Reference] = &[];
}

/// Why a Protobuf frame could not be decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProtobufFrameError {
    #[error(transparent)]
    Wire(#[from] WireError),
    #[error("frame holds message {found:?} of the schema, expected {expected:?}")]
    OtherMessage {
        found: Vec<i32>,
        expected: &'static [i32],
    },
    #[error("invalid Protobuf message: {0}")]
    Message(String),
}

/// Encodes a message in a Confluent frame with `schema_id`.
#[cfg(feature = "prost")]
pub fn to_frame<M: ProtobufType + prost::Message>(message: &M, schema_id: u32) -> Vec<u8> {
    let len = message.encoded_len();
    let mut out = Vec::with_capacity(wire::HEADER_LEN + 5 * (M::MESSAGE_INDEXES.len() + 1) + len);
    wire::write_header(schema_id, &mut out);
    wire::write_message_indexes(M::MESSAGE_INDEXES, &mut out);
    // The capacity is reserved above, so `encode_raw` need not measure the message a second
    // time as `encode` would (that second pass was most of the framing overhead).
    message.encode_raw(&mut out);
    out
}

/// Decodes a Confluent frame holding an `M` with schema id `expected_id`.
#[cfg(feature = "prost")]
pub fn from_frame<M: ProtobufType + prost::Message + Default>(
    bytes: &[u8],
    expected_id: u32,
) -> Result<M, ProtobufFrameError> {
    let (id, indexes, message) = split_frame(bytes)?;
    if id != expected_id {
        return Err(WireError::UnexpectedSchemaId {
            found: id,
            expected: expected_id,
        }
        .into());
    }
    if indexes != M::MESSAGE_INDEXES {
        return Err(ProtobufFrameError::OtherMessage {
            found: indexes,
            expected: M::MESSAGE_INDEXES,
        });
    }
    M::decode(message).map_err(|e| ProtobufFrameError::Message(e.to_string()))
}

/// Splits a Protobuf frame into schema id, message indexes and message bytes.
pub fn split_frame(bytes: &[u8]) -> Result<(u32, Vec<i32>, &[u8]), WireError> {
    let frame = wire::decode(bytes)?;
    let (indexes, message) = wire::read_message_indexes(frame.payload)?;
    Ok((frame.schema_id, indexes, message))
}
