//! The time, from the system or, in tests, set by hand (to cross midnight).

use std::sync::{Arc, Mutex};

use jiff::{SignedDuration, Timestamp};

#[derive(Clone, Default)]
pub struct Clock {
    /// Added to the system time; tests move it forward to reach another day.
    offset: Arc<Mutex<SignedDuration>>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock::default()
    }

    pub fn now(&self) -> Timestamp {
        let offset = *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Timestamp::now().saturating_add(offset).unwrap_or_else(|_| Timestamp::now())
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: SignedDuration) {
        let mut offset = self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *offset += by;
    }
}
