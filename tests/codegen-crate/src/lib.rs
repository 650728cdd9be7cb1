//! Types generated at build time from `schemas/`.
