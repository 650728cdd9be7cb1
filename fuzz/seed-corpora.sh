#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from tests/fixtures (run from anywhere):
# fuzz/corpus/<target>/ gets one file per fixture, in the input format of the target.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
corpus="$root/fuzz/corpus"
fixtures="$root/tests/fixtures"
mkdir -p "$corpus"/{avro_parse,protobuf_parse,avro_compat,protobuf_compat,json_parse,json_compat,wire_frame,codegen_decode,registry_handlers}

n=0
for f in $(find "$fixtures" "$root/tests/codegen-crate/schemas" -name '*.avsc' | sort); do
  n=$((n + 1))
  cp "$f" "$corpus/avro_parse/$n.avsc"
  # The registry: register, then test, the schema as a request body.
  python3 -c 'import json,sys; print(json.dumps({"schema": open(sys.argv[1]).read()}))' "$f" \
    | { printf 'POST /subjects/s%d/versions\n' "$n"; cat; } > "$corpus/registry_handlers/$n-register"
done
for f in $(find "$fixtures" "$root/tests/codegen-crate/schemas" -name '*.proto' | sort); do
  n=$((n + 1))
  cp "$f" "$corpus/protobuf_parse/$n.proto"
done

# Compatibility: `old NUL new`, from the fixture pairs.
for d in "$fixtures"/avro/*/; do
  if [ -f "$d/v1.avsc" ] && [ -f "$d/new.avsc" ]; then
    { cat "$d/v1.avsc"; printf '\0'; cat "$d/new.avsc"; } > "$corpus/avro_compat/$(basename "$d")"
  fi
done
for c in "$fixtures"/protobuf/cases/*.case; do
  # Cases with one file per side: old/schema.proto and new/schema.proto.
  awk -v out="$corpus/protobuf_compat/$(basename "$c" .case)" '
    /^=== old\/schema.proto$/ { side = "old"; next }
    /^=== new\/schema.proto$/ { side = "new"; next }
    /^=== / { side = ""; next }
    side == "old" { old = old $0 "\n" }
    side == "new" { new = new $0 "\n" }
    END { if (old != "" && new != "") printf "%s%c%s", old, 0, new > out }
  ' "$c"
done

for c in "$fixtures"/json/cases/*.case; do
  # Each case holds one old and one new document: parse seeds and `old NUL new`.
  base="$(basename "$c" .case)"
  awk -v out="$corpus/json_compat/$base" -v po="$corpus/json_parse/$base-old.json" \
    -v pn="$corpus/json_parse/$base-new.json" '
    /^=== old$/ { side = "old"; next }
    /^=== new$/ { side = "new"; next }
    /^=== / { side = ""; next }
    side == "old" { old = old $0 "\n" }
    side == "new" { new = new $0 "\n" }
    END {
      if (old != "") printf "%s", old > po
      if (new != "") printf "%s", new > pn
      if (old != "" && new != "") printf "%s%c%s", old, 0, new > out
    }
  ' "$c"
done

# Frames: header only, Avro payload, Protobuf index paths (short form, explicit, hostile).
printf '\0\0\0\0\1' > "$corpus/wire_frame/header"
printf '\0\0\0\0\1\0\2' > "$corpus/wire_frame/first-message"
printf '\0\0\0\0\1\4\2\4\10' > "$corpus/wire_frame/nested-path"
printf '\0\0\0\0\1\377\377\377\377\17' > "$corpus/wire_frame/huge-count"
printf '\0\0\0\0\1\2\4' > "$corpus/wire_frame/user-datum"
printf '\0\0\0\0\1\0\0\0\0\0' > "$corpus/codegen_decode/zeros"
printf '\3\0\0\0\0\1\2\4' > "$corpus/codegen_decode/avro-frame"
printf '\4\0\0\0\0\1\0\12\1a' > "$corpus/codegen_decode/proto-frame"

# The registry's other routes.
for request in 'GET /subjects' 'GET /schemas/types' 'GET /config' 'GET /mode' \
  'GET /subjects/s1/versions/latest' 'GET /schemas/ids/1' 'DELETE /subjects/s1' \
  'OPTIONS /subjects' 'GET /subjects/a%FFb/versions' 'PUT /config
{"compatibility": "FULL"}'; do
  n=$((n + 1))
  printf '%s' "$request" > "$corpus/registry_handlers/$n-route"
done
echo "seeded $(find "$corpus" -type f | wc -l) inputs under $corpus"
