//! Top-up agreements (optankningsaftaler): the words their rules share.

/// Why an agreement stopped on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseReason {
    /// Declined too many times in a row.
    Declined,
    /// The bank wants the cardholder to approve (3-D Secure).
    NeedsCardholder,
    /// The provider could not be reached through every retry; the job was given up.
    Unreachable,
}
