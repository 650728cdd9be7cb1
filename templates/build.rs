// Generates Rust types with Confluent-framed serializers from the project's schemas.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .avro(["schemas/user.avsc"])
        .compile()?;
    Ok(())
}
