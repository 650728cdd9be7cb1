//! A producer-style crate: its `build.rs` generates types with `schemactl-build`, and its tests
//! round-trip them through the generated encoders and `apache-avro`.

/// Types generated from `schemas/*.avsc`.
pub mod avro {
    include!(concat!(env!("OUT_DIR"), "/schemactl_avro.rs"));
}

/// Types generated from `schemas/order.proto`.
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/schemactl_protobuf.rs"));
}
