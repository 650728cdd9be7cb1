#!/usr/bin/env python3
"""Apache Avro's Python port as an oracle for schemactl's Avro compatibility tests.

Reads JSON lines on stdin, answers one JSON line per request on stdout, in order:

  {"id": 7, "reader": "<schema text>", "writer": "<schema text>"}
      -> {"id": 7, "compatible": true, "kinds": ["TYPE_MISMATCH", ...]}
  {"id": 8, "parse": "<schema text>"}
      -> {"id": 8, "ok": false, "error": "..."}

A schema the port cannot parse yields {"id": .., "error": "..."} for a pair, a check that raises
{"id": .., "exception": "..."}. Exit status 3 with a
message on stderr when the `avro` package cannot be imported.
"""

import json
import sys

try:
    import avro
    import avro.schema
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
except ImportError as exc:  # the test turns this into an install hint
    sys.stderr.write(f"cannot import avro ({exc}); install it with: pip install -r tests/interop/requirements.txt\n")
    sys.exit(3)


def parse(text):
    return avro.schema.parse(text)


def answer(request):
    rid = request.get("id")
    if "parse" in request:
        try:
            parse(request["parse"])
            return {"id": rid, "ok": True}
        except Exception as exc:  # any rejection counts
            return {"id": rid, "ok": False, "error": f"{type(exc).__name__}: {exc}"}
    try:
        reader = parse(request["reader"])
        writer = parse(request["writer"])
    except Exception as exc:
        return {"id": rid, "error": f"{type(exc).__name__}: {exc}"}
    try:
        # A fresh checker per pair: its memo is keyed by schema identity.
        result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    except Exception as exc:  # e.g. the port does not know the "error" type
        return {"id": rid, "exception": f"{type(exc).__name__}: {exc}"}
    kinds = sorted({i.name.upper() for i in result.incompatibilities})
    return {
        "id": rid,
        "compatible": result.compatibility is SchemaCompatibilityType.compatible,
        "kinds": kinds,
    }


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--version":
        print(avro.__version__)
        return
    out = sys.stdout
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        out.write(json.dumps(answer(json.loads(line))) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
