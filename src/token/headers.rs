//! The response headers recommended for the reset page.
//!
//! The page's URL holds the token, so it must not leak through the `Referer` header to
//! resources or links on the page (`Referrer-Policy: no-referrer`), nor be kept by browser or
//! proxy caches (`Cache-Control: no-store`). The service also sends
//! `Strict-Transport-Security`, as its security page promises, so the link is never followed
//! over plain HTTP.

/// The HSTS value used by default: two years, subdomains included. The seed's security page
/// promises the header without stating its `max-age`; two years is the value the browsers'
/// preload list asks for.
pub const DEFAULT_HSTS: &str = "max-age=63072000; includeSubDomains";

/// The reset page's recommended response headers, as (name, value) pairs.
///
/// # Examples
/// ```
/// let headers = tillit::token::reset_page_headers();
/// assert!(headers.contains(&("Referrer-Policy", "no-referrer")));
/// assert!(headers.contains(&("Cache-Control", "no-store")));
/// ```
pub fn reset_page_headers() -> [(&'static str, &'static str); 3] {
    [
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Strict-Transport-Security", DEFAULT_HSTS),
    ]
}

/// The same headers with a service's own HSTS value.
pub fn reset_page_headers_with_hsts(hsts: &str) -> [(&'static str, &str); 3] {
    [
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        ("Strict-Transport-Security", hsts),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_the_three_promises() {
        let h = reset_page_headers();
        assert_eq!(h[0], ("Referrer-Policy", "no-referrer"));
        assert_eq!(h[1], ("Cache-Control", "no-store"));
        assert_eq!(h[2].0, "Strict-Transport-Security");
        assert!(h[2].1.starts_with("max-age=") && h[2].1.contains("includeSubDomains"));
        assert_eq!(reset_page_headers_with_hsts("max-age=1")[2].1, "max-age=1");
    }
}
