"""Frames from confluent-kafka's ProtobufSerializer, for the codegen cross-check.

usage: codegen_protobuf_frames.py DESCRIPTOR_SET_FILE
Reads a serialized FileDescriptorSet, builds message classes from it (no protoc), serializes the
messages below with ProtobufSerializer against an in-memory registry, and prints one JSON object
{full message name: frame hex}. The Rust test builds the same messages with the generated types.
"""
import json
import sys

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main():
    fds = descriptor_pb2.FileDescriptorSet()
    with open(sys.argv[1], "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)

    def cls(name):
        return message_factory.GetMessageClass(pool.FindMessageTypeByName(name))

    Order = cls("acme.orders.v1.Order")
    Line = cls("acme.orders.v1.Order.Line")
    Refund = cls("acme.orders.v1.Refund")
    Detail = cls("acme.orders.v1.Refund.Reason.Detail")

    order = Order(id="o-1", blob=b"\x00\xff")
    order.counts["a"] = 3
    order.lines.add(sku="s", qty=2)
    messages = {
        "acme.orders.v1.Order": order,
        "acme.orders.v1.Order.Line": Line(sku="s", qty=2),
        "acme.orders.v1.Refund": Refund(order_id="o-1"),
        "acme.orders.v1.Refund.Reason.Detail": Detail(text="late"),
    }
    client = SchemaRegistryClient.new_client({"url": "mock://codegen"})
    out = {}
    for name, msg in messages.items():
        ser = ProtobufSerializer(
            type(msg),
            client,
            {"auto.register.schemas": True, "use.deprecated.format": False},
        )
        ctx = SerializationContext("codegen-" + name, MessageField.VALUE)
        out[name] = ser(msg, ctx).hex()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
