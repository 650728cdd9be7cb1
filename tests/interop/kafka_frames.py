"""Produces Confluent frames with confluent-kafka's own serializers and producer, for the Kafka
examples' consumer test (examples/consumer/tests/python_frames.rs).

usage: kafka_frames.py BROKERS REGISTRY_URL ORDER_V1_AVSC ORDER_V2_AVSC DESCRIPTOR_SET_FILE
Sends to topic `orders`: one order with AvroSerializer and schema version 1, one with version 2;
to topic `payments`: one payment with ProtobufSerializer (the message class is built from the
FileDescriptorSet of payment.proto, no protoc). Both serializers register their schemas (record
name strategy for Avro, as the generated types name their subject). Prints one JSON object
{topic: number of messages sent}.
"""
import json
import sys

from confluent_kafka import Producer
from confluent_kafka.schema_registry import SchemaRegistryClient, record_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory


def main(brokers, url, v1_path, v2_path, fds_path):
    client = SchemaRegistryClient({"url": url})
    avro_conf = {"auto.register.schemas": True, "subject.name.strategy": record_subject_name_strategy}
    with open(v1_path) as f:
        v1 = AvroSerializer(client, f.read(), conf=avro_conf)
    with open(v2_path) as f:
        v2 = AvroSerializer(client, f.read(), conf=avro_conf)

    fds = descriptor_pb2.FileDescriptorSet()
    with open(fds_path, "rb") as f:
        fds.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for fd in fds.file:
        pool.Add(fd)
    Payment = message_factory.GetMessageClass(pool.FindMessageTypeByName("example.shop.Payment"))
    pb = ProtobufSerializer(Payment, client, {"use.deprecated.format": False})

    producer = Producer({"bootstrap.servers": brokers, "acks": "all", "enable.idempotence": True})
    errors = []

    def delivered(err, _msg):
        if err is not None:
            errors.append(str(err))

    orders = SerializationContext("orders", MessageField.VALUE)
    payments = SerializationContext("payments", MessageField.VALUE)
    producer.produce("orders", key="py-1", on_delivery=delivered,
                     value=v1({"id": "py-1", "amount_cents": 700, "quantity": 3}, orders))
    producer.produce("orders", key="py-2", on_delivery=delivered,
                     value=v2({"id": "py-2", "amount_cents": 800, "quantity": 4, "currency": "USD",
                               "note": "from python"}, orders))
    producer.produce("payments", key="py-p", on_delivery=delivered,
                     value=pb(Payment(order_id="py-1", amount_cents=700, method="iban"), payments))
    remaining = producer.flush(60)
    if remaining or errors:
        sys.exit(f"not delivered: {remaining} pending, errors {errors}")
    print(json.dumps({"orders": 2, "payments": 1}))


if __name__ == "__main__":
    main(*sys.argv[1:])
