fn main() -> Result<(), Box<dyn std::error::Error>> {
    schemactl_build::Config::new()
        .json([
            "schemas/order.json",
            "schemas/payment.json",
            "schemas/customer.json", // "$ref": "address.json"
            "schemas/address.json",
            "schemas/shipment.json", // "$ref": "address.json", "$ref": "parcel.json"
        ])
        // Where `parcel.json` is: not beside `shipment.json`, and not listed.
        .json_includes(["schemas/shared"])
        .schema_id("Order", 42)
        .compile()?;
    Ok(())
}
