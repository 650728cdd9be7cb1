//! A consumer of Confluent frames on a real Kafka client (librdkafka through `rdkafka`): frames
//! written with any version of a subject are read into the newest generated type, offsets are
//! committed after processing, and a frame that cannot be decoded goes to a dead-letter topic
//! with headers naming the error and its source, instead of stopping the consumer or being
//! skipped without a trace.

pub mod consume;
pub mod dead_letter;
pub mod decode;
pub mod lookup;

/// The newest `com.example.shop.Order` and the `example.shop.Payment` message, generated in
/// the producer crate.
pub use schemactl_example_producer::schemas;

pub use consume::{consumer, process, run, ConsumeError, Outcome, Stats};
pub use decode::{AvroFrames, DecodeFailure, FrameDecoder, PoisonKind, ProtobufFrames};
