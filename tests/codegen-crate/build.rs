fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .avro([
            "schemas/user.avsc",
            "schemas/order.avsc",
            "schemas/tree.avsc",
            "schemas/settings.avsc",
            "schemas/heartbeat.avsc",
            "schemas/defaults.avsc",
            // `Event` and `com.acme.Event`: flat re-exports keep the namespaced one's path.
            "schemas/event.avsc",
            "schemas/acme-event.avsc",
        ])
        .protobuf(["schemas/order.proto"], ["schemas"])
        .flat_reexports(true)
        .pin_ids_from("schemas/ids.lock.json")
        .btree_map(["."])
        .compile()?;
    Ok(())
}
