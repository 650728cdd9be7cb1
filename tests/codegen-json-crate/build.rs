fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .json([
            "schemas/order.json",
            "schemas/payment.json",
            "schemas/customer.json", // "$ref": "address.json"
            "schemas/address.json",
        ])
        .schema_id("Order", 42)
        .compile()?;
    Ok(())
}
