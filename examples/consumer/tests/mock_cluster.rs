//! The producer and the consumer against librdkafka's mock cluster and `registry serve` on
//! loopback: frames of versions 1 and 2 of a subject are read into the newest type, poison
//! frames land in the dead-letter topic with their error and source, offsets are committed
//! after processing, and a registry outage stops the consumer without committing.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{cluster, read_topic, ServedRegistry};
use rdkafka::consumer::Consumer;
use rdkafka::Offset;
use schemactl::runtime::ids::{IdStrategy, SchemaIds};
use schemactl_example_consumer::dead_letter::{
    ERROR, ERROR_KIND, SOURCE_OFFSET, SOURCE_PARTITION, SOURCE_TOPIC,
};
use schemactl_example_consumer::lookup::consumer_ids;
use schemactl_example_consumer::schemas::com::example::shop::Order;
use schemactl_example_consumer::schemas::example::shop::Payment;
use schemactl_example_consumer::{consumer, run, AvroFrames, ConsumeError, ProtobufFrames, Stats};
use schemactl_example_producer::{producer, send, send_avro, send_protobuf, v1};

/// The committed offset of partition 0 of `topic`.
fn committed(consumer: &rdkafka::consumer::StreamConsumer, topic: &str) -> Offset {
    let list = consumer.committed(Duration::from_secs(30)).unwrap();
    list.find_partition(topic, 0).unwrap().offset()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avro_versions_resolve_and_poison_frames_are_dead_lettered() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["orders", "orders.dlq"]);
    let brokers = cluster.bootstrap_servers();

    // Version 1 and version 2 values through one `SchemaIds`, registering their schemas
    // (versions 1 and 2 of the subject `com.example.shop.Order`): each frame carries its own
    // version's id.
    let kafka = producer(&brokers).unwrap();
    let ids = SchemaIds::open(&registry.url, IdStrategy::AutoRegister).unwrap();
    let old = v1::com::example::shop::Order {
        id: "o-1".into(),
        amount_cents: 1250,
        quantity: 2,
    };
    let new = Order {
        id: "o-2".into(),
        amount_cents: 990,
        quantity: 5_000_000_000,
        currency: "CHF".into(),
        note: Some("gift".into()),
    };
    send_avro(&kafka, &ids, "orders", "o-1", &old)
        .await
        .unwrap();
    let v2_at = send_avro(&kafka, &ids, "orders", "o-2", &new)
        .await
        .unwrap();
    let v2_id = ids.id_for_type::<Order>().await.unwrap();
    let v1_id = ids
        .id_for_type::<v1::com::example::shop::Order>()
        .await
        .unwrap();
    assert_ne!(v1_id, v2_id);

    // Poison: not a frame, an id the registry does not have, a truncated datum.
    let mut not_a_frame = schemactl::runtime::avro::to_frame(&new, v2_id);
    not_a_frame[0] = 1;
    let unknown_id = schemactl::runtime::avro::to_frame(&new, 9_999);
    let full = schemactl::runtime::avro::to_frame(&new, v2_id);
    let corrupt = full[..full.len() - 3].to_vec();
    let poison = [
        (
            "bad-magic",
            not_a_frame,
            "not-a-frame",
            "unknown magic byte 1",
        ),
        (
            "unknown-id",
            unknown_id,
            "unknown-schema-id",
            "schema id 9999",
        ),
        ("corrupt", corrupt, "corrupt-datum", ""),
    ];
    for (key, bytes, _, _) in &poison {
        send(&kafka, "orders", key, bytes).await.unwrap();
    }

    let orders = consumer(&brokers, "orders-reader").unwrap();
    orders.subscribe(&["orders"]).unwrap();
    let decoder = AvroFrames::<Order>::new(Arc::new(consumer_ids(&registry.url).unwrap()))
        .await
        .unwrap();
    let mut read = Vec::new();
    let stats = run(&orders, &kafka, "orders.dlq", &decoder, Some(5), |o| {
        read.push(o)
    })
    .await
    .unwrap();

    assert_eq!(
        stats,
        Stats {
            decoded: 2,
            dead_lettered: 3
        }
    );
    // Version 1 read as version 2: the int promoted to long, the new fields' defaults.
    let old_as_new = Order {
        id: "o-1".into(),
        amount_cents: 1250,
        quantity: 2,
        currency: "EUR".into(),
        note: None,
    };
    assert_eq!(read, [old_as_new, new]);
    // Every message, poison included, is committed: the next offset to read is 5.
    assert_eq!(committed(&orders, "orders"), Offset::Offset(5));

    let dead = read_topic(&brokers, "orders.dlq", 3).await;
    for ((key, bytes, kind, error), (offset, letter)) in poison.iter().zip((2..).zip(&dead)) {
        assert_eq!(letter.key, key.as_bytes());
        assert_eq!(&letter.payload, bytes, "the frame as it was");
        assert_eq!(letter.header(ERROR_KIND), Some(*kind), "{letter:?}");
        assert!(letter.header(ERROR).unwrap().contains(error), "{letter:?}");
        assert_eq!(letter.header(SOURCE_TOPIC), Some("orders"));
        assert_eq!(letter.header(SOURCE_PARTITION), Some("0"));
        assert_eq!(
            letter.header(SOURCE_OFFSET),
            Some(offset.to_string().as_str())
        );
    }
    assert_eq!(v2_at.offset, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn protobuf_frames_decode_and_poison_frames_are_dead_lettered() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["payments", "payments.dlq"]);
    let brokers = cluster.bootstrap_servers();
    let kafka = producer(&brokers).unwrap();
    let ids = SchemaIds::open(&registry.url, IdStrategy::AutoRegister).unwrap();
    let payment = Payment {
        order_id: "o-1".into(),
        amount_cents: 1250,
        method: "card".into(),
    };
    send_protobuf(&kafka, &ids, "payments", "p-1", &payment)
        .await
        .unwrap();
    let id = ids.id_for_message::<Payment>().await.unwrap();
    // The second message of the schema (there is none), and a field with a truncated length.
    let mut other_message = vec![0];
    other_message.extend_from_slice(&id.to_be_bytes());
    other_message.extend_from_slice(&[2, 2]); // message indexes [1]
    let mut corrupt = other_message[..5].to_vec();
    corrupt.extend_from_slice(&[0, 0x0a, 0x7f, b'x']); // indexes [0], field 1 of 127 bytes
    send(&kafka, "payments", "other", &other_message)
        .await
        .unwrap();
    send(&kafka, "payments", "corrupt", &corrupt).await.unwrap();
    // An Avro schema's id on a Protobuf topic: refused by the id's schema type.
    let avro_id = ids.id_for_type::<Order>().await.unwrap();
    let mut avro_frame = vec![0];
    avro_frame.extend_from_slice(&avro_id.to_be_bytes());
    avro_frame.extend_from_slice(&[0, 0x0a, 1, b'x']); // indexes [0], field 1 = "x"
    send(&kafka, "payments", "avro", &avro_frame).await.unwrap();

    let payments = consumer(&brokers, "payments-reader").unwrap();
    payments.subscribe(&["payments"]).unwrap();
    let decoder = ProtobufFrames::<Payment>::new(Arc::new(consumer_ids(&registry.url).unwrap()));
    let mut read = Vec::new();
    let stats = run(&payments, &kafka, "payments.dlq", &decoder, Some(4), |p| {
        read.push(p)
    })
    .await
    .unwrap();
    assert_eq!((stats.decoded, stats.dead_lettered), (1, 3));
    assert_eq!(read, [payment]);
    assert_eq!(committed(&payments, "payments"), Offset::Offset(4));
    let dead = read_topic(&brokers, "payments.dlq", 3).await;
    let kinds: Vec<_> = dead.iter().map(|d| d.header(ERROR_KIND).unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "incompatible-schema",
            "corrupt-datum",
            "incompatible-schema"
        ]
    );
    assert!(
        dead[2]
            .header(ERROR)
            .unwrap()
            .contains("is AVRO, not a Protobuf schema"),
        "{:?}",
        dead[2].header(ERROR)
    );
}

/// A registry that cannot be reached is not the frame's fault: the consumer stops with the
/// frame's position and commits nothing, so the frame is read again after a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_registry_outage_stops_without_committing() {
    let registry = ServedRegistry::start().await;
    let cluster = cluster(&["orders"]);
    let brokers = cluster.bootstrap_servers();
    let kafka = producer(&brokers).unwrap();
    let ids = SchemaIds::open(&registry.url, IdStrategy::AutoRegister).unwrap();
    let old = v1::com::example::shop::Order {
        id: "o-1".into(),
        amount_cents: 1,
        quantity: 1,
    };
    send_avro(&kafka, &ids, "orders", "o-1", &old)
        .await
        .unwrap();
    SchemaIds::open(&registry.url, IdStrategy::AutoRegister)
        .unwrap()
        .id_for_type::<Order>()
        .await
        .unwrap(); // registers version 2

    let orders = consumer(&brokers, "orders-reader").unwrap();
    orders.subscribe(&["orders"]).unwrap();
    let decoder = AvroFrames::<Order>::new(Arc::new(consumer_ids(&registry.url).unwrap()))
        .await
        .unwrap();
    drop(registry); // the version 1 writer schema was never fetched
    tokio::time::sleep(Duration::from_millis(200)).await;
    let err = run(&orders, &kafka, "orders.dlq", &decoder, Some(1), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&err, ConsumeError::Registry { topic, partition: 0, offset: 0, .. } if topic == "orders"),
        "{err}"
    );
    assert_eq!(committed(&orders, "orders"), Offset::Invalid);
}
