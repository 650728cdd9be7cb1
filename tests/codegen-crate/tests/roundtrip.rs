//! Generated types round-trip through their own encoder and decoder, and agree with
//! `apache-avro` in both directions (bytes and serde mapping).

// `to_avro_datum`/`from_avro_datum` are the functions the comparison is specified against.
#![allow(deprecated)]

use std::collections::HashMap;

use apache_avro::{
    from_avro_datum, from_avro_datum_schemata, to_avro_datum, to_avro_datum_schemata, Schema,
};
use schemactl::runtime::avro::{
    from_datum, from_datum_into, from_frame, from_frame_into, to_datum, to_frame, AvroType,
};
use schemactl::runtime::logical::{
    Date, Decimal, Duration, LocalTimestampMicros, LocalTimestampMillis, TimeMicros, TimeMillis,
    TimestampMicros, TimestampMillis, Uuid,
};
use schemactl_codegen_test::avro::com::acme::common::Address;
use schemactl_codegen_test::avro::com::acme::config::{Inner, Level, LogicalDefaults, Settings};
use schemactl_codegen_test::avro::com::acme::orders::{LineItem, Order};
use schemactl_codegen_test::avro::com::acme::tree::{Node, NodeEither};
use schemactl_codegen_test::avro::com::acme::{
    Card, Md5, Status, User, UserHistoryItem, UserPayment,
};
use schemactl_codegen_test::avro::Heartbeat;

fn user(payment: UserPayment) -> User {
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

fn order() -> Order {
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

fn tree() -> Node {
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

fn round_trip<T: AvroType + PartialEq + std::fmt::Debug>(value: &T) {
    let bytes = to_datum(value);
    assert_eq!(&from_datum::<T>(&bytes).unwrap(), value);
    let frame = to_frame(value, 77);
    assert_eq!(&frame[..5], &[0, 0, 0, 0, 77]);
    assert_eq!(&from_frame::<T>(&frame, 77).unwrap(), value);
    assert!(from_frame::<T>(&frame, 78).is_err());
}

#[test]
fn values_round_trip() {
    for p in [
        UserPayment::Null,
        UserPayment::Card(Card { number: "1".into() }),
        UserPayment::String("cash".into()),
        UserPayment::Long(9),
    ] {
        round_trip(&user(p));
    }
    round_trip(&order());
    round_trip(&tree());
    round_trip(&Settings::default());
    round_trip(&Heartbeat { ts: 1, nothing: () });
}

/// Decoding into a value that held another one must give exactly the new value, whatever
/// shape the old one had: longer or shorter arrays, `Some` vs `None`, other union branches,
/// deeper or shallower recursion.
#[test]
fn decoding_into_an_existing_value_overwrites_it() {
    let users: Vec<User> = [
        UserPayment::Card(Card { number: "1".into() }),
        UserPayment::Null,
        UserPayment::String("cash".into()),
    ]
    .into_iter()
    .map(user)
    .collect();
    let mut shorter = user(UserPayment::Long(9));
    shorter.tags = vec!["only".into()];
    shorter.email = None;
    shorter.avatar = vec![];
    let mut longer = user(UserPayment::Null);
    longer.tags = (0..50).map(|i| format!("tag-{i}")).collect();
    longer.age = Some(7);
    let mut into = shorter.clone();
    for value in users.iter().chain([&shorter, &longer, &shorter]) {
        from_datum_into(&to_datum(value), &mut into).unwrap();
        assert_eq!(&into, value);
    }

    let mut deep = tree();
    deep.children[0].next = Some(Box::new(tree()));
    let mut into = tree();
    for value in [
        deep.clone(),
        tree(),
        Node {
            next: None,
            ..tree()
        },
        deep,
    ] {
        from_frame_into(&to_frame(&value, 5), 5, &mut into).unwrap();
        assert_eq!(into, value);
    }
    assert!(from_frame_into(&to_frame(&tree(), 5), 6, &mut into).is_err());
}

/// The point of decoding in place: a string that fits keeps its allocation.
#[test]
fn decoding_into_reuses_buffers() {
    let mut into = user(UserPayment::Null);
    into.name = "a much longer name than the next one".into();
    let (name, tags) = (into.name.as_ptr(), into.tags.as_ptr());
    from_datum_into(&to_datum(&user(UserPayment::Null)), &mut into).unwrap();
    assert_eq!(into.name, "Ada");
    assert_eq!((into.name.as_ptr(), into.tags.as_ptr()), (name, tags));
}

#[test]
fn defaults_follow_the_schema() {
    let s = Settings::default();
    assert_eq!(s.retries, 3);
    assert_eq!(s.label, "main");
    assert_eq!(s.level, Level::High);
    assert_eq!(s.limit, None);
    assert_eq!(s.fallback, Some(7));
    assert_eq!(s.names, ["a", "b"]);
    assert_eq!(s.weights["x"], 1);
    assert_eq!(s.salt, [1, 255]);
    assert_eq!(s.inner, Inner { n: 1 });
    assert_eq!(s.since, Date(19000));
    let l = LogicalDefaults::default();
    assert_eq!(
        l.instance,
        "123e4567-e89b-12d3-a456-426614174000".parse().unwrap()
    );
    // Decimal defaults are two's-complement bytes: ff 01 is -255, 00 00 04 d2 is 1234.
    assert_eq!(l.discount, Decimal::<2>::new(-255));
    assert_eq!(l.fee, Decimal::<3>::new(1234));
    assert_eq!(
        l.ttl,
        Duration {
            months: 1,
            days: 2,
            millis: 3
        }
    );
    assert_eq!(l.since, Date(19000));
    assert_eq!(Status::default(), Status::Active);
}

/// `Default` must be the value Avro schema resolution gives a reader whose writer had none of
/// the fields: the runtime's resolver reads the defaults from the schema JSON on its own.
#[test]
fn default_is_what_schema_resolution_fills_in() {
    fn filled_in<T: AvroType>() -> T {
        let (namespace, name) = T::FULL_NAME.rsplit_once('.').unwrap();
        let empty =
            format!(r#"{{"type":"record","name":"{name}","namespace":"{namespace}","fields":[]}}"#);
        let writer = schemactl::schema::avro::parse("empty", &empty).unwrap();
        let reader = schemactl::schema::avro::parse(T::FULL_NAME, T::SCHEMA).unwrap();
        let bytes = schemactl::runtime::resolve::transcode(&writer, &reader, &[]).unwrap();
        from_datum::<T>(&bytes).unwrap()
    }
    assert_eq!(filled_in::<Settings>(), Settings::default());
    assert_eq!(filled_in::<LogicalDefaults>(), LogicalDefaults::default());
}

#[test]
fn types_carry_their_schema() {
    assert_eq!(User::FULL_NAME, "com.acme.User");
    assert_eq!(User::SUBJECT, "com.acme.User");
    assert_eq!(User::SCHEMA, include_str!("../schemas/user.avsc").trim());
    // Pinned from schemas/ids.lock.json.
    assert_eq!(User::SCHEMA_ID, Some(101));
    assert_eq!(Order::SCHEMA_ID, None);
    // Order uses com.acme.User and com.acme.Status from user.avsc: one reference, to the file's
    // top-level type.
    let [user] = Order::REFERENCES else {
        panic!("{:?}", Order::REFERENCES)
    };
    assert_eq!(
        (user.name, user.subject, user.schema),
        ("com.acme.User", "com.acme.User", User::SCHEMA)
    );
    assert!(user.references.is_empty());
    let parsed = schemactl::schema::avro::parse("user.avsc", User::SCHEMA).unwrap();
    assert_eq!(User::FINGERPRINT, parsed.fingerprint());
}

fn schemas() -> Vec<Schema> {
    Schema::parse_list([
        include_str!("../schemas/user.avsc"),
        include_str!("../schemas/order.avsc"),
        include_str!("../schemas/tree.avsc"),
        include_str!("../schemas/settings.avsc"),
    ])
    .unwrap()
}

fn schema_named<'a>(all: &'a [Schema], name: &str) -> &'a Schema {
    all.iter()
        .find(|s| s.name().is_some_and(|n| n.fullname(None) == name))
        .unwrap()
}

/// Our bytes decode with apache-avro; apache-avro's bytes (from the same value, through its
/// serde mapping) decode with ours and equal the original.
fn cross_check<T>(value: &T, name: &str)
where
    T: AvroType + PartialEq + std::fmt::Debug + serde::Serialize,
{
    let all = schemas();
    let schema = schema_named(&all, name);
    let ours = to_datum(value);
    let decoded =
        from_avro_datum(schema, &mut &ours[..], None).expect("apache-avro reads our bytes");
    let theirs = to_avro_datum(schema, decoded).expect("apache-avro re-encodes");
    assert_eq!(ours, theirs, "{name}: identical bytes");

    let via_serde = apache_avro::to_value(value)
        .unwrap()
        .resolve(schema)
        .expect("serde mapping agrees with the schema");
    let theirs = to_avro_datum(schema, via_serde).unwrap();
    assert_eq!(
        &from_datum::<T>(&theirs).unwrap(),
        value,
        "{name}: serde mapping"
    );
}

#[test]
fn bytes_agree_with_apache_avro() {
    cross_check(&user(UserPayment::Null), "com.acme.User");
    cross_check(&user(UserPayment::String("x".into())), "com.acme.User");
    cross_check(&tree(), "com.acme.tree.Node");
    cross_check(&Settings::default(), "com.acme.config.Settings");
}

#[test]
fn order_bytes_agree_with_apache_avro() {
    let all = schemas();
    let schema = schema_named(&all, "com.acme.orders.Order");
    let ours = to_datum(&order());
    let decoded = from_avro_datum_schemata(schema, all.iter().collect(), &mut &ours[..], None)
        .expect("apache-avro reads our bytes");
    assert_eq!(
        to_avro_datum_schemata(schema, all.iter().collect(), decoded).unwrap(),
        ours
    );
}

/// A frame written with an older registered version of `Order`, whose reference pins an older
/// version of `User` (with a field today's `User` dropped), decodes into today's `Order` by
/// Avro schema resolution: the resolver fetches the writer schema and its references by id.
#[tokio::test]
async fn frames_of_older_versions_with_references_are_resolved() {
    use schemactl::compat::Level;
    use schemactl::registry::local::LocalRegistry;
    use schemactl::registry::{Registry, SchemaDefinition, SchemaReference};
    use schemactl::runtime::avro::{write_str, AvroEncode};
    use schemactl::runtime::ids::{IdStrategy, SchemaIds};
    use schemactl::runtime::resolve::ResolvingDecoder;

    let store = std::sync::Arc::new(LocalRegistry::in_memory().unwrap());
    // Adding a required field is not BACKWARD; this test is about decoding, not levels.
    store.set_config(None, Level::None).await.unwrap();
    let mut user_v1: serde_json::Value = serde_json::from_str(User::SCHEMA).unwrap();
    user_v1["fields"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({"name": "legacy", "type": "string"}));
    for text in [user_v1.to_string(), User::SCHEMA.to_string()] {
        let def = SchemaDefinition::avro(text);
        store.register(User::SUBJECT, &def, false).await.unwrap();
    }
    let order_on_user = |version| {
        SchemaDefinition::avro(Order::SCHEMA).with_references(vec![SchemaReference {
            name: "com.acme.User".into(),
            subject: User::SUBJECT.into(),
            version,
        }])
    };
    let old = store
        .register(Order::SUBJECT, &order_on_user(1), false)
        .await
        .unwrap();
    let own = store
        .register(Order::SUBJECT, &order_on_user(2), false)
        .await
        .unwrap();
    assert_ne!(old.id, own.id);

    let value = order();
    // The old writer's bytes: today's, with `legacy` after the user's last field.
    let today = to_datum(&value);
    let mut written = Vec::new();
    write_str(&mut written, &value.id);
    value.user.avro_encode(&mut written);
    let rest = &today[written.len()..];
    write_str(&mut written, "no longer read");
    written.extend_from_slice(rest);
    let mut frame = vec![0];
    frame.extend_from_slice(&old.id.to_be_bytes());
    frame.extend_from_slice(&written);

    let ids = SchemaIds::new(std::sync::Arc::new(store), IdStrategy::Lookup);
    assert_eq!(ids.id_for_type::<Order>().await.unwrap(), own.id);
    let decoder = ResolvingDecoder::<Order>::new().unwrap();
    assert_eq!(decoder.decode(&ids, own.id, &frame).await.unwrap(), value);
    let current = to_frame(&value, own.id);
    assert_eq!(decoder.decode(&ids, own.id, &current).await.unwrap(), value);
    // Read as if it were today's schema, the old bytes do not give the value.
    assert_ne!(from_datum::<Order>(&written).ok(), Some(value));
}

/// With `auto.register.schemas=true` semantics, producing an `Order` first registers the `User`
/// it references (the store refuses a reference to a subject it does not have).
#[tokio::test]
async fn auto_register_registers_what_a_type_references_first() {
    use schemactl::registry::local::LocalRegistry;
    use schemactl::registry::{Registry, SchemaReference};
    use schemactl::runtime::ids::{IdStrategy, SchemaIds};

    let store = std::sync::Arc::new(LocalRegistry::in_memory().unwrap());
    let ids = SchemaIds::new(std::sync::Arc::new(store.clone()), IdStrategy::AutoRegister);
    let order_id = ids.id_for_type::<Order>().await.unwrap();
    assert_eq!(store.versions(User::SUBJECT, false).await.unwrap(), [1]);
    let registered = store.schema_by_id(order_id).await.unwrap();
    assert_eq!(
        registered.references,
        [SchemaReference {
            name: "com.acme.User".into(),
            subject: User::SUBJECT.into(),
            version: 1,
        }]
    );
    // The pinned id of `User` (from the lock file) is what its producers write.
    assert_eq!(ids.id_for_type::<User>().await.unwrap(), 101);
}
