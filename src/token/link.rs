//! Reset links: building the URL that goes in the mail, and reading a token back from a
//! pasted URL or from the bare token a user typed.
//!
//! The base must be an absolute `https` URL without credentials or fragment. The token goes
//! in the query (`?token=...`) by default; in the fragment (`#token=...`) it never reaches
//! the server's access logs or a proxy, at the price of needing script on the page to read
//! it. URLs are parsed with the `url` crate (the WHATWG URL standard), never by hand.

use url::Url;

use crate::token::error::TokenError;
use crate::token::format::RESET_TOKEN_PREFIX;
use crate::token::stateless::STATELESS_TOKEN_PREFIX;

/// Where the token goes in the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LinkPlacement {
    /// In the query string: `https://host/reset?token=...`.
    #[default]
    Query,
    /// In the fragment: `https://host/reset#token=...`, which browsers never send to the
    /// server.
    Fragment,
}

/// Builds and parses reset links for one configured HTTPS base URL.
///
/// # Examples
/// ```
/// use tillit::token::{LinkPlacement, ResetLinks};
/// let links = ResetLinks::new("https://app.example.no/glemt-passord", LinkPlacement::Query)?;
/// let token = "tlr1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
/// let url = links.build(token);
/// assert_eq!(url, format!("https://app.example.no/glemt-passord?token={token}"));
/// assert_eq!(ResetLinks::extract_token(&url)?, token);
/// assert_eq!(ResetLinks::extract_token(&format!("  {token}\n"))?, token);
/// # Ok::<(), tillit::token::TokenError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetLinks {
    base: Url,
    placement: LinkPlacement,
}

/// The query or fragment parameter that carries the token.
pub const TOKEN_PARAM: &str = "token";

impl ResetLinks {
    /// Validates the base URL.
    ///
    /// # Errors
    /// [`TokenError::Config`] when the base is not an absolute `https` URL, has credentials,
    /// a fragment, or already a `token` parameter.
    pub fn new(base: &str, placement: LinkPlacement) -> Result<Self, TokenError> {
        let url = Url::parse(base).map_err(|err| {
            TokenError::config(format!(
                "reset link base {base:?} is not a valid URL: {err}"
            ))
        })?;
        if url.scheme() != "https" {
            return Err(TokenError::config(format!(
                "reset link base must use https, not {:?}",
                url.scheme()
            )));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(TokenError::config("reset link base must name a host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(TokenError::config(
                "reset link base must not hold a user name or password",
            ));
        }
        if url.fragment().is_some() {
            return Err(TokenError::config(
                "reset link base must not have a fragment ('#...')",
            ));
        }
        if url.query_pairs().any(|(k, _)| k == TOKEN_PARAM) {
            return Err(TokenError::config(
                "reset link base already has a 'token' parameter; remove it",
            ));
        }
        Ok(Self {
            base: url,
            placement,
        })
    }

    /// The configured base.
    pub fn base(&self) -> &str {
        self.base.as_str()
    }

    /// Where the token goes.
    pub fn placement(&self) -> LinkPlacement {
        self.placement
    }

    /// The link for a token.
    pub fn build(&self, token: &str) -> String {
        let mut url = self.base.clone();
        match self.placement {
            LinkPlacement::Query => {
                url.query_pairs_mut().append_pair(TOKEN_PARAM, token);
            }
            LinkPlacement::Fragment => {
                let fragment: String = url::form_urlencoded::Serializer::new(String::new())
                    .append_pair(TOKEN_PARAM, token)
                    .finish();
                url.set_fragment(Some(&fragment));
            }
        }
        url.into()
    }

    /// Reads a token from what a user pasted: the whole link (token in query or fragment)
    /// or the bare token. Surrounding white space is ignored. Only the shape is checked
    /// here; parse the result with [`ResetToken::parse`](crate::token::ResetToken::parse).
    ///
    /// # Errors
    /// [`TokenError::Malformed`] when the input is empty, is not a URL or a token, or the URL
    /// carries no token.
    pub fn extract_token(input: &str) -> Result<String, TokenError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(TokenError::malformed(
                "the input is empty; paste the link or the token",
            ));
        }
        if input.starts_with(RESET_TOKEN_PREFIX) || input.starts_with(STATELESS_TOKEN_PREFIX) {
            return Ok(input.to_owned());
        }
        let url = Url::parse(input).map_err(|_| {
            TokenError::malformed(
                "the input is neither a reset link nor a token (a token starts with \"tlr1_\" \
                 or \"tls1_\")",
            )
        })?;
        let found = |value: std::borrow::Cow<'_, str>| {
            if value.trim().is_empty() {
                Err(TokenError::malformed(
                    "the link's 'token' parameter is empty; paste the whole link from the mail",
                ))
            } else {
                Ok(value.into_owned())
            }
        };
        if let Some((_, value)) = url.query_pairs().find(|(k, _)| k == TOKEN_PARAM) {
            return found(value);
        }
        if let Some(fragment) = url.fragment() {
            let pairs = url::form_urlencoded::parse(fragment.as_bytes());
            if let Some((_, value)) = pairs.into_iter().find(|(k, _)| k == TOKEN_PARAM) {
                return found(value);
            }
            if fragment.starts_with(RESET_TOKEN_PREFIX)
                || fragment.starts_with(STATELESS_TOKEN_PREFIX)
            {
                return Ok(fragment.to_owned());
            }
        }
        Err(TokenError::malformed(
            "the link carries no 'token' parameter in its query or fragment",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tlr1_-_v7-_v7-_v7-_v7AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn an_empty_token_parameter_is_refused() {
        for pasted in [
            "https://a.example.no/reset?token=",
            "https://a.example.no/reset?token=%20",
            "https://a.example.no/reset#token=",
        ] {
            let err = ResetLinks::extract_token(pasted).expect_err(pasted);
            assert!(err.to_string().contains("empty"), "{pasted}: {err}");
        }
    }

    #[test]
    fn query_and_fragment_links_round_trip() -> Result<(), TokenError> {
        for placement in [LinkPlacement::Query, LinkPlacement::Fragment] {
            for base in [
                "https://a.example.no/reset",
                "https://a.example.no/r?lang=nb",
            ] {
                let links = ResetLinks::new(base, placement)?;
                let url = links.build(TOKEN);
                assert_eq!(ResetLinks::extract_token(&url)?, TOKEN, "{url}");
            }
        }
        let fragment = ResetLinks::new("https://a.example.no/r", LinkPlacement::Fragment)?;
        assert_eq!(
            fragment.build(TOKEN),
            format!("https://a.example.no/r#token={TOKEN}")
        );
        let keeps = ResetLinks::new("https://a.example.no/r?lang=nb", LinkPlacement::Query)?;
        assert_eq!(
            keeps.build(TOKEN),
            format!("https://a.example.no/r?lang=nb&token={TOKEN}")
        );
        Ok(())
    }

    #[test]
    fn bases_that_are_not_plain_https_are_refused() {
        for base in [
            "http://a.example.no/reset",
            "a.example.no/reset",
            "https://user:pw@a.example.no/reset",
            "https://a.example.no/reset#x",
            "https://a.example.no/reset?token=1",
            "javascript:alert(1)",
            "",
        ] {
            let err = ResetLinks::new(base, LinkPlacement::Query).expect_err(base);
            assert!(matches!(err, TokenError::Config { .. }), "{base}: {err}");
        }
    }

    #[test]
    fn extraction_accepts_raw_tokens_and_bare_fragments() -> Result<(), TokenError> {
        assert_eq!(ResetLinks::extract_token(&format!("\t{TOKEN} "))?, TOKEN);
        assert_eq!(
            ResetLinks::extract_token(&format!("https://x.no/r#{TOKEN}"))?,
            TOKEN
        );
        Ok(())
    }

    #[test]
    fn malformed_inputs_are_refused() {
        for input in [
            "",
            "   ",
            "hello",
            "https://x.no/reset",
            "https://x.no/r?tok=1",
            "tlr2_abc",
        ] {
            let err = ResetLinks::extract_token(input).expect_err(input);
            assert!(
                matches!(err, TokenError::Malformed { .. }),
                "{input}: {err}"
            );
        }
    }
}
