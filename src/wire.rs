//! Confluent's wire format: magic byte `0`, the schema id as 4 bytes big-endian, then the payload.
//! For Protobuf the payload starts with the message-index path of the message type within its
//! file (zig-zag varints: a count then the indexes; the common path `[0]` is a single `0` byte).
//!
//! Decoding never panics and never allocates more than the input justifies: every length is
//! checked against the bytes that remain.

/// The magic byte that starts every Confluent frame.
pub const MAGIC: u8 = 0;

/// Bytes before the payload: the magic byte and the schema id.
pub const HEADER_LEN: usize = 5;

/// Why a frame could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("frame too short: {len} bytes, a Confluent frame needs at least {HEADER_LEN}")]
    TooShort { len: usize },
    #[error("unknown magic byte {found} (expected 0): not a Confluent-framed message")]
    BadMagic { found: u8 },
    #[error("truncated message-index array")]
    TruncatedIndexes,
    #[error("invalid message-index array: {0}")]
    BadIndexes(&'static str),
    #[error("frame has schema id {found}, expected {expected}")]
    UnexpectedSchemaId { found: u32, expected: u32 },
}

/// A decoded frame: the schema id and the bytes after the header, borrowed from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    pub schema_id: u32,
    pub payload: &'a [u8],
}

/// Appends the 5-byte header for `schema_id` to `out`.
pub fn write_header(schema_id: u32, out: &mut Vec<u8>) {
    out.push(MAGIC);
    out.extend_from_slice(&schema_id.to_be_bytes());
}

/// Splits a frame into its schema id and payload, checking the magic byte and the length.
pub fn decode(bytes: &[u8]) -> Result<Frame<'_>, WireError> {
    if bytes.len() < HEADER_LEN {
        return Err(WireError::TooShort { len: bytes.len() });
    }
    if bytes[0] != MAGIC {
        return Err(WireError::BadMagic { found: bytes[0] });
    }
    let schema_id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
    Ok(Frame {
        schema_id,
        payload: &bytes[HEADER_LEN..],
    })
}

/// Appends the Protobuf message-index path, as Confluent's serializers write it.
pub fn write_message_indexes(indexes: &[i32], out: &mut Vec<u8>) {
    // The first message of a file is by far the most common: Confluent writes it as one `0`.
    if indexes == [0] {
        out.push(0);
        return;
    }
    crate::runtime::avro::write_long(out, indexes.len() as i64);
    for &i in indexes {
        crate::runtime::avro::write_long(out, i64::from(i));
    }
}

/// Reads a message-index path from the start of a Protobuf payload; returns the path and the
/// message bytes after it. An empty path (a single `0`) means `[0]`.
pub fn read_message_indexes(payload: &[u8]) -> Result<(Vec<i32>, &[u8]), WireError> {
    let mut pos = 0;
    let count = read_zigzag(payload, &mut pos)?;
    if count < 0 {
        return Err(WireError::BadIndexes("negative count"));
    }
    if count == 0 {
        return Ok((vec![0], &payload[pos..]));
    }
    // Each index takes at least one byte: a larger count cannot be honest.
    if count as u64 > (payload.len() - pos) as u64 {
        return Err(WireError::TruncatedIndexes);
    }
    let mut indexes = Vec::with_capacity(count as usize);
    for _ in 0..count {
        let i = read_zigzag(payload, &mut pos)?;
        let i = i32::try_from(i).map_err(|_| WireError::BadIndexes("index out of range"))?;
        if i < 0 {
            return Err(WireError::BadIndexes("negative index"));
        }
        indexes.push(i);
    }
    Ok((indexes, &payload[pos..]))
}

/// Reads one zig-zag varint (the Avro `long` encoding) at `*pos`.
fn read_zigzag(bytes: &[u8], pos: &mut usize) -> Result<i64, WireError> {
    let mut r = crate::runtime::avro::Reader::new(&bytes[*pos..]);
    let v = r.read_long().map_err(|e| match e {
        crate::runtime::avro::DecodeError::UnexpectedEof => WireError::TruncatedIndexes,
        _ => WireError::BadIndexes("varint longer than 10 bytes"),
    })?;
    *pos = bytes.len() - r.remaining();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips() {
        let mut out = Vec::new();
        write_header(0x0102_0304, &mut out);
        out.extend_from_slice(b"xy");
        assert_eq!(out, [0, 1, 2, 3, 4, b'x', b'y']);
        let frame = decode(&out).unwrap();
        assert_eq!(frame.schema_id, 0x0102_0304);
        assert_eq!(frame.payload, b"xy");
    }

    #[test]
    fn first_message_is_one_zero_byte() {
        let mut out = Vec::new();
        write_message_indexes(&[0], &mut out);
        assert_eq!(out, [0]);
        let mut out = Vec::new();
        write_message_indexes(&[1, 0], &mut out);
        assert_eq!(out, [4, 2, 0]);
        assert_eq!(
            read_message_indexes(&[4, 2, 0, 9]).unwrap(),
            (vec![1, 0], &[9u8][..])
        );
        assert_eq!(
            read_message_indexes(&[0, 9]).unwrap(),
            (vec![0], &[9u8][..])
        );
    }

    #[test]
    fn malformed_frames_are_errors() {
        assert_eq!(decode(&[0, 1]), Err(WireError::TooShort { len: 2 }));
        assert_eq!(
            decode(&[1, 0, 0, 0, 0]),
            Err(WireError::BadMagic { found: 1 })
        );
        assert!(read_message_indexes(&[]).is_err());
        assert!(read_message_indexes(&[1]).is_err()); // count -1
        assert!(read_message_indexes(&[0xfe, 0xff, 0xff, 0xff, 0x0f]).is_err()); // huge count
        assert!(read_message_indexes(&[2, 1]).is_err()); // index -1
        assert!(read_message_indexes(&[0xff; 20]).is_err());
    }
}
