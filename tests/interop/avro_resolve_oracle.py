#!/usr/bin/env python3
"""Resolving readers of Python Avro implementations, the oracle of tests/avro_resolution_differential.rs.

Reads JSON lines on stdin, answers one JSON line per request on stdout, in order:

  {"id": 7, "writer": "<schema>", "reader": "<schema>", "datums": ["<hex>", ...]}
      -> {"id": 7, "avro": [r, ...], "fastavro": [r, ...], "self": [r, ...]}

For each datum (written with the writer schema), `avro` is Apache Avro's Python port
(`DatumReader(writer, reader)`), `fastavro` is fastavro's `schemaless_reader(.., writer, reader)`,
and `self` is the port reading the datum with the writer schema alone (which checks the test's
encoder). Each r is {"v": value} or {"error": "..."}, values tagged so that nothing is lost in
JSON: null and booleans as themselves, {"i": int}, {"x": "<16 hex digits of the IEEE double>"},
{"s": str}, {"b": "<hex>"}, {"a": [..]}, {"m": {key: value}} (records and maps).

Logical types are removed from both schemas before reading: resolution works on the underlying
types, and the values then compare as the encoding carries them (the ports would convert them to
date, datetime and Decimal objects).

Exit status 3 with a message on stderr when a package cannot be imported.
"""

import io
import json
import struct
import sys

try:
    import avro.io
    import avro.schema
    import fastavro
except ImportError as exc:  # the test turns this into an install hint
    sys.stderr.write(f"cannot import avro or fastavro ({exc}); run: bash tests/setup.sh\n")
    sys.exit(3)


def without_logical_types(node):
    if isinstance(node, dict):
        return {k: without_logical_types(v) for k, v in node.items() if k != "logicalType"}
    if isinstance(node, list):
        return [without_logical_types(v) for v in node]
    return node


def tag(value):
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return {"i": value}
    if isinstance(value, float):
        return {"x": "%016x" % struct.unpack(">Q", struct.pack(">d", value))[0]}
    if isinstance(value, str):
        return {"s": value}
    if isinstance(value, (bytes, bytearray)):
        return {"b": bytes(value).hex()}
    if isinstance(value, (list, tuple)):
        return {"a": [tag(v) for v in value]}
    if isinstance(value, dict):
        return {"m": {k: tag(v) for k, v in value.items()}}
    raise TypeError(f"untagged value {value!r}")


def each(datums, read):
    results = []
    for hexed in datums:
        buf = io.BytesIO(bytes.fromhex(hexed))
        try:
            value = read(buf)
            rest = len(buf.read())
            results.append({"v": tag(value)} if rest == 0 else {"error": f"{rest} bytes left"})
        except Exception as exc:  # any failure is an answer
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    return results


def answer(request):
    writer_json = without_logical_types(json.loads(request["writer"]))
    reader_json = without_logical_types(json.loads(request["reader"]))
    datums = request["datums"]
    out = {"id": request.get("id")}
    try:
        writer = avro.schema.parse(json.dumps(writer_json))
        reader = avro.schema.parse(json.dumps(reader_json))
        resolving = avro.io.DatumReader(writer, reader)
        plain = avro.io.DatumReader(writer, writer)
        out["avro"] = each(datums, lambda b: resolving.read(avro.io.BinaryDecoder(b)))
        out["self"] = each(datums, lambda b: plain.read(avro.io.BinaryDecoder(b)))
    except Exception as exc:
        error = {"error": f"schema: {type(exc).__name__}: {exc}"}
        out["avro"] = out["self"] = [error] * len(datums)
    try:
        fw = fastavro.parse_schema(writer_json)
        fr = fastavro.parse_schema(reader_json)
        out["fastavro"] = each(datums, lambda b: fastavro.schemaless_reader(b, fw, fr))
    except Exception as exc:
        out["fastavro"] = [{"error": f"schema: {type(exc).__name__}: {exc}"}] * len(datums)
    return out


def main():
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if line:
            out.write(json.dumps(answer(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
