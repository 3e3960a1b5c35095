//! `managed-moves check-config [--discord]`: the file alone, or also the server's channels
//! as the bot would check them at start-up (needs DISCORD_TOKEN).

use std::path::Path;
use std::process::ExitCode;

use super::output::Output;
use crate::config::{Config, Secret};

const NO_TOKEN: &str = "DISCORD_TOKEN is not set, so the server cannot be read from Discord. Set it to the bot's token (Discord Developer Portal -> your application -> Bot -> Reset Token) for this command, or run check-config without --discord to check the file alone.";

pub async fn run(path: &Path, config: &Config, discord: bool, out: &Output) -> ExitCode {
    let privacy = &config.partnership.privacy;
    let sent = |allowed: bool| {
        if allowed {
            "sent to Discord"
        } else {
            "kept locally"
        }
    };
    let valid = format!(
        "{} is valid: {} schools, {} checklist items.\nLegal basis: {}.\n{}\nPrivacy: pupils' initials {}, notes {}; lawful basis: {} (`managed-moves privacy` prints the data map).",
        path.display(),
        config.partnership.schools.len(),
        config.partnership.checklist.items.len(),
        config.partnership.policy.legal_basis.describe(),
        config.partnership.policy.escalation(),
        sent(privacy.pupil_initials_in_discord),
        sent(privacy.notes_in_discord),
        privacy.lawful_basis_or_unset(),
    );
    if !discord {
        return out.line(&valid);
    }
    let Some(token) = Secret::discord_token_from_env() else {
        return out.fatal(NO_TOKEN);
    };
    let http = crate::discord::http_client(config, &token);
    match crate::discord::preflight::check(&http, config).await {
        Ok(()) => out.line(&format!(
            "{valid}\nThe server's channels keep cases private: only coordinators and admins see the board, only the SEIP panel and admins its channel, and only coordinators and admins manage case threads."
        )),
        Err(e) => out.fatal(&e.to_string()),
    }
}
