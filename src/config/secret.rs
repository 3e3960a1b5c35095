//! A value that must never reach a log, an error message or a Debug dump.

use std::fmt;

#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Reads `DISCORD_TOKEN`; an unset or blank variable is `None`.
    pub fn discord_token_from_env() -> Option<Secret> {
        std::env::var("DISCORD_TOKEN")
            .ok()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .map(Secret)
    }

    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The only way to read it: call sites are few and easy to audit.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
