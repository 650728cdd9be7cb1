// src/lib.rs
pub mod avro {
    include!(concat!(env!("OUT_DIR"), "/schemactl_avro.rs"));
}
pub mod proto {
    include!(concat!(env!("OUT_DIR"), "/schemactl_protobuf.rs"));
}
