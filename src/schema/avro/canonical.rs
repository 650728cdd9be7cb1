//! Avro's Parsing Canonical Form and its 64-bit Rabin fingerprint (CRC-64-AVRO), as the Avro
//! specification defines them: two schemas that read and write the same bytes share both.

use std::collections::HashSet;
use std::fmt::Write;

use super::{AvroSchema, Node, NodeId};

impl AvroSchema {
    /// The Parsing Canonical Form of the schema.
    pub fn canonical_form(&self) -> String {
        self.canonical_form_at(self.root)
    }

    /// The Parsing Canonical Form of the type at `id`, as if it were the root.
    pub fn canonical_form_at(&self, id: NodeId) -> String {
        let mut out = String::new();
        let mut seen = HashSet::new();
        // Pieces still to write, last first: a heap stack, because named types from schema
        // references expand inline and may chain thousands deep.
        let mut pending = vec![Piece::Type(id)];
        while let Some(piece) = pending.pop() {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Json(s) => write_json_string(&mut out, s),
                Piece::Type(id) => self.write_canonical(id, &mut out, &mut seen, &mut pending),
            }
        }
        out
    }

    /// The CRC-64-AVRO fingerprint of the Parsing Canonical Form.
    pub fn fingerprint(&self) -> u64 {
        rabin_fingerprint(self.canonical_form().as_bytes())
    }

    /// Writes the start of the type at `id` and pushes what follows it (children, closing
    /// brackets) onto `pending`, in reverse.
    fn write_canonical<'s>(
        &'s self,
        id: NodeId,
        out: &mut String,
        seen: &mut HashSet<NodeId>,
        pending: &mut Vec<Piece<'s>>,
    ) {
        let node = self.node(id);
        if let Some(name) = node.name() {
            let full = name.full_name();
            if !seen.insert(id) {
                write_json_string(out, &full);
                return;
            }
            out.push_str("{\"name\":");
            write_json_string(out, &full);
            out.push_str(",\"type\":");
            match node {
                Node::Record(r) => {
                    out.push_str(if r.is_error {
                        "\"error\""
                    } else {
                        "\"record\""
                    });
                    out.push_str(",\"fields\":[");
                    pending.push(Piece::Text("]}"));
                    for (i, f) in r.fields.iter().enumerate().rev() {
                        pending.push(Piece::Text("}"));
                        pending.push(Piece::Type(f.ty));
                        pending.push(Piece::Text(",\"type\":"));
                        pending.push(Piece::Json(&f.name));
                        pending.push(Piece::Text(if i > 0 {
                            ",{\"name\":"
                        } else {
                            "{\"name\":"
                        }));
                    }
                    return;
                }
                Node::Enum(e) => {
                    out.push_str("\"enum\",\"symbols\":[");
                    for (i, s) in e.symbols.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        write_json_string(out, s);
                    }
                    out.push(']');
                }
                Node::Fixed(f) => {
                    let _ = write!(out, "\"fixed\",\"size\":{}", f.size);
                }
                _ => unreachable!("only named nodes have names"),
            }
            out.push('}');
            return;
        }
        match node {
            Node::Primitive { primitive, .. } => {
                out.push('"');
                out.push_str(primitive.name());
                out.push('"');
            }
            Node::Array { items } => {
                out.push_str("{\"type\":\"array\",\"items\":");
                pending.push(Piece::Text("}"));
                pending.push(Piece::Type(*items));
            }
            Node::Map { values } => {
                out.push_str("{\"type\":\"map\",\"values\":");
                pending.push(Piece::Text("}"));
                pending.push(Piece::Type(*values));
            }
            Node::Union { branches } => {
                out.push('[');
                pending.push(Piece::Text("]"));
                for (i, b) in branches.iter().enumerate().rev() {
                    pending.push(Piece::Type(*b));
                    if i > 0 {
                        pending.push(Piece::Text(","));
                    }
                }
            }
            Node::Record(_) | Node::Enum(_) | Node::Fixed(_) => {
                unreachable!("named nodes are handled above")
            }
        }
    }
}

/// A piece of canonical text still to write.
enum Piece<'s> {
    Text(&'static str),
    Json(&'s str),
    Type(NodeId),
}

fn write_json_string(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).expect("a string always serializes"));
}

const EMPTY: u64 = 0xc15d_213a_a4d7_a795;

const fn rabin_table() -> [u64; 256] {
    let mut table = [0u64; 256];
    let mut i = 0;
    while i < 256 {
        let mut fp = i as u64;
        let mut j = 0;
        while j < 8 {
            fp = (fp >> 1) ^ (EMPTY & (0u64.wrapping_sub(fp & 1)));
            j += 1;
        }
        table[i] = fp;
        i += 1;
    }
    table
}

static RABIN: [u64; 256] = rabin_table();

/// The CRC-64-AVRO fingerprint of `bytes`.
pub fn rabin_fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(EMPTY, |fp, &b| {
        (fp >> 8) ^ RABIN[((fp ^ b as u64) & 0xff) as usize]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::avro::parse;

    #[test]
    fn canonical_form_strips_and_orders() {
        let s = parse(
            "t",
            r#"{"namespace":"a.b","type":"record","name":"R","doc":"x","fields":[
                {"name":"f","type":{"type":"long","logicalType":"timestamp-millis"},"default":1},
                {"name":"g","type":["null","R"],"default":null}]}"#,
        )
        .unwrap();
        assert_eq!(
            s.canonical_form(),
            r#"{"name":"a.b.R","type":"record","fields":[{"name":"f","type":"long"},{"name":"g","type":["null","a.b.R"]}]}"#
        );
    }

    #[test]
    fn fingerprints_match_the_specification() {
        // Values from the Avro specification's test vectors.
        assert_eq!(
            rabin_fingerprint(b"\"int\"") as i64,
            8247732601305521295u64 as i64
        );
        let s = parse("t", "\"null\"").unwrap();
        assert_eq!(s.fingerprint() as i64, 7195948357588979594);
    }
}
