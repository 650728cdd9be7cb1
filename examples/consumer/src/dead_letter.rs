//! The dead-letter record of a poison frame: its key, value and headers unchanged, plus headers
//! naming the error and where the frame came from, so that it can be inspected and replayed.

use rdkafka::message::{Header, Headers, Message, OwnedHeaders};

use crate::decode::PoisonKind;

/// Header: the error, as a sentence.
pub const ERROR: &str = "schemactl.error";
/// Header: the kind of error ([`PoisonKind::as_str`]).
pub const ERROR_KIND: &str = "schemactl.error.kind";
/// Header: the topic the frame was read from.
pub const SOURCE_TOPIC: &str = "schemactl.source.topic";
/// Header: its partition, in decimal.
pub const SOURCE_PARTITION: &str = "schemactl.source.partition";
/// Header: its offset, in decimal.
pub const SOURCE_OFFSET: &str = "schemactl.source.offset";

/// The source message's headers followed by the dead-letter headers.
pub fn headers(source: &impl Message, kind: PoisonKind, error: &str) -> OwnedHeaders {
    let mut headers = OwnedHeaders::new();
    if let Some(original) = source.headers() {
        for h in original.iter() {
            headers = headers.insert(Header {
                key: h.key,
                value: h.value,
            });
        }
    }
    let partition = source.partition().to_string();
    let offset = source.offset().to_string();
    for (key, value) in [
        (ERROR, error),
        (ERROR_KIND, kind.as_str()),
        (SOURCE_TOPIC, source.topic()),
        (SOURCE_PARTITION, partition.as_str()),
        (SOURCE_OFFSET, offset.as_str()),
    ] {
        headers = headers.insert(Header {
            key,
            value: Some(value),
        });
    }
    headers
}
