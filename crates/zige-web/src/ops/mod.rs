//! The operations endpoints: liveness and readiness for supervisors,
//! Prometheus metrics, and the OpenAPI document.

pub mod health;
pub mod metrics;
pub mod openapi;
