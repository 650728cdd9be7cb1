//! The Avro binary encoding, written and read directly by generated code (no intermediate value
//! tree), and the traits generated types implement.
//!
//! Reading checks every length against the bytes that remain, so a malformed or hostile datum
//! is an error, never a panic or an allocation larger than the input.

use std::collections::HashMap;

pub use super::ids::Reference;
use crate::wire::{self, WireError};

/// Why a datum could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("unexpected end of input")]
    UnexpectedEof,
    #[error("variable-length integer longer than 10 bytes")]
    VarintOverflow,
    #[error("int value {0} out of range")]
    IntOutOfRange(i64),
    #[error("negative length {0}")]
    NegativeLength(i64),
    #[error("length {len} exceeds the {remaining} bytes that remain")]
    LengthExceedsInput { len: i64, remaining: usize },
    #[error("invalid UTF-8 in a string")]
    InvalidUtf8,
    #[error("invalid boolean byte {0}")]
    InvalidBool(u8),
    #[error("union branch {index} out of range ({branches} branches)")]
    BadUnionIndex { index: i64, branches: usize },
    #[error("enum symbol {index} out of range ({symbols} symbols)")]
    BadEnumIndex { index: i64, symbols: usize },
    #[error("records nest deeper than {0} levels")]
    TooDeep(u32),
    #[error("invalid {logical} value: {reason}")]
    Logical {
        logical: &'static str,
        reason: &'static str,
    },
    #[error(transparent)]
    Wire(#[from] WireError),
}

/// Writes a value in the Avro binary encoding.
pub trait AvroEncode {
    fn avro_encode(&self, out: &mut Vec<u8>);
}

/// Reads a value in the Avro binary encoding.
pub trait AvroDecode: Sized {
    fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;

    /// Reads a value into `self`, reusing its heap buffers (strings, bytes, vectors, nested
    /// records) where the new value fits them: a consumer decoding a stream into one value
    /// allocates only when a value outgrows the previous ones. On error `self` holds a valid
    /// but unspecified mix of old and new contents.
    #[inline]
    fn avro_decode_into(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        *self = Self::avro_decode(r)?;
        Ok(())
    }
}

/// A generated named type and the schema it was generated from.
pub trait AvroType: AvroEncode + AvroDecode {
    /// The schema as registered: the file's text for a file's top-level type, the Parsing
    /// Canonical Form for a type nested in another file.
    const SCHEMA: &'static str;
    /// The Avro full name (`com.acme.User`).
    const FULL_NAME: &'static str;
    /// The Confluent subject, from the naming strategy configured at generation.
    const SUBJECT: &'static str;
    /// CRC-64-AVRO (Rabin) fingerprint of the Parsing Canonical Form.
    const FINGERPRINT: u64;
    /// A schema id pinned at build time, if any.
    const SCHEMA_ID: Option<u32>;
    /// Schemas this one references (Confluent schema references), each with its own.
    const REFERENCES: &'static [Reference] = &[];
}

/// Encodes a value as a bare Avro datum.
pub fn to_datum<T: AvroEncode + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    value.avro_encode(&mut out);
    out
}

/// Decodes a bare Avro datum (trailing bytes are ignored, as Avro's decoders do).
pub fn from_datum<T: AvroDecode>(bytes: &[u8]) -> Result<T, DecodeError> {
    T::avro_decode(&mut Reader::new(bytes))
}

/// Decodes a bare Avro datum into `value`, reusing its buffers (see
/// [`AvroDecode::avro_decode_into`]).
pub fn from_datum_into<T: AvroDecode>(bytes: &[u8], value: &mut T) -> Result<(), DecodeError> {
    value.avro_decode_into(&mut Reader::new(bytes))
}

/// Encodes a value in a Confluent frame with `schema_id`.
pub fn to_frame<T: AvroEncode + ?Sized>(value: &T, schema_id: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(64);
    wire::write_header(schema_id, &mut out);
    value.avro_encode(&mut out);
    out
}

/// Decodes a Confluent frame whose schema id must be `expected_id` (the id of the schema the
/// type was generated from). For frames written with other versions, see
/// [`crate::runtime::resolve`].
pub fn from_frame<T: AvroDecode>(bytes: &[u8], expected_id: u32) -> Result<T, DecodeError> {
    from_datum(payload_of(bytes, expected_id)?)
}

/// [`from_frame`] into an existing value, reusing its buffers.
pub fn from_frame_into<T: AvroDecode>(
    bytes: &[u8],
    expected_id: u32,
    value: &mut T,
) -> Result<(), DecodeError> {
    from_datum_into(payload_of(bytes, expected_id)?, value)
}

/// The datum of a frame, once its header is checked and its id is `expected_id`.
fn payload_of(bytes: &[u8], expected_id: u32) -> Result<&[u8], DecodeError> {
    let frame = wire::decode(bytes)?;
    if frame.schema_id != expected_id {
        return Err(WireError::UnexpectedSchemaId {
            found: frame.schema_id,
            expected: expected_id,
        }
        .into());
    }
    Ok(frame.payload)
}

// ---------------------------------------------------------------------------------------------
// Writing

#[inline]
pub fn write_long(out: &mut Vec<u8>, v: i64) {
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    if n < 0x80 {
        out.push(n as u8);
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = 0;
    while n >= 0x80 {
        buf[i] = (n as u8) | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = n as u8;
    out.extend_from_slice(&buf[..=i]);
}

#[inline]
pub fn write_int(out: &mut Vec<u8>, v: i32) {
    write_long(out, i64::from(v));
}

#[inline]
pub fn write_bool(out: &mut Vec<u8>, v: bool) {
    out.push(u8::from(v));
}

#[inline]
pub fn write_float(out: &mut Vec<u8>, v: f32) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[inline]
pub fn write_double(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}

#[inline]
pub fn write_bytes(out: &mut Vec<u8>, v: &[u8]) {
    write_long(out, v.len() as i64);
    out.extend_from_slice(v);
}

#[inline]
pub fn write_str(out: &mut Vec<u8>, v: &str) {
    write_bytes(out, v.as_bytes());
}

#[inline]
pub fn write_fixed(out: &mut Vec<u8>, v: &[u8]) {
    out.extend_from_slice(v);
}

/// Writes an array as one block (count, items, then the terminating empty block).
#[inline]
pub fn write_array<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    if !items.is_empty() {
        write_long(out, items.len() as i64);
        for v in items {
            item(out, v);
        }
    }
    out.push(0);
}

/// Writes a map as one block of key/value pairs.
#[inline]
pub fn write_map<T, S>(
    out: &mut Vec<u8>,
    map: &HashMap<String, T, S>,
    mut value: impl FnMut(&mut Vec<u8>, &T),
) {
    if !map.is_empty() {
        write_long(out, map.len() as i64);
        for (k, v) in map {
            write_str(out, k);
            value(out, v);
        }
    }
    out.push(0);
}

// ---------------------------------------------------------------------------------------------
// Reading

/// How deep recursive records may nest in one datum by default. Each level takes a few bytes
/// of input but a stack frame of the decoder, so without a bound a hostile message of a
/// megabyte overflows the stack. Unoptimized builds take about 2 KiB of stack a level (768
/// levels fit the 2 MiB of a spawned thread, 1,024 do not); 512 leaves room for the caller.
/// Deeper data (a long list written as nested records) needs
/// `T::avro_decode(&mut Reader::new(bytes).with_max_depth(n))` on a thread with the stack for it.
pub const DEFAULT_MAX_DEPTH: u32 = 512;

/// A cursor over an Avro datum.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    depth: u32,
    max_depth: u32,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            depth: 0,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }

    /// A reader allowing recursive records to nest `max_depth` levels deep.
    pub fn with_max_depth(mut self, max_depth: u32) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Enters one level of a recursive record; generated decoders call this for types that
    /// can contain themselves.
    #[inline]
    pub fn enter(&mut self) -> Result<(), DecodeError> {
        if self.depth >= self.max_depth {
            return Err(DecodeError::TooDeep(self.max_depth));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves the level [`Reader::enter`] entered.
    #[inline]
    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    #[inline]
    pub fn read_long(&mut self) -> Result<i64, DecodeError> {
        // Most longs on the wire (lengths, counts, indexes, small numbers) fit one byte.
        if let Some(&b) = self.buf.get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(i64::from(b >> 1) ^ -i64::from(b & 1));
            }
        }
        self.read_long_multi()
    }

    fn read_long_multi(&mut self) -> Result<i64, DecodeError> {
        let mut n: u64 = 0;
        let mut shift = 0u32;
        loop {
            let b = *self.buf.get(self.pos).ok_or(DecodeError::UnexpectedEof)?;
            self.pos += 1;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift >= 64 {
                return Err(DecodeError::VarintOverflow);
            }
        }
        Ok(((n >> 1) as i64) ^ -((n & 1) as i64))
    }

    #[inline]
    pub fn read_int(&mut self) -> Result<i32, DecodeError> {
        let v = self.read_long()?;
        i32::try_from(v).map_err(|_| DecodeError::IntOutOfRange(v))
    }

    #[inline]
    pub fn read_bool(&mut self) -> Result<bool, DecodeError> {
        match self.take(1)?[0] {
            0 => Ok(false),
            1 => Ok(true),
            b => Err(DecodeError::InvalidBool(b)),
        }
    }

    #[inline]
    pub fn read_float(&mut self) -> Result<f32, DecodeError> {
        Ok(f32::from_le_bytes(self.read_array_bytes::<4>()?))
    }

    #[inline]
    pub fn read_double(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.read_array_bytes::<8>()?))
    }

    /// Reads a length prefix, checked against the input so that nothing is allocated for it
    /// beyond what the input holds.
    #[inline]
    pub fn read_len(&mut self) -> Result<usize, DecodeError> {
        let len = self.read_long()?;
        if len < 0 {
            return Err(DecodeError::NegativeLength(len));
        }
        if len as u64 > self.remaining() as u64 {
            return Err(DecodeError::LengthExceedsInput {
                len,
                remaining: self.remaining(),
            });
        }
        Ok(len as usize)
    }

    #[inline]
    pub fn read_bytes_ref(&mut self) -> Result<&'a [u8], DecodeError> {
        let len = self.read_len()?;
        self.take(len)
    }

    #[inline]
    pub fn read_bytes(&mut self) -> Result<Vec<u8>, DecodeError> {
        Ok(self.read_bytes_ref()?.to_vec())
    }

    #[inline]
    pub fn read_str(&mut self) -> Result<&'a str, DecodeError> {
        let bytes = self.read_bytes_ref()?;
        // Kafka payloads are mostly ASCII: checking that a word at a time is several times
        // cheaper than full UTF-8 validation of short strings, which dominated decoding.
        if bytes.is_ascii() {
            // SAFETY: every ASCII byte sequence is valid UTF-8.
            return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
        }
        std::str::from_utf8(bytes).map_err(|_| DecodeError::InvalidUtf8)
    }

    #[inline]
    pub fn read_string(&mut self) -> Result<String, DecodeError> {
        self.read_str().map(str::to_owned)
    }

    /// Reads a string into `out`, reusing its capacity.
    #[inline]
    pub fn read_string_into(&mut self, out: &mut String) -> Result<(), DecodeError> {
        let s = self.read_str()?;
        out.clear();
        out.push_str(s);
        Ok(())
    }

    /// Reads bytes into `out`, reusing its capacity.
    #[inline]
    pub fn read_bytes_into(&mut self, out: &mut Vec<u8>) -> Result<(), DecodeError> {
        let b = self.read_bytes_ref()?;
        out.clear();
        out.extend_from_slice(b);
        Ok(())
    }

    #[inline]
    pub fn read_array_bytes<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    #[inline]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(DecodeError::UnexpectedEof);
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// Reads a union branch index, checked against the number of branches.
    #[inline]
    pub fn read_union_index(&mut self, branches: usize) -> Result<usize, DecodeError> {
        let index = self.read_long()?;
        if index < 0 || index as u64 >= branches as u64 {
            return Err(DecodeError::BadUnionIndex { index, branches });
        }
        Ok(index as usize)
    }

    /// Reads an enum symbol index, checked against the number of symbols.
    #[inline]
    pub fn read_enum_index(&mut self, symbols: usize) -> Result<usize, DecodeError> {
        let index = self.read_long()?;
        if index < 0 || index as u64 >= symbols as u64 {
            return Err(DecodeError::BadEnumIndex { index, symbols });
        }
        Ok(index as usize)
    }

    /// Reads the item count of the next array or map block; `0` ends the sequence. A negative
    /// count is followed by the block's size in bytes, which is skipped.
    ///
    /// Items of `zero_sized` types (null, empty records) take no bytes, so their count cannot be
    /// checked against the input; it is capped instead so that a hostile count cannot spin.
    pub fn read_block_count(&mut self, zero_sized: bool) -> Result<usize, DecodeError> {
        let mut count = self.read_long()?;
        if count < 0 {
            count = count
                .checked_neg()
                .ok_or(DecodeError::NegativeLength(count))?;
            let size = self.read_long()?;
            if size < 0 {
                return Err(DecodeError::NegativeLength(size));
            }
        }
        let limit = if zero_sized {
            MAX_ZERO_SIZED_ITEMS
        } else {
            self.remaining() as u64
        };
        if count as u64 > limit {
            return Err(DecodeError::LengthExceedsInput {
                len: count,
                remaining: self.remaining(),
            });
        }
        Ok(count as usize)
    }
}

/// The most items of a zero-sized type one block may claim.
const MAX_ZERO_SIZED_ITEMS: u64 = 1 << 20;

/// Reads an array of items with `item`.
#[inline]
pub fn read_array<T>(
    r: &mut Reader<'_>,
    zero_sized: bool,
    mut item: impl FnMut(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let mut out = Vec::new();
    loop {
        let count = r.read_block_count(zero_sized)?;
        if count == 0 {
            return Ok(out);
        }
        out.reserve(count);
        for _ in 0..count {
            out.push(item(r)?);
        }
    }
}

/// Reads an array into `out`: items that exist are read in place with `into` (reusing their
/// buffers), further items are read with `fresh`, and surplus items are dropped.
#[inline]
pub fn read_array_into<T>(
    r: &mut Reader<'_>,
    out: &mut Vec<T>,
    zero_sized: bool,
    mut fresh: impl FnMut(&mut Reader<'_>) -> Result<T, DecodeError>,
    mut into: impl FnMut(&mut Reader<'_>, &mut T) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let mut len = 0;
    loop {
        let count = r.read_block_count(zero_sized)?;
        if count == 0 {
            out.truncate(len);
            return Ok(());
        }
        for _ in 0..count {
            match out.get_mut(len) {
                Some(slot) => into(r, slot)?,
                None => out.push(fresh(r)?),
            }
            len += 1;
        }
    }
}

/// Reads a map with string keys and values read by `value`.
#[inline]
pub fn read_map<T>(
    r: &mut Reader<'_>,
    mut value: impl FnMut(&mut Reader<'_>) -> Result<T, DecodeError>,
) -> Result<HashMap<String, T>, DecodeError> {
    let mut out = HashMap::new();
    loop {
        // A key takes at least its length byte, so entries are never zero-sized.
        let count = r.read_block_count(false)?;
        if count == 0 {
            return Ok(out);
        }
        out.reserve(count);
        for _ in 0..count {
            let k = r.read_string()?;
            let v = value(r)?;
            out.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longs_use_zigzag_varints() {
        for (v, bytes) in [
            (0i64, vec![0u8]),
            (-1, vec![1]),
            (1, vec![2]),
            (-64, vec![0x7f]),
            (64, vec![0x80, 0x01]),
            (
                i64::MAX,
                vec![0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
            (
                i64::MIN,
                vec![0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            ),
        ] {
            let mut out = Vec::new();
            write_long(&mut out, v);
            assert_eq!(out, bytes, "{v}");
            assert_eq!(Reader::new(&bytes).read_long(), Ok(v));
        }
    }

    #[test]
    fn hostile_lengths_are_errors() {
        // A string claiming 2^62 bytes.
        let mut b = Vec::new();
        write_long(&mut b, 1 << 62);
        assert!(matches!(
            Reader::new(&b).read_string(),
            Err(DecodeError::LengthExceedsInput { .. })
        ));
        assert_eq!(
            Reader::new(&[3]).read_bytes(),
            Err(DecodeError::NegativeLength(-2))
        );
        assert_eq!(
            Reader::new(&[0xff; 11]).read_long(),
            Err(DecodeError::VarintOverflow)
        );
        // An array block claiming more items than there are bytes.
        let mut b = Vec::new();
        write_long(&mut b, 1_000_000_000);
        assert!(read_array(&mut Reader::new(&b), false, |r| r.read_long()).is_err());
        assert!(read_array(&mut Reader::new(&b), true, |_| Ok(())).is_err());
        // i64::MIN as a negative block count.
        let mut b = Vec::new();
        write_long(&mut b, i64::MIN);
        assert!(read_array(&mut Reader::new(&b), false, |r| r.read_long()).is_err());
    }

    #[test]
    fn negative_block_counts_carry_a_size() {
        // -2 items, 2 bytes, then 1, 2, then end.
        let b = [3u8, 4, 2, 4, 0];
        assert_eq!(
            read_array(&mut Reader::new(&b), false, |r| r.read_long()),
            Ok(vec![1, 2])
        );
    }
}
