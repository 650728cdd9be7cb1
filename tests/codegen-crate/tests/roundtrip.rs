//! Generated types round-trip through their own encoder and decoder, and agree with
//! `apache-avro` in both directions (bytes and serde mapping).

// `to_avro_datum`/`from_avro_datum` are the functions the comparison is specified against.
#![allow(deprecated)]

use apache_avro::{
    from_avro_datum, from_avro_datum_schemata, to_avro_datum, to_avro_datum_schemata, Schema,
};
use schemactl::runtime::avro::{
    from_datum, from_datum_into, from_frame, from_frame_into, to_datum, to_frame, AvroType,
};
use schemactl::runtime::logical::{Date, Decimal, Duration};
use schemactl_codegen_test::avro::com::acme::config::{Inner, Level, LogicalDefaults, Settings};
use schemactl_codegen_test::avro::com::acme::orders::Order;
use schemactl_codegen_test::avro::com::acme::tree::Node;
use schemactl_codegen_test::avro::com::acme::{Card, Status, User, UserPayment};
use schemactl_codegen_test::avro::Heartbeat;

mod common;

use common::{order, tree, user};

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

/// With flat re-exports, the root-namespace `Event` keeps the root name and `com.acme.Event`
/// its module path (re-exporting both at the root would not compile: E0255).
#[test]
fn a_root_type_and_a_namespaced_namesake_both_compile() {
    use schemactl_codegen_test::avro::{com::acme::Event as AcmeEvent, Event};
    round_trip(&Event { at: 7 });
    round_trip(&AcmeEvent {
        kind: "signup".into(),
    });
    assert_eq!(<Event as AvroType>::FULL_NAME, "Event");
    assert_eq!(<AcmeEvent as AvroType>::FULL_NAME, "com.acme.Event");
}
