//! Generated types against a registry (the embedded store): writer schemas of older versions,
//! with references, resolved on decode; references registered first on auto-registration.

use schemactl::runtime::avro::{from_datum, to_datum, to_frame, AvroType};
use schemactl_codegen_test::avro::com::acme::orders::Order;
use schemactl_codegen_test::avro::com::acme::User;

mod common;
use common::order;

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

    let ids = SchemaIds::new(store, IdStrategy::Lookup);
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
    let ids = SchemaIds::new(store.clone(), IdStrategy::AutoRegister);
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
