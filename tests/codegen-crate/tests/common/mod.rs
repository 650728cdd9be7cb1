//! Values of the generated types that the tests share: every field set, unions and recursion
//! included.

// Each test file uses some of them.
#![allow(dead_code)]

use std::collections::HashMap;

use schemactl::runtime::logical::{
    Date, Decimal, Duration, LocalTimestampMicros, LocalTimestampMillis, TimeMicros, TimeMillis,
    TimestampMicros, TimestampMillis, Uuid,
};
use schemactl_codegen_test::avro::com::acme::common::Address;
use schemactl_codegen_test::avro::com::acme::orders::{LineItem, Order};
use schemactl_codegen_test::avro::com::acme::tree::{Node, NodeEither};
use schemactl_codegen_test::avro::com::acme::{
    Card, Md5, Status, User, UserHistoryItem, UserPayment,
};

pub fn user(payment: UserPayment) -> User {
    User {
        id: 42,
        name: "Ada".into(),
        email: Some("ada@example.com".into()),
        age: None,
        user_type: "admin".into(),
        r#type: -3,
        tags: vec!["a".into(), "b".into()],
        attrs: HashMap::from([("k".to_string(), 1_i64 << 40)]),
        status: Status::OnHold,
        address: Address {
            street: "1 Main St".into(),
            zip: None,
        },
        created: TimestampMillis(1_700_000_000_000),
        uid: "123e4567-e89b-12d3-a456-426614174000"
            .parse::<Uuid>()
            .unwrap(),
        birthday: Some(Date(-5)),
        // apache-avro's serde path insists that a `bytes` decimal's length can hold the
        // schema's whole precision (4 digits: 2 bytes), so the value uses exactly 2 bytes.
        balance: Decimal::<2>::new(-1234),
        md5: Md5([7; 16]),
        avatar: vec![0, 255, 3],
        score: 2.5,
        ratio: -0.25,
        verified: true,
        payment,
        history: vec![
            UserHistoryItem::String("x".into()),
            UserHistoryItem::Long(-1),
        ],
    }
}

pub fn order() -> Order {
    Order {
        id: "o-1".into(),
        user: user(UserPayment::Card(Card {
            number: "4111".into(),
        })),
        lines: vec![
            LineItem {
                sku: "s".into(),
                qty: 2,
                price: Decimal::<2>::new(1999),
            },
            LineItem {
                sku: "t".into(),
                qty: -1,
                price: Decimal::<2>::new(-5),
            },
        ],
        ttl: Duration {
            months: 1,
            days: 2,
            millis: 3,
        },
        at_micros: TimestampMicros(-1),
        local: LocalTimestampMillis(5),
        local_micros: LocalTimestampMicros(6),
        time_ms: TimeMillis(1000),
        time_us: TimeMicros(2000),
        status: Status::Disabled,
    }
}

pub fn tree() -> Node {
    let leaf = |v| Node {
        value: v,
        children: vec![],
        next: None,
        either: NodeEither::Null,
        by_name: HashMap::new(),
    };
    Node {
        value: 1,
        children: vec![leaf(2), leaf(3)],
        next: Some(Box::new(leaf(4))),
        either: NodeEither::Node(Box::new(leaf(5))),
        by_name: HashMap::from([("six".to_string(), leaf(6))]),
    }
}
