// build.rs
fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .avro(["schemas/user.avsc", "schemas/order.avsc"])
        .protobuf(["schemas/order.proto"], ["schemas"])
        .flat_reexports(true) // also `pub use` every Avro type at the root
        .pin_ids_from("schemas/ids.lock.json") // optional: {"subject": id, ...}
        .btree_map(["."]) // any prost-build option passes through
        .compile()?;
    Ok(())
}
