//! Rust types for Avro's logical types. They are plain newtypes over the encoded value, so they
//! need no dependency; conversions to `std::time` and (with the `uuid` feature) to the `uuid`
//! crate are provided.

use std::fmt;
use std::str::FromStr;
use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::avro::{
    write_bytes, write_int, write_long, write_str, AvroDecode, AvroEncode, DecodeError, Reader,
};

macro_rules! int_newtype {
    ($(#[$doc:meta])* $name:ident($inner:ty), $write:ident, $read:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl AvroEncode for $name {
            #[inline]
            fn avro_encode(&self, out: &mut Vec<u8>) {
                $write(out, self.0);
            }
        }

        impl AvroDecode for $name {
            #[inline]
            fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
                r.$read().map($name)
            }
        }
    };
}

int_newtype!(
    /// `date`: days since the Unix epoch.
    Date(i32), write_int, read_int
);
int_newtype!(
    /// `time-millis`: milliseconds after midnight.
    TimeMillis(i32), write_int, read_int
);
int_newtype!(
    /// `time-micros`: microseconds after midnight.
    TimeMicros(i64), write_long, read_long
);
int_newtype!(
    /// `timestamp-millis`: milliseconds since the Unix epoch, UTC.
    TimestampMillis(i64), write_long, read_long
);
int_newtype!(
    /// `timestamp-micros`: microseconds since the Unix epoch, UTC.
    TimestampMicros(i64), write_long, read_long
);
int_newtype!(
    /// `timestamp-nanos`: nanoseconds since the Unix epoch, UTC.
    TimestampNanos(i64), write_long, read_long
);
int_newtype!(
    /// `local-timestamp-millis`: milliseconds since the epoch in an unspecified time zone.
    LocalTimestampMillis(i64), write_long, read_long
);
int_newtype!(
    /// `local-timestamp-micros`: microseconds since the epoch in an unspecified time zone.
    LocalTimestampMicros(i64), write_long, read_long
);
int_newtype!(
    /// `local-timestamp-nanos`: nanoseconds since the epoch in an unspecified time zone.
    LocalTimestampNanos(i64), write_long, read_long
);

macro_rules! system_time {
    ($name:ident, $per_sec:expr) => {
        impl $name {
            /// The instant as a `SystemTime` (instants before 1970 included).
            pub fn to_system_time(self) -> SystemTime {
                let per_sec: i64 = $per_sec;
                let nanos_per_unit = 1_000_000_000 / per_sec as u64;
                let magnitude =
                    StdDuration::from_nanos(self.0.unsigned_abs().saturating_mul(nanos_per_unit));
                if self.0 >= 0 {
                    UNIX_EPOCH + magnitude
                } else {
                    UNIX_EPOCH - magnitude
                }
            }

            /// The instant, truncated to the type's unit; saturates outside its range.
            pub fn from_system_time(t: SystemTime) -> Self {
                let per_sec: i128 = $per_sec;
                let nanos: i128 = match t.duration_since(UNIX_EPOCH) {
                    Ok(d) => d.as_nanos() as i128,
                    Err(e) => -(e.duration().as_nanos() as i128),
                };
                let units = nanos / (1_000_000_000 / per_sec);
                $name(units.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
            }
        }

        impl From<SystemTime> for $name {
            fn from(t: SystemTime) -> Self {
                Self::from_system_time(t)
            }
        }
    };
}

system_time!(TimestampMillis, 1_000);
system_time!(TimestampMicros, 1_000_000);
system_time!(TimestampNanos, 1_000_000_000);

/// `uuid`: a UUID, encoded as its 36-character string.
///
/// The value keeps the text as written (upper- or lower-case hex): a consumer that decodes and
/// re-encodes a datum must write back the bytes it read. Two spellings of one UUID are therefore
/// different values; compare [`Uuid::bytes`] to compare the UUIDs themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Uuid {
    /// ASCII, checked to be the 8-4-4-4-12 hexadecimal form.
    text: [u8; 36],
}

/// A string that is not a hyphenated UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a UUID in the 8-4-4-4-12 hexadecimal form")]
pub struct UuidParseError;

impl Uuid {
    /// The UUID of these 16 bytes, written in lower-case hex.
    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b'-'; 36];
        let mut at = 0;
        for (i, b) in bytes.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                at += 1;
            }
            text[at] = HEX[usize::from(b >> 4)];
            text[at + 1] = HEX[usize::from(b & 0xf)];
            at += 2;
        }
        Self { text }
    }

    /// A UUID from text already checked to be one, for generated defaults (checked when the
    /// code was generated).
    #[doc(hidden)]
    pub const fn from_checked_text(text: [u8; 36]) -> Self {
        Self { text }
    }

    /// The 16 bytes the text spells.
    pub fn bytes(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        let mut digits = self.text.iter().filter(|&&c| c != b'-');
        for byte in &mut out {
            // Checked on construction: every digit is hexadecimal and there are 32 of them.
            let hi = digits.next().and_then(|&c| hex(c).ok()).unwrap_or(0);
            let lo = digits.next().and_then(|&c| hex(c).ok()).unwrap_or(0);
            *byte = hi << 4 | lo;
        }
        out
    }

    /// The text as written.
    pub fn as_str(&self) -> &str {
        // Checked on construction to be ASCII.
        std::str::from_utf8(&self.text).unwrap_or_default()
    }
}

impl Default for Uuid {
    /// The nil UUID.
    fn default() -> Self {
        Self::from_bytes([0; 16])
    }
}

impl FromStr for Uuid {
    type Err = UuidParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text: [u8; 36] = s.as_bytes().try_into().map_err(|_| UuidParseError)?;
        for (i, &c) in text.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return Err(UuidParseError);
                }
            } else {
                hex(c)?;
            }
        }
        Ok(Self { text })
    }
}

fn hex(c: u8) -> Result<u8, UuidParseError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(UuidParseError),
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AvroEncode for Uuid {
    fn avro_encode(&self, out: &mut Vec<u8>) {
        write_str(out, self.as_str());
    }
}

impl AvroDecode for Uuid {
    fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.read_str()?.parse().map_err(|_| DecodeError::Logical {
            logical: "uuid",
            reason: "not a hyphenated UUID string",
        })
    }
}

impl Serialize for Uuid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Uuid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "uuid")]
impl From<uuid::Uuid> for Uuid {
    fn from(u: uuid::Uuid) -> Self {
        Uuid::from_bytes(*u.as_bytes())
    }
}

#[cfg(feature = "uuid")]
impl From<Uuid> for uuid::Uuid {
    fn from(u: Uuid) -> Self {
        uuid::Uuid::from_bytes(u.bytes())
    }
}

/// `decimal`: an unscaled integer and the schema's scale (`value = unscaled × 10^-SCALE`).
/// Values whose encoding exceeds 16 bytes do not fit and fail to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal<const SCALE: u32> {
    pub unscaled: i128,
}

impl<const SCALE: u32> Decimal<SCALE> {
    pub const SCALE: u32 = SCALE;

    pub fn new(unscaled: i128) -> Self {
        Self { unscaled }
    }

    /// The shortest big-endian two's-complement encoding, as Avro writes `bytes` decimals.
    pub fn to_be_bytes_minimal(self) -> Vec<u8> {
        let (full, start) = self.minimal();
        full[start..].to_vec()
    }

    /// The full big-endian bytes and where the shortest encoding starts in them (no
    /// allocation, for the encoders).
    fn minimal(self) -> ([u8; 16], usize) {
        let full = self.unscaled.to_be_bytes();
        let sign = if self.unscaled < 0 { 0xff } else { 0 };
        let mut start = 0;
        // Drop leading sign bytes while the next byte still carries the sign bit.
        while start < 15 && full[start] == sign && (full[start + 1] & 0x80) == (sign & 0x80) {
            start += 1;
        }
        (full, start)
    }

    /// Reads a big-endian two's-complement integer of up to 16 bytes.
    pub fn from_be_bytes(b: &[u8]) -> Result<Self, DecodeError> {
        if b.len() > 16 {
            // Wider values fit only if every extra byte is sign extension.
            let (extra, rest) = b.split_at(b.len() - 16);
            let sign = if rest[0] & 0x80 != 0 { 0xff } else { 0 };
            if extra.iter().any(|&x| x != sign) {
                return Err(DecodeError::Logical {
                    logical: "decimal",
                    reason: "value wider than 128 bits",
                });
            }
            return Self::from_be_bytes(rest);
        }
        let sign = if b.first().is_some_and(|&x| x & 0x80 != 0) {
            0xff
        } else {
            0
        };
        let mut full = [sign; 16];
        full[16 - b.len()..].copy_from_slice(b);
        Ok(Self::new(i128::from_be_bytes(full)))
    }

    /// Writes the value as a `fixed` of `size` bytes, sign-extended.
    pub fn write_fixed(self, out: &mut Vec<u8>, size: usize) {
        let full = self.unscaled.to_be_bytes();
        let sign = if self.unscaled < 0 { 0xff } else { 0 };
        if size >= 16 {
            out.extend(std::iter::repeat_n(sign, size - 16));
            out.extend_from_slice(&full);
        } else {
            // A value too wide for its fixed is truncated, as two's complement does; the
            // schema's precision bounds valid values well within `size`.
            out.extend_from_slice(&full[16 - size..]);
        }
    }

    pub fn read_fixed(r: &mut Reader<'_>, size: usize) -> Result<Self, DecodeError> {
        Self::from_be_bytes(r.take(size)?)
    }
}

impl<const SCALE: u32> fmt::Display for Decimal<SCALE> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if SCALE == 0 {
            return write!(f, "{}", self.unscaled);
        }
        let digits = self.unscaled.unsigned_abs().to_string();
        let scale = SCALE as usize;
        let padded = if digits.len() <= scale {
            format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
        } else {
            digits
        };
        let (int, frac) = padded.split_at(padded.len() - scale);
        let sign = if self.unscaled < 0 { "-" } else { "" };
        write!(f, "{sign}{int}.{frac}")
    }
}

impl<const SCALE: u32> AvroEncode for Decimal<SCALE> {
    fn avro_encode(&self, out: &mut Vec<u8>) {
        let (full, start) = self.minimal();
        write_bytes(out, &full[start..]);
    }
}

impl<const SCALE: u32> AvroDecode for Decimal<SCALE> {
    fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Self::from_be_bytes(r.read_bytes_ref()?)
    }
}

impl<const SCALE: u32> Serialize for Decimal<SCALE> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (full, start) = self.minimal();
        s.serialize_bytes(&full[start..])
    }
}

impl<'de, const SCALE: u32> Deserialize<'de> for Decimal<SCALE> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b: Vec<u8> = super::serde_helpers::bytes::deserialize(d)?;
        Self::from_be_bytes(&b).map_err(serde::de::Error::custom)
    }
}

/// `duration`: months, days and milliseconds, each unsigned (a `fixed` of 12 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Duration {
    pub months: u32,
    pub days: u32,
    pub millis: u32,
}

impl AvroEncode for Duration {
    fn avro_encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.months.to_le_bytes());
        out.extend_from_slice(&self.days.to_le_bytes());
        out.extend_from_slice(&self.millis.to_le_bytes());
    }
}

impl AvroDecode for Duration {
    fn avro_decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Duration {
            months: u32::from_le_bytes(r.read_array_bytes()?),
            days: u32::from_le_bytes(r.read_array_bytes()?),
            millis: u32::from_le_bytes(r.read_array_bytes()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_round_trips_through_its_string() {
        let s = "123e4567-e89b-12d3-a456-426614174000";
        let u: Uuid = s.parse().unwrap();
        assert_eq!(u.to_string(), s);
        assert!("123e4567e89b12d3a456426614174000".parse::<Uuid>().is_err());
        assert_eq!(Uuid::from_bytes(u.bytes()), u);
        assert!("123e4567-e89b-12d3-a456-42661417400g"
            .parse::<Uuid>()
            .is_err());
    }

    /// A consumer that decodes and re-encodes must write the bytes it read.
    #[test]
    fn uuid_keeps_its_text_as_written() {
        let upper = "123E4567-E89B-12D3-A456-426614174000";
        let mut written = Vec::new();
        write_str(&mut written, upper);
        let u = Uuid::avro_decode(&mut Reader::new(&written)).unwrap();
        assert_eq!(u.to_string(), upper);
        let mut again = Vec::new();
        u.avro_encode(&mut again);
        assert_eq!(again, written);
        let lower: Uuid = upper.to_lowercase().parse().unwrap();
        assert_eq!(u.bytes(), lower.bytes());
        assert_eq!(
            Uuid::default().to_string(),
            "00000000-0000-0000-0000-000000000000"
        );
    }

    #[test]
    fn decimals_use_minimal_twos_complement() {
        assert_eq!(Decimal::<2>::new(0).to_be_bytes_minimal(), [0]);
        assert_eq!(Decimal::<2>::new(127).to_be_bytes_minimal(), [0x7f]);
        assert_eq!(Decimal::<2>::new(128).to_be_bytes_minimal(), [0, 0x80]);
        assert_eq!(Decimal::<2>::new(-1).to_be_bytes_minimal(), [0xff]);
        assert_eq!(Decimal::<2>::new(-129).to_be_bytes_minimal(), [0xff, 0x7f]);
        for v in [0i128, 1, -1, 128, -129, i128::MAX, i128::MIN, 123_456] {
            let d = Decimal::<2>::new(v);
            assert_eq!(Decimal::<2>::from_be_bytes(&d.to_be_bytes_minimal()), Ok(d));
            let mut out = Vec::new();
            d.write_fixed(&mut out, 20);
            assert_eq!(Decimal::<2>::read_fixed(&mut Reader::new(&out), 20), Ok(d));
        }
        assert_eq!(Decimal::<2>::new(-1234).to_string(), "-12.34");
        assert_eq!(Decimal::<3>::new(5).to_string(), "0.005");
        assert!(Decimal::<0>::from_be_bytes(&[1; 17]).is_err());
    }

    #[test]
    fn timestamps_convert_to_system_time() {
        let t = TimestampMillis(-1_500);
        assert_eq!(TimestampMillis::from_system_time(t.to_system_time()), t);
        let t = TimestampMicros(1_700_000_000_123_456);
        assert_eq!(TimestampMicros::from(t.to_system_time()), t);
    }
}
