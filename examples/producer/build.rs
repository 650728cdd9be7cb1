// The current version of the order record, its previous version in its own module (what
// producers not yet upgraded write; the tests write old frames with it) and the payment message.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    schemactl_build::Config::new()
        .avro(["../schemas/order.avsc"])
        .protobuf(["../schemas/payment.proto"], ["../schemas"])
        .compile()?;
    schemactl_build::Config::new()
        .avro(["../schemas/order-v1.avsc"])
        .out_dir(out.join("v1"))
        .compile()?;
    Ok(())
}
