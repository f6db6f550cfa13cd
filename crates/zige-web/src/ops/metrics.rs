//! Request counters and latency histograms, exposed in the Prometheus text
//! format at `/metrics`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::state::Shared;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0,
];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    /// (route, method, status) → series.
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let secs = elapsed.as_secs_f64();
        let mut map = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = map
            .entry((route.to_string(), method.to_string(), status))
            .or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn render(&self, uptime: Duration, entries: usize) -> String {
        let mut o = String::new();
        let map = self.series.lock().unwrap_or_else(|p| p.into_inner());
        o += "# HELP zige_http_requests_total HTTP requests answered, by route, method and status.\n# TYPE zige_http_requests_total counter\n";
        for ((route, method, status), s) in map.iter() {
            let _ = writeln!(o, "zige_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {}", s.count);
        }
        o += "# HELP zige_http_request_duration_seconds Time to answer, by route.\n# TYPE zige_http_request_duration_seconds histogram\n";
        let mut by_route: BTreeMap<&str, Series> = BTreeMap::new();
        for ((route, _, _), s) in map.iter() {
            let r = by_route.entry(route).or_default();
            r.count += s.count;
            r.sum += s.sum;
            for i in 0..BUCKETS.len() {
                r.buckets[i] += s.buckets[i];
            }
        }
        for (route, s) in by_route {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "zige_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                    s.buckets[i]
                );
            }
            let _ = writeln!(
                o,
                "zige_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                s.count
            );
            let _ = writeln!(
                o,
                "zige_http_request_duration_seconds_sum{{route=\"{route}\"}} {}",
                s.sum
            );
            let _ = writeln!(
                o,
                "zige_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                s.count
            );
        }
        let _ = writeln!(o, "# HELP zige_uptime_seconds Seconds since the server started.\n# TYPE zige_uptime_seconds gauge\nzige_uptime_seconds {}", uptime.as_secs_f64());
        let _ = writeln!(o, "# HELP zige_catalog_entries Entries in the edition in force.\n# TYPE zige_catalog_entries gauge\nzige_catalog_entries {entries}");
        o
    }
}

// Handles `GET /metrics`.
/// Prometheus metrics.
#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format")))]
pub async fn metrics(State(state): State<Shared>) -> Response {
    let text = state.metrics.render(
        state.started.elapsed(),
        state.current().catalog.entries.len(),
    );
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}
