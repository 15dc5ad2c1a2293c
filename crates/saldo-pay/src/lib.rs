//! Payment providers behind one trait: the built-in sandbox provider and real
//! adapters. Nothing here yet: the deposit flow (the portal issue) brings the
//! trait and the sandbox; the ledger side of a confirmed payment is already
//! `saldo_app::credit`, which takes the provider's reference as its
//! idempotency key.
