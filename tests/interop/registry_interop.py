"""Drives `schemactl registry serve` with confluent-kafka's SchemaRegistryClient and
AvroSerializer/AvroDeserializer, unmodified, and prints what it saw as one JSON object on stdout.
The Rust test (tests/registry_interop.rs) checks the answers against the registry itself.

Usage: python registry_interop.py URL
"""

import json
import sys

from confluent_kafka.schema_registry import Schema, SchemaReference, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from confluent_kafka.serialization import MessageField, SerializationContext

V1 = json.dumps({
    "type": "record", "name": "Order", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}],
})
V2 = json.dumps({
    "type": "record", "name": "Order", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "note", "type": "string", "default": ""}],
})
BAD = json.dumps({
    "type": "record", "name": "Order", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "qty", "type": "int"}],
})


def error(call):
    try:
        call()
    except SchemaRegistryError as e:
        return {"http_status": e.http_status_code, "error_code": e.error_code}
    return None


def order_message_class():
    """shop.Order {int64 id = 1; string note = 2;} built at run time (no protoc needed)."""
    fdp = descriptor_pb2.FileDescriptorProto(name="shop/order.proto", package="shop", syntax="proto3")
    msg = fdp.message_type.add(name="Order")
    F = descriptor_pb2.FieldDescriptorProto
    msg.field.add(name="id", number=1, type=F.TYPE_INT64, label=F.LABEL_OPTIONAL)
    msg.field.add(name="note", number=2, type=F.TYPE_STRING, label=F.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.Order"))


def protobuf(url, out):
    """ProtobufSerializer registers the schema as a base64 FileDescriptorProto."""
    client = SchemaRegistryClient({"url": url})
    order = order_message_class()
    ctx = SerializationContext("orders-pb", MessageField.VALUE)
    ser = ProtobufSerializer(order, client, {"use.deprecated.format": False})
    frame = ser(order(id=5, note="x"), ctx)
    out["pb_frame"] = frame.hex()
    latest = client.get_latest_version("orders-pb-value")
    out["pb_latest"] = {"id": latest.schema_id, "version": latest.version,
                        "type": latest.schema.schema_type}
    # Serializing again finds the same registration.
    out["pb_frame_again"] = ProtobufSerializer(order, SchemaRegistryClient({"url": url}),
                                               {"use.deprecated.format": False})(order(id=5, note="x"), ctx).hex()
    deser = ProtobufDeserializer(order, {"use.deprecated.format": False})
    decoded = deser(frame, ctx)
    out["pb_decoded"] = {"id": decoded.id, "note": decoded.note}


ADDRESS_JSON = json.dumps({
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
})
CUSTOMER_JSON = json.dumps({
    "type": "object",
    "properties": {"id": {"type": "integer"}, "address": {"$ref": "address.json"}},
    "required": ["id"],
})


def json_schemas(url, out):
    """JSON Schema: one subject referencing another by a Confluent reference."""
    client = SchemaRegistryClient({"url": url})
    out["json_address_id"] = client.register_schema("address-json", Schema(ADDRESS_JSON, "JSON"))
    customer = Schema(CUSTOMER_JSON, "JSON",
                      [SchemaReference("address.json", "address-json", 1)])
    out["json_customer_id"] = client.register_schema("customers-json-value", customer)
    out["json_customer_again"] = SchemaRegistryClient({"url": url}).register_schema(
        "customers-json-value", customer)
    looked = SchemaRegistryClient({"url": url}).lookup_schema("customers-json-value", customer)
    out["json_lookup"] = {"id": looked.schema_id, "version": looked.version,
                          "type": looked.schema.schema_type,
                          "references": [{"name": r.name, "subject": r.subject, "version": r.version}
                                         for r in looked.schema.references]}
    latest = SchemaRegistryClient({"url": url}).get_latest_version("customers-json-value")
    out["json_latest"] = {"id": latest.schema_id, "version": latest.version,
                          "type": latest.schema.schema_type, "schema": latest.schema.schema_str}
    by_id = SchemaRegistryClient({"url": url}).get_schema(out["json_customer_id"])
    out["json_by_id_type"] = by_id.schema_type
    out["json_compatible_array"] = client.test_compatibility(
        "customers-json-value", Schema(json.dumps({"type": "array"}), "JSON"))


def main(url):
    client = SchemaRegistryClient({"url": url})
    out = {}
    ctx = SerializationContext("orders", MessageField.VALUE)

    # The serializer registers V1 under orders-value (TopicNameStrategy) and frames a datum.
    ser_v1 = AvroSerializer(client, V1)
    out["frame_v1"] = ser_v1({"id": 42}, ctx).hex()

    out["id_v2"] = client.register_schema("orders-value", Schema(V2, "AVRO"))
    # Registering the same schema again returns the same id.
    out["id_v2_again"] = SchemaRegistryClient({"url": url}).register_schema(
        "orders-value", Schema(V2, "AVRO"))
    ser_v2 = AvroSerializer(client, V2)
    out["frame_v2"] = ser_v2({"id": 7, "note": "hi"}, ctx).hex()

    looked = client.lookup_schema("orders-value", Schema(V1, "AVRO"))
    out["lookup_v1"] = {"id": looked.schema_id, "version": looked.version, "subject": looked.subject}
    latest = client.get_latest_version("orders-value")
    out["latest"] = {"id": latest.schema_id, "version": latest.version}
    out["version_1_id"] = client.get_version("orders-value", 1).schema_id
    out["versions"] = client.get_versions("orders-value")
    out["subjects"] = client.get_subjects()
    out["schema_by_id_v2"] = client.get_schema(out["id_v2"]).schema_str

    out["compatible_bad"] = client.test_compatibility("orders-value", Schema(BAD, "AVRO"))
    out["compatible_v2_all"] = client.test_compatibility_all_versions(
        "orders-value", Schema(V2, "AVRO"))
    out["register_bad"] = error(lambda: client.register_schema("orders-value", Schema(BAD, "AVRO")))
    out["missing_subject"] = error(lambda: client.get_latest_version("no-such-subject"))
    out["missing_id"] = error(lambda: SchemaRegistryClient({"url": url}).get_schema(9999))

    out["set_compatibility"] = client.set_compatibility("orders-value", "FULL")
    out["compatibility"] = client.get_compatibility("orders-value")
    out["global_compatibility"] = client.get_compatibility()

    # A fresh deserializer fetches the writer schema by id from the registry.
    deser = AvroDeserializer(SchemaRegistryClient({"url": url}))
    out["decoded_v1"] = deser(bytes.fromhex(out["frame_v1"]), ctx)
    out["decoded_v2"] = deser(bytes.fromhex(out["frame_v2"]), ctx)

    protobuf(url, out)
    json_schemas(url, out)

    out["deleted_versions"] = client.delete_subject("orders-value")
    out["subjects_after_delete"] = client.get_subjects()
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
