"""JSON Schema frames between confluent-kafka's Python client and schemactl's runtime.

usage: codegen_json_frames.py SCHEMA_FILE VALUE_JSON
Registers the schema through JSONSerializer (auto.register.schemas, against the client's
in-memory registry), serializes VALUE_JSON and prints {"id": id, "frame": hex} on one line.
Then reads hex frames from stdin, one a line (written by the Rust side with that id), and prints
for each what JSONDeserializer makes of it: {"value": ...} or {"error": "..."}. Both sides
validate against the schema, as they do by default.
"""
import json
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext


def main():
    with open(sys.argv[1]) as f:
        schema = f.read()
    value = json.loads(sys.argv[2])
    client = SchemaRegistryClient.new_client({"url": "mock://codegen-json"})
    ctx = SerializationContext("orders", MessageField.VALUE)
    ser = JSONSerializer(schema, client, conf={"auto.register.schemas": True})
    frame = ser(value, ctx)
    schema_id = int.from_bytes(frame[1:5], "big")
    print(json.dumps({"id": schema_id, "frame": frame.hex()}), flush=True)

    de = JSONDeserializer(None, schema_registry_client=client)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            out = {"value": de(bytes.fromhex(line), ctx)}
        except Exception as e:  # the test asserts on the kind of failure
            out = {"error": type(e).__name__ + ": " + str(e)}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
