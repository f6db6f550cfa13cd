//! QR codes of addresses, as inline SVG (the printable decision, and
//! enrolling a second factor).

/// The QR code of `url` as inline SVG with an accessible name.
pub fn qr_svg(url: &str, name: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .build();
    let svg = svg.find("<svg").map(|start| &svg[start..]).unwrap_or("");
    let name = name
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    svg.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{name}\""),
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_inline_svg_with_a_name() {
        let svg = qr_svg("http://localhost:8080/verify/ABC", "QR \"code\"");
        assert!(
            svg.starts_with("<svg role=\"img\" aria-label=\"QR &quot;code&quot;\""),
            "{svg}"
        );
        assert!(!svg.contains("<?xml"));
    }
}
