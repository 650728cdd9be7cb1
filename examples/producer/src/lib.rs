//! A producer of Confluent-framed values on a real Kafka client (librdkafka through `rdkafka`):
//! generated Avro and Protobuf types, schema ids from the registry at run time, and the
//! producer settings Kafka's guidance gives for data that must not be lost or duplicated.

pub mod cli;

use rdkafka::config::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::util::Timeout;
use schemactl::runtime::avro::AvroType;
use schemactl::runtime::ids::{IdError, SchemaIds};
use schemactl::runtime::protobuf::ProtobufType;

/// The current version of `com.example.shop.Order` and the `example.shop.Payment` message.
pub mod schemas {
    include!(concat!(env!("OUT_DIR"), "/schemactl_avro.rs"));
    include!(concat!(env!("OUT_DIR"), "/schemactl_protobuf.rs"));
}

/// Version 1 of `com.example.shop.Order`, as producers not yet upgraded still write it.
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/v1/schemactl_avro.rs"));
}

/// Why a value was not delivered.
#[derive(Debug, thiserror::Error)]
pub enum ProduceError {
    #[error(transparent)]
    SchemaId(#[from] IdError),
    #[error(transparent)]
    Registry(#[from] schemactl::registry::RegistryError),
    #[error("kafka: {0}")]
    Kafka(#[from] KafkaError),
}

/// Where a value landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub partition: i32,
    pub offset: i64,
}

// README: producer-config
/// A producer for critical data: every in-sync replica acknowledges (`acks=all`), and retries
/// cannot duplicate or reorder (`enable.idempotence=true`).
pub fn producer(brokers: &str) -> Result<FutureProducer, KafkaError> {
    ClientConfig::new()
        .set("bootstrap.servers", brokers)
        .set("acks", "all")
        .set("enable.idempotence", "true")
        .create()
}
// README: end

// README: produce
/// Sends a generated Avro value in a Confluent frame, with the id the registry gives its schema.
pub async fn send_avro<T: AvroType>(
    producer: &FutureProducer,
    ids: &SchemaIds,
    topic: &str,
    key: &str,
    value: &T,
) -> Result<Delivered, ProduceError> {
    let id = ids.id_for_type::<T>().await?; // cached after the first call
    let frame = schemactl::runtime::avro::to_frame(value, id);
    send(producer, topic, key, &frame).await
}
// README: end

/// Sends a generated Protobuf message in a Confluent frame (id, message indexes, message).
pub async fn send_protobuf<M: ProtobufType + prost::Message>(
    producer: &FutureProducer,
    ids: &SchemaIds,
    topic: &str,
    key: &str,
    message: &M,
) -> Result<Delivered, ProduceError> {
    let id = ids.id_for_message::<M>().await?;
    let frame = schemactl::runtime::protobuf::to_frame(message, id);
    send(producer, topic, key, &frame).await
}

/// Sends bytes as they are and waits for the brokers' acknowledgement.
pub async fn send(
    producer: &FutureProducer,
    topic: &str,
    key: &str,
    payload: &[u8],
) -> Result<Delivered, ProduceError> {
    let record = FutureRecord::to(topic).key(key).payload(payload);
    let delivery = producer
        .send(record, Timeout::Never)
        .await
        .map_err(|(e, _)| e)?;
    Ok(Delivered {
        partition: delivery.partition,
        offset: delivery.offset,
    })
}
