//! The start-up check of the partnership's server: reads the roles and the channels'
//! permission overwrites from Discord and refuses to go on when the coordinators' board or
//! the SEIP panel's channel can be seen, or the case threads managed, by anyone else. The
//! arithmetic lives in `access`; this module only fetches and translates.

pub mod access;

use poise::serenity_prelude as serenity;
use serenity::{GuildId, Http, PermissionOverwriteType};

use crate::config::Config;
use crate::domain::Capacity;
use access::{Channel, Guild, Overwrite, Permission, Role, Rule, Target};

#[derive(Debug, thiserror::Error)]
pub enum PreflightError {
    #[error("could not read the server's roles and channels from Discord: {0}")]
    Fetch(#[from] serenity::Error),
    #[error(
        "the server's channels would let people see what they may not, so the bot is not starting (see README \"Set up in your server\"):\n  - {}",
        .0.join("\n  - ")
    )]
    Exposed(Vec<String>),
}

/// Reads the server from Discord and checks every channel rule.
pub async fn check(http: &Http, config: &Config) -> Result<(), PreflightError> {
    let guild_id = GuildId::new(config.discord.guild_id);
    let me = http.get_current_user().await?;
    let roles = http.get_guild_roles(guild_id).await?;
    let channels = http.get_channels(guild_id).await?;
    // Discord gives each bot a managed role tagged with its user ID.
    let bot_roles: Vec<u64> = roles
        .iter()
        .filter(|r| r.tags.bot_id == Some(me.id))
        .map(|r| r.id.get())
        .collect();
    let guild = Guild {
        id: guild_id.get(),
        roles: roles
            .iter()
            .map(|r| Role {
                id: r.id.get(),
                name: r.name.clone(),
                permissions: r.permissions.bits(),
            })
            .collect(),
        channels: channels.iter().map(channel).collect(),
        bot_user: me.id.get(),
    };
    let problems = access::check(&guild, &rules(config, &bot_roles));
    if problems.is_empty() {
        tracing::info!(
            roles = guild.roles.len(),
            "the server's channels keep cases private"
        );
        Ok(())
    } else {
        Err(PreflightError::Exposed(problems))
    }
}

fn channel(c: &serenity::GuildChannel) -> Channel {
    Channel {
        id: c.id.get(),
        name: c.name.clone(),
        overwrites: c
            .permission_overwrites
            .iter()
            .map(|o| Overwrite {
                target: match o.kind {
                    PermissionOverwriteType::Member(u) => Target::Member(u.get()),
                    PermissionOverwriteType::Role(r) => Target::Role(r.get()),
                    // A kind serenity does not know: treat it as nobody's.
                    _ => Target::Member(0),
                },
                allow: o.allow.bits(),
                deny: o.deny.bits(),
            })
            .collect(),
    }
}

/// The three rules of the README: who may see the board and the SEIP channel, and who may
/// manage (and so read every private) case thread.
pub fn rules(config: &Config, bot_roles: &[u64]) -> Vec<Rule> {
    let ids = |capacities: &[Capacity]| -> Vec<u64> {
        let mut ids: Vec<u64> = capacities
            .iter()
            .flat_map(|c| config.roles.roles_for(c))
            .map(|r| r.0)
            .collect();
        ids.extend_from_slice(bot_roles);
        ids
    };
    let coordinators = ids(&[Capacity::Coordinator, Capacity::Admin]);
    let d = &config.discord;
    vec![
        Rule {
            key: "discord.board_channel_id",
            channel_id: d.board_channel_id,
            permission: Permission::View,
            allowed: coordinators.clone(),
            allowed_label: "coordinators, admins and the bot",
        },
        Rule {
            key: "discord.seip_channel_id",
            channel_id: d.seip_channel_id,
            permission: Permission::View,
            allowed: ids(&[Capacity::Seip, Capacity::Admin]),
            allowed_label: "SEIP panel members, admins and the bot",
        },
        Rule {
            key: "discord.case_threads_channel_id",
            channel_id: d.case_threads_channel_id,
            permission: Permission::ManageThreads,
            allowed: coordinators,
            allowed_label: "coordinators, admins and the bot",
        },
    ]
}
