// Apache Avro's Java implementation (what Confluent Schema Registry runs) as an oracle, to settle
// by hand where schemactl and the Python port of Avro disagree. Not run by CI.
//
// Reads the JSON lines of tests/interop/avro_oracle.py's protocol on stdin:
//   {"id": .., "reader": "<schema>", "writer": "<schema>"[, "schemactl": {"compatible": b, ..}]}
//   {"id": .., "parse": "<schema>"}
// and answers {"id", "compatible", "kinds"} (plus "agrees" when the line carries schemactl's
// verdict, and "exception" when SchemaCompatibility throws, which Confluent reports as
// incompatible) or {"id", "ok", "error"}.
//
// The jars (avro-1.12.1, jackson-core/databind/annotations, slf4j-api, commons-compress) ship in
// the pyspark sdist under deps/jars/. With them in $JARS:
//   javac -cp "$JARS/*" -d /tmp/oracle tests/interop/JavaAvroOracle.java
//   SCHEMACTL_DIFF_DUMP=/tmp/pairs.jsonl cargo test --test avro_differential
//   java -cp "/tmp/oracle:$JARS/*" JavaAvroOracle < /tmp/pairs.jsonl | grep '"agrees":false'
// (SCHEMACTL_FIXTURE_DUMP does the same for the fixture table.)

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

public class JavaAvroOracle {
  public static void main(String[] args) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode request = mapper.readTree(line);
      ObjectNode answer = mapper.createObjectNode();
      answer.set("id", request.get("id"));
      try {
        if (request.has("parse")) {
          new Schema.Parser().parse(request.get("parse").asText());
          answer.put("ok", true);
        } else {
          // Separate parsers, as a registry parses each version on its own.
          Schema reader = new Schema.Parser().parse(request.get("reader").asText());
          Schema writer = new Schema.Parser().parse(request.get("writer").asText());
          boolean compatible;
          try {
            SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
            compatible = result.getType() == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
            ArrayNode kinds = answer.putArray("kinds");
            for (SchemaCompatibility.Incompatibility i : result.getResult().getIncompatibilities()) {
              kinds.add(i.getType().toString());
            }
          } catch (RuntimeException e) {
            compatible = false;
            answer.put("exception", e.toString());
          }
          answer.put("compatible", compatible);
          JsonNode ours = request.path("schemactl").path("compatible");
          if (ours.isBoolean()) {
            answer.put("agrees", ours.asBoolean() == compatible);
          }
        }
      } catch (Exception e) {
        answer.put("ok", false);
        answer.put("error", e.toString());
      }
      out.println(mapper.writeValueAsString(answer));
    }
  }
}
