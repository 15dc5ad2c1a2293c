//! Latency percentiles from per-request samples (microseconds).

use serde::{Deserialize, Serialize};

/// Milliseconds, as people read them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub mean_ms: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// Nearest-rank percentiles: every reported figure is a latency that was
/// really measured, never an interpolation between two.
pub fn summarize(mut samples_us: Vec<u64>) -> Option<Latency> {
    if samples_us.is_empty() {
        return None;
    }
    samples_us.sort_unstable();
    let n = samples_us.len();
    let at = |q: f64| {
        let rank = (q * n as f64).ceil() as usize;
        samples_us[rank.clamp(1, n) - 1] as f64 / 1000.0
    };
    let total: u128 = samples_us.iter().map(|&us| u128::from(us)).sum();
    Some(Latency {
        mean_ms: total as f64 / n as f64 / 1000.0,
        p50_ms: at(0.50),
        p90_ms: at(0.90),
        p99_ms: at(0.99),
        max_ms: samples_us[n - 1] as f64 / 1000.0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<u64> = (1..=100).rev().map(|ms| ms * 1000).collect();
        let l = summarize(samples).expect("samples");
        assert_eq!((l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms), (50.0, 90.0, 99.0, 100.0));
        assert!((l.mean_ms - 50.5).abs() < 1e-9);
        let one = summarize(vec![1500]).expect("one sample");
        assert_eq!((one.p50_ms, one.p99_ms, one.max_ms), (1.5, 1.5, 1.5));
        assert!(summarize(Vec::new()).is_none());
    }
}
