//! saldo-pay
