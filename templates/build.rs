// Generates Rust types with Confluent-framed serializers from the project's schemas.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .avro(["schemas/user.avsc"])
        // .protobuf(["schemas/order.proto"], ["schemas"])
        // Pin schema ids at build time: from a lock file ({"subject": id, ...}) or, with
        // schemactl-build's `registry` feature, by looking the schemas up in a registry.
        // .pin_ids_from("schemas/ids.lock.json")
        // .pin_ids_from(schemactl_build::registry("http://localhost:8081"))
        .compile()?;
    Ok(())
}
