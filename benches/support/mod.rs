//! What the benchmarks share.

pub mod synth;
