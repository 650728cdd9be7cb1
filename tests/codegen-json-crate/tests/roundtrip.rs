//! Types generated from JSON Schemas (typify, through `schemactl_build::Config::json`) round-trip
//! through Confluent JSON frames, carry their schema, and are validated both ways (the crate
//! takes the runtime with `json-validate`, as Confluent's serializers validate by default).

use schemactl::runtime::json::{self, JsonFrameError, JsonType, Validator};
use schemactl::wire::WireError;
use schemactl_codegen_json_test::json::{order, payment, Order, Payment};

fn order() -> Order {
    Order {
        id: "o-1".into(),
        status: order::Status::Paid,
        lines: vec![order::Line {
            sku: "sku-é".into(),
            price: 12.5,
        }],
        note: None,
    }
}

#[test]
fn generated_types_round_trip_through_frames() {
    let frame = order().to_frame(42).unwrap();
    assert_eq!(&frame[..5], &[0, 0, 0, 0, 42]);
    // The payload is the value's JSON, exactly what serde_json writes.
    assert_eq!(
        &frame[5..],
        serde_json::to_vec(&order()).unwrap().as_slice()
    );
    assert_eq!(Order::from_frame(&frame, 42).unwrap(), order());

    let pay = Payment {
        order_id: "o-1".into(),
        amount: payment::Amount {
            currency: "EUR".into(),
            cents: 1250,
        },
    };
    let frame = pay.to_frame(7).unwrap();
    assert_eq!(Payment::from_frame(&frame, 7).unwrap(), pay);
}

#[test]
fn generated_types_carry_schema_subject_and_pinned_id() {
    assert_eq!(
        Order::SCHEMA,
        include_str!("../schemas/order.json"),
        "the file's text, as registered"
    );
    assert_eq!(Order::SUBJECT, "Order");
    assert_eq!(Order::SCHEMA_ID, Some(42));
    // No title: the root type is named after the file.
    assert_eq!(Payment::SUBJECT, "Payment");
    assert_eq!(Payment::SCHEMA_ID, None);
}

#[test]
fn encoding_a_value_that_breaks_the_schema_fails_with_its_pointer() {
    let mut bad = order();
    bad.lines[0].price = -1.0;
    assert_eq!(
        bad.to_frame(42),
        Err(JsonFrameError::Invalid {
            pointer: "/lines/0/price".into(),
            message: "-1.0 is less than the minimum of 0".into(),
        })
    );
}

#[test]
fn decoding_a_frame_that_breaks_the_schema_fails_with_its_pointer() {
    let frame = json::to_frame(
        &serde_json::json!({"id": "o-1", "status": "paid", "lines": [{"sku": "a", "price": -3}]}),
        42,
    )
    .unwrap();
    // Without validation the value fits the Rust type …
    assert!(json::from_frame::<Order>(&frame, 42).is_ok());
    // … but a validating reader refuses it, as Confluent's deserializer does.
    let err = Order::from_frame(&frame, 42).unwrap_err();
    assert!(
        matches!(&err, JsonFrameError::Invalid { pointer, .. } if pointer == "/lines/0/price"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "value violates its JSON Schema at '/lines/0/price': -3 is less than the minimum of 0"
    );
}

#[test]
fn garbage_frames_are_typed_errors() {
    let frame = order().to_frame(42).unwrap();
    assert_eq!(
        Order::from_frame(&frame[..3], 42),
        Err(JsonFrameError::Wire(WireError::TooShort { len: 3 }))
    );
    let mut magic = frame.clone();
    magic[0] = 1;
    assert_eq!(
        Order::from_frame(&magic, 42),
        Err(JsonFrameError::Wire(WireError::BadMagic { found: 1 }))
    );
    assert_eq!(
        Order::from_frame(&frame, 43),
        Err(JsonFrameError::Wire(WireError::UnexpectedSchemaId {
            found: 42,
            expected: 43
        }))
    );
    let mut utf8 = frame.clone();
    utf8[7] = 0xff;
    assert_eq!(
        Order::from_frame(&utf8, 42),
        Err(JsonFrameError::InvalidUtf8 { offset: 2 })
    );
    assert!(matches!(
        Order::from_frame(&frame[..frame.len() - 1], 42),
        Err(JsonFrameError::InvalidJson(_))
    ));
    // Valid JSON, valid against no schema property, but not an `Order`.
    let other = json::to_frame(&serde_json::json!([1, 2]), 42).unwrap();
    assert!(matches!(
        Order::from_frame(&other, 42),
        Err(JsonFrameError::Invalid { pointer, .. }) if pointer.is_empty()
    ));
}

#[test]
fn a_schema_without_dollar_schema_is_read_as_draft_7() {
    // Draft 7 ignores keywords beside `$ref`; 2020-12 would apply `maxLength`.
    let v = Validator::new(
        r##"{"$ref": "#/definitions/S", "maxLength": 1, "definitions": {"S": {"type": "string"}}}"##,
    )
    .unwrap();
    assert!(v.validate(&serde_json::json!("abc")).is_ok());
    assert!(v.validate(&serde_json::json!(1)).is_err());
}

#[test]
fn confluent_references_resolve_by_name_and_nothing_is_fetched() {
    let address =
        r#"{"type": "object", "properties": {"zip": {"type": "string"}}, "required": ["zip"]}"#;
    let v = Validator::with_references(
        r#"{"type": "object", "properties": {"ship_to": {"$ref": "address.json"}}}"#,
        &[("address.json", address)],
    )
    .unwrap();
    assert!(v
        .validate(&serde_json::json!({"ship_to": {"zip": "1000"}}))
        .is_ok());
    let err = v
        .validate(&serde_json::json!({"ship_to": {"zip": 1000}}))
        .unwrap_err();
    assert!(
        matches!(&err, JsonFrameError::Invalid { pointer, .. } if pointer == "/ship_to/zip"),
        "{err}"
    );
    // A reference that is not given is an error, never a download.
    assert!(matches!(
        Validator::new(r#"{"$ref": "https://example.com/address.json"}"#),
        Err(JsonFrameError::Schema(_))
    ));
    assert!(matches!(
        Validator::new("{not json"),
        Err(JsonFrameError::Schema(_))
    ));
}

#[test]
fn hostile_values_cost_linear_time_and_short_messages() {
    // `pattern` runs on a linear-time engine: the classic catastrophic pattern stays fast.
    let v = Validator::new(r#"{"type": "string", "pattern": "^(a+)+$"}"#).unwrap();
    let hostile = "a".repeat(100_000) + "!";
    let err = v.validate(&serde_json::Value::String(hostile)).unwrap_err();
    // The message quotes the value, cut short.
    assert!(err.to_string().len() < 400, "{}", err.to_string().len());
    // Look-around needs backtracking: refused when the schema is compiled.
    assert!(matches!(
        Validator::new(r#"{"type": "string", "pattern": "(?=a)a"}"#),
        Err(JsonFrameError::Schema(_))
    ));
}

/// `customer.json` `$ref`s `address.json`: the generated `Customer` uses `address`'s types
/// (generated once), round-trips, and is validated against its schema with the referenced file
/// as its reference, also when decoding.
#[test]
fn a_type_with_a_reference_round_trips_and_validates_through_it() {
    use schemactl_codegen_json_test::json::{address, customer, Address, Customer};
    let home = Address {
        street: Some(address::Street {
            name: "Hauptstraße".into(),
            number: Some(7),
        }),
        city: "Berlin".into(),
        latitude: None,
        country: address::Country::De,
    };
    let value = Customer {
        id: "c-1".into(),
        home: home.clone(),
        billing: Some(home),
        nationality: None,
        tier: customer::Tier::Basic,
    };
    let frame = value.to_frame(9).unwrap();
    assert_eq!(Customer::from_frame(&frame, 9).unwrap(), value);
    assert_eq!(Customer::SCHEMA, include_str!("../schemas/customer.json"));
    assert_eq!(Customer::REFERENCES.len(), 1);
    assert_eq!(
        Customer::REFERENCES[0].schema,
        include_str!("../schemas/address.json")
    );
    assert_eq!(Customer::REFERENCES[0].subject, "Address");
    // A frame breaking the referenced schema is refused on decode too.
    let bad = json::to_frame(
        &serde_json::json!({"id": "c-1", "tier": "basic",
            "home": {"city": "Berlin", "country": "DE", "latitude": -91}}),
        9,
    )
    .unwrap();
    let Err(JsonFrameError::Invalid { pointer, .. }) = Customer::from_frame(&bad, 9) else {
        panic!("not validated through the reference")
    };
    assert_eq!(pointer, "/home/latitude");
}

/// `shipment.json` `$ref`s `address.json` (an input) and `parcel.json`, which is neither
/// listed nor beside it: read from `json_includes`, it gets a module of its own as a listed
/// file would, so `Shipment::parcel` is `parcel::Parcel` and validation sees it as a reference.
#[test]
fn a_referenced_file_found_in_an_include_dir_gets_its_own_module() {
    use schemactl_codegen_json_test::json::{address, parcel, Address, Parcel, Shipment};
    let value = Shipment {
        id: "s-1".into(),
        to: Address {
            street: None,
            city: "Utrecht".into(),
            latitude: Some(52.09),
            country: address::Country::Nl,
        },
        parcel: Parcel {
            weight_kg: 2.5,
            size: Some(parcel::Size::M),
        },
    };
    let frame = value.to_frame(11).unwrap();
    assert_eq!(Shipment::from_frame(&frame, 11).unwrap(), value);
    // The referenced file's type is a `JsonType` of its own, with its text as registered.
    assert_eq!(
        Parcel::SCHEMA,
        include_str!("../schemas/shared/parcel.json")
    );
    assert_eq!(Parcel::SUBJECT, "Parcel");
    let names: Vec<&str> = Shipment::REFERENCES.iter().map(|r| r.name).collect();
    assert_eq!(names, ["address.json", "parcel.json"]);
    let mut bad = value.clone();
    bad.parcel.weight_kg = -1.0; // "minimum": 0 in parcel.json
    let Err(JsonFrameError::Invalid { pointer, .. }) = bad.to_frame(11) else {
        panic!("not validated through the reference")
    };
    assert_eq!(pointer, "/parcel/weight_kg");
}
