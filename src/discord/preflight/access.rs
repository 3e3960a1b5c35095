//! Who can see the coordinators' and the SEIP panel's channels, and who may manage the case
//! threads: Discord's permission arithmetic on the server's roles and one channel's
//! overwrites. Pure, so each rule has a unit test; `super` fetches the data.
//!
//! Discord's documented order (Topics › Permissions › Permission Overwrites): the base is
//! @everyone's permissions OR the member's roles'; Administrator in the base means every
//! permission, overwrites ignored; then the channel's @everyone overwrite (deny, then allow),
//! the member's roles' overwrites (all denies, then all allows), then a member's own
//! overwrite. Without View Channel a member has no other permission in that channel.
//!
//! The check looks at each role on its own (a member holding it and @everyone only). That is
//! enough: a member with several roles can do something in a channel only if one of those
//! roles alone could, because role allows are applied after role denies (the union of two
//! roles never grants a bit that neither grants alone).

pub const ADMINISTRATOR: u64 = 1 << 3;
pub const VIEW_CHANNEL: u64 = 1 << 10;
pub const MANAGE_THREADS: u64 = 1 << 34;
/// Every bit: what Administrator amounts to.
const ALL: u64 = u64::MAX;

#[derive(Debug, Clone)]
pub struct Role {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Role(u64),
    Member(u64),
}

#[derive(Debug, Clone)]
pub struct Overwrite {
    pub target: Target,
    pub allow: u64,
    pub deny: u64,
}

#[derive(Debug, Clone)]
pub struct Channel {
    pub id: u64,
    pub name: String,
    pub overwrites: Vec<Overwrite>,
}

/// The server as Discord describes it. @everyone is the role whose ID is the guild's.
#[derive(Debug, Clone)]
pub struct Guild {
    pub id: u64,
    pub roles: Vec<Role>,
    pub channels: Vec<Channel>,
    /// The bot's own user: its member overwrites are fine.
    pub bot_user: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    View,
    ManageThreads,
}

impl Permission {
    fn bit(self) -> u64 {
        match self {
            Permission::View => VIEW_CHANNEL,
            Permission::ManageThreads => MANAGE_THREADS,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Permission::View => "View Channel",
            Permission::ManageThreads => "Manage Threads",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Permission::View => "can see",
            Permission::ManageThreads => "can manage the threads of",
        }
    }
}

/// One channel's rule: only `allowed` roles may hold `permission` there.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The config key that names the channel, e.g. `discord.board_channel_id`.
    pub key: &'static str,
    pub channel_id: u64,
    pub permission: Permission,
    pub allowed: Vec<u64>,
    /// Who `allowed` is, for the message: "coordinators, admins and the bot".
    pub allowed_label: &'static str,
}

impl Guild {
    fn everyone(&self) -> u64 {
        self.roles
            .iter()
            .find(|r| r.id == self.id)
            .map_or(0, |r| r.permissions)
    }

    /// What a member holding only `role` (and @everyone) may do in `channel`. For
    /// @everyone itself, pass the @everyone role.
    pub fn role_permissions(&self, role: &Role, channel: &Channel) -> u64 {
        let base = self.everyone() | role.permissions;
        if base & ADMINISTRATOR != 0 {
            return ALL;
        }
        let apply = |bits: u64, target: Target| {
            channel
                .overwrites
                .iter()
                .find(|o| o.target == target)
                .map_or(bits, |o| (bits & !o.deny) | o.allow)
        };
        let mut bits = apply(base, Target::Role(self.id));
        if role.id != self.id {
            bits = apply(bits, Target::Role(role.id));
        }
        if bits & VIEW_CHANNEL == 0 {
            return 0;
        }
        bits
    }
}

/// Every way the server breaks a rule, one sentence each, naming the channel and the role.
pub fn check(guild: &Guild, rules: &[Rule]) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in rules {
        let Some(channel) = guild.channels.iter().find(|c| c.id == rule.channel_id) else {
            problems.push(format!(
                "{}: there is no channel {} in the server",
                rule.key, rule.channel_id
            ));
            continue;
        };
        let bit = rule.permission.bit();
        for role in guild.roles.iter().filter(|r| !rule.allowed.contains(&r.id)) {
            if guild.role_permissions(role, channel) & bit == 0 {
                continue;
            }
            let who = if role.id == guild.id {
                "everyone (@everyone)".to_string()
            } else {
                format!("the role \"{}\" ({})", role.name, role.id)
            };
            let how = if (guild.everyone() | role.permissions) & ADMINISTRATOR != 0 {
                " because it has Administrator"
            } else {
                ""
            };
            problems.push(format!(
                "{}: {who} {} #{}{how}; only {} may. Take {} away from it on that channel (or the Administrator permission from the role).",
                rule.key,
                rule.permission.verb(),
                channel.name,
                rule.allowed_label,
                rule.permission.name(),
            ));
        }
        for o in &channel.overwrites {
            if let Target::Member(user) = o.target {
                if user != guild.bot_user && o.allow & bit != 0 {
                    problems.push(format!(
                        "{}: member {user} is given {} on #{} by a member overwrite; give access through the partnership's roles only.",
                        rule.key,
                        rule.permission.name(),
                        channel.name
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests;
