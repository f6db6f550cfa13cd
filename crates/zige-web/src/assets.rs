//! The stylesheet and the script every page loads, embedded in the binary.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const CSS: &str = include_str!("../static/zige.css");
const JS: &str = include_str!("../static/zige.js");
const APPLY_JS: &str = include_str!("../static/apply.js");

/// Handles `GET /static/{file}`: the stylesheet and the script.
pub async fn asset(Path(file): Path<String>) -> Response {
    let (body, ct) = match file.as_str() {
        "zige.css" => (CSS, "text/css; charset=utf-8"),
        "zige.js" => (JS, "text/javascript; charset=utf-8"),
        "apply.js" => (APPLY_JS, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::CSS;

    /// Every block of the stylesheet is closed, so no rule ends up inside
    /// a media query by accident (one unclosed `@media (max-width: 48rem)`
    /// once left half the styles to phones only).
    #[test]
    fn the_stylesheet_closes_every_block() {
        let mut depth = 0i32;
        for (number, line) in CSS.lines().enumerate() {
            depth += line.matches('{').count() as i32 - line.matches('}').count() as i32;
            assert!(depth >= 0, "line {}: a brace closes nothing", number + 1);
        }
        assert_eq!(depth, 0, "the stylesheet leaves {depth} blocks open");
    }
}
