//! Values that must never reach a log: they print as `***`.

use std::fmt;

/// A secret string (a token, a password, a key). `Debug` and `Display` print `***`;
/// [`Secret::expose`] is the one way to the value, so every use is easy to find.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value itself: pass it to the client that needs it, never to a log.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// A connection URL (Postgres, Redis) that may carry a password. It prints with the password
/// and the query string (which may hold `password=`) masked: `postgres://kabinet:***@db/kabinet`.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnUrl(Secret);

impl ConnUrl {
    /// Accepts `scheme://…` with one of `schemes`; `None` otherwise.
    pub(super) fn parse(value: &str, schemes: &[&str]) -> Option<ConnUrl> {
        let (scheme, rest) = value.split_once("://")?;
        (schemes.contains(&scheme) && !rest.is_empty() && !rest.contains(char::is_whitespace))
            .then(|| ConnUrl(Secret::new(value)))
    }

    /// The full URL, password included: for the client library only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// The URL with its password and query masked, fit for logs and error messages.
    pub fn redacted(&self) -> String {
        let url = self.0.expose();
        let Some((scheme, rest)) = url.split_once("://") else {
            return "***".into();
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, _)) => (rest, "?***"),
            None => (rest, ""),
        };
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        let authority = match authority.rsplit_once('@') {
            Some((user_info, host)) => match user_info.split_once(':') {
                Some((user, _password)) => format!("{user}:***@{host}"),
                None => format!("{user_info}@{host}"),
            },
            None => authority.to_owned(),
        };
        format!("{scheme}://{authority}{path}{query}")
    }
}

impl fmt::Debug for ConnUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.redacted())
    }
}

impl fmt::Display for ConnUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_prints_without_its_password_or_query() {
        let url = ConnUrl::parse(
            "postgres://kabinet:s3cret@db:5432/kabinet?sslmode=require&password=s3cret",
            &["postgres"],
        )
        .unwrap();
        assert_eq!(url.redacted(), "postgres://kabinet:***@db:5432/kabinet?***");
        assert!(!format!("{url:?} {url}").contains("s3cret"));
    }

    #[test]
    fn a_url_without_password_prints_whole() {
        let url = ConnUrl::parse("redis://127.0.0.1:6379/0", &["redis"]).unwrap();
        assert_eq!(url.redacted(), "redis://127.0.0.1:6379/0");
    }

    #[test]
    fn an_unknown_scheme_is_refused() {
        assert!(ConnUrl::parse("mysql://x", &["postgres"]).is_none());
        assert!(ConnUrl::parse("postgres:/x", &["postgres"]).is_none());
    }
}
