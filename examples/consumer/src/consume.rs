//! The consume loop: decode, hand the value over (or dead-letter the frame), then commit.
//! Offsets are committed only after a frame is handled or its dead-letter copy acknowledged,
//! so a crash re-reads frames rather than losing them (at-least-once).

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::util::Timeout;

use crate::dead_letter;
use crate::decode::{DecodeFailure, FrameDecoder, PoisonKind};

/// Why the loop stopped before its limit.
#[derive(Debug, thiserror::Error)]
pub enum ConsumeError {
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
    /// Nothing was committed for the frame being read: it is read again after a restart.
    #[error("schema registry unavailable at {topic}[{partition}]@{offset}: {message}")]
    Registry {
        topic: String,
        partition: i32,
        offset: i64,
        message: String,
    },
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<T> {
    Decoded(T),
    /// A poison frame, to be sent to the dead-letter topic.
    DeadLetter {
        kind: PoisonKind,
        error: String,
    },
}

/// Counts of one run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub decoded: u64,
    pub dead_lettered: u64,
}

// README: consumer-config
/// A consumer in `group` that starts at the earliest offset and never commits on its own:
/// [`run`] commits each message after processing it.
pub fn consumer(brokers: &str, group: &str) -> Result<StreamConsumer, KafkaError> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
}
// README: end

/// Decodes one message. A missing value (a tombstone) is poison too: this topic's values are frames.
pub async fn process<D: FrameDecoder>(
    decoder: &D,
    message: &impl Message,
) -> Result<Outcome<D::Value>, DecodeFailure> {
    match decoder.decode(message.payload().unwrap_or_default()).await {
        Ok(value) => Ok(Outcome::Decoded(value)),
        Err(DecodeFailure::Poison { kind, message }) => Ok(Outcome::DeadLetter {
            kind,
            error: message,
        }),
        Err(e) => Err(e),
    }
}

// README: consume
/// Reads `topic` until `limit` messages (or forever): each decoded value goes to `handle`, each
/// poison frame to `dead_letter_topic` with headers naming the error and its source; then the
/// message's offset is committed.
pub async fn run<D: FrameDecoder>(
    consumer: &StreamConsumer,
    dead_letters: &FutureProducer,
    dead_letter_topic: &str,
    decoder: &D,
    limit: Option<u64>,
    mut handle: impl FnMut(D::Value),
) -> Result<Stats, ConsumeError> {
    let mut stats = Stats::default();
    while limit.is_none_or(|n| stats.decoded + stats.dead_lettered < n) {
        let message = consumer.recv().await?;
        match process(decoder, &message).await {
            Ok(Outcome::Decoded(value)) => {
                handle(value);
                stats.decoded += 1;
            }
            Ok(Outcome::DeadLetter { kind, error }) => {
                dead_letter(dead_letters, dead_letter_topic, &message, kind, &error).await?;
                stats.dead_lettered += 1;
            }
            Err(e) => return Err(registry_error(&message, e)),
        }
        consumer.commit_message(&message, CommitMode::Sync)?;
    }
    Ok(stats)
}
// README: end

/// Copies a poison frame to the dead-letter topic and waits for its acknowledgement.
async fn dead_letter(
    producer: &FutureProducer,
    topic: &str,
    message: &BorrowedMessage<'_>,
    kind: PoisonKind,
    error: &str,
) -> Result<(), KafkaError> {
    let mut record =
        FutureRecord::<[u8], [u8]>::to(topic).headers(dead_letter::headers(message, kind, error));
    if let Some(key) = message.key() {
        record = record.key(key);
    }
    if let Some(payload) = message.payload() {
        record = record.payload(payload);
    }
    producer
        .send(record, Timeout::Never)
        .await
        .map_err(|(e, _)| e)?;
    Ok(())
}

fn registry_error(message: &BorrowedMessage<'_>, e: DecodeFailure) -> ConsumeError {
    ConsumeError::Registry {
        topic: message.topic().to_string(),
        partition: message.partition(),
        offset: message.offset(),
        message: e.to_string(),
    }
}
