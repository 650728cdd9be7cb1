//! What the tests run against: `registry serve` (an in-memory store) on loopback, and
//! librdkafka's mock cluster, a Kafka protocol implementation inside the test process that
//! listens on loopback like a real broker (both from the producer's tests), and reading a topic
//! back.

#![allow(dead_code)] // each test binary uses part of this

use std::time::Duration;

#[path = "../../../producer/tests/support/mod.rs"]
mod support;
pub use support::*;

use rdkafka::consumer::{Consumer, StreamConsumer};
use rdkafka::message::{Headers, Message};

/// A message as read back: key, value, headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub key: Vec<u8>,
    pub payload: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Read {
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// The first `n` messages of `topic`, read by a fresh group.
pub async fn read_topic(brokers: &str, topic: &str, n: usize) -> Vec<Read> {
    let consumer: StreamConsumer =
        schemactl_example_consumer::consumer(brokers, &format!("reader-{topic}")).unwrap();
    consumer.subscribe(&[topic]).unwrap();
    let mut out = Vec::new();
    while out.len() < n {
        let m = tokio::time::timeout(Duration::from_secs(60), consumer.recv())
            .await
            .unwrap_or_else(|_| panic!("{topic}: {} of {n} messages after 60 s", out.len()))
            .unwrap();
        let headers = m
            .headers()
            .map(|h| {
                h.iter()
                    .map(|h| {
                        let value = String::from_utf8_lossy(h.value.unwrap_or_default());
                        (h.key.to_string(), value.into_owned())
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.push(Read {
            key: m.key().unwrap_or_default().to_vec(),
            payload: m.payload().unwrap_or_default().to_vec(),
            headers,
        });
    }
    out
}
