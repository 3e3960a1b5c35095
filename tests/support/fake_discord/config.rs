//! What the fake guild looks like. Plain `u64` ids keep the fake independent of serenity's
//! types, so a test can build a config before it touches serenity at all.

use std::time::Duration;

/// Permission bits the fake uses for defaults (values from Discord's permission table).
pub mod perms {
    pub const ADMINISTRATOR: u64 = 1 << 3;
    pub const MANAGE_CHANNELS: u64 = 1 << 4;
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    pub const SEND_MESSAGES: u64 = 1 << 11;
    pub const EMBED_LINKS: u64 = 1 << 14;
    pub const ATTACH_FILES: u64 = 1 << 15;
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    pub const MANAGE_ROLES: u64 = 1 << 28;
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    pub const MANAGE_THREADS: u64 = 1 << 34;
    pub const CREATE_PRIVATE_THREADS: u64 = 1 << 36;
    pub const SEND_MESSAGES_IN_THREADS: u64 = 1 << 38;
    /// What Discord gives @everyone in a new server, near enough for tests.
    pub const EVERYONE_DEFAULT: u64 =
        VIEW_CHANNEL | SEND_MESSAGES | READ_MESSAGE_HISTORY | USE_APPLICATION_COMMANDS;
    /// A sensible invite for a bot that posts, embeds and runs private case threads.
    pub const BOT_DEFAULT: u64 = EVERYONE_DEFAULT
        | EMBED_LINKS
        | ATTACH_FILES
        | MANAGE_THREADS
        | CREATE_PRIVATE_THREADS
        | SEND_MESSAGES_IN_THREADS;
}

#[derive(Clone, Debug)]
pub struct FakeRole {
    pub id: u64,
    pub name: String,
    pub permissions: u64,
    pub position: u16,
    /// A bot's managed role: Discord tags it with the bot's user id.
    pub bot_id: Option<u64>,
}

impl FakeRole {
    pub fn new(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.into(),
            permissions: perms::EVERYONE_DEFAULT,
            position: 1,
            bot_id: None,
        }
    }
    pub fn permissions(mut self, bits: u64) -> Self {
        self.permissions = bits;
        self
    }
}

/// A channel permission overwrite, as Discord keeps it: for a role (type 0; @everyone's id
/// is the guild's) or a member (type 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeOverwrite {
    pub id: u64,
    pub kind: u8,
    pub allow: u64,
    pub deny: u64,
}

impl FakeOverwrite {
    pub fn role(id: u64, allow: u64, deny: u64) -> Self {
        Self {
            id,
            kind: 0,
            allow,
            deny,
        }
    }
    pub fn member(id: u64, allow: u64, deny: u64) -> Self {
        Self {
            kind: 1,
            ..Self::role(id, allow, deny)
        }
    }
}

#[derive(Clone, Debug)]
pub struct FakeChannel {
    pub id: u64,
    pub name: String,
    /// Discord channel type: 0 text, 4 category, 11 public thread, 12 private thread.
    pub kind: u8,
    pub parent_id: Option<u64>,
    pub position: u16,
    /// Served in `permission_overwrites` (REST and GUILD_CREATE).
    pub overwrites: Vec<FakeOverwrite>,
}

impl FakeChannel {
    pub fn text(id: u64, name: &str) -> Self {
        Self {
            id,
            name: name.into(),
            kind: 0,
            parent_id: None,
            position: 0,
            overwrites: vec![],
        }
    }
    pub fn category(id: u64, name: &str) -> Self {
        Self {
            kind: 4,
            ..Self::text(id, name)
        }
    }
    pub fn under(mut self, parent_id: u64) -> Self {
        self.parent_id = Some(parent_id);
        self
    }
    pub fn overwrite(mut self, o: FakeOverwrite) -> Self {
        self.overwrites.push(o);
        self
    }
}

#[derive(Clone, Debug)]
pub struct FakeMember {
    pub user_id: u64,
    pub username: String,
    pub nick: Option<String>,
    pub roles: Vec<u64>,
    pub bot: bool,
}

impl FakeMember {
    pub fn new(user_id: u64, username: &str) -> Self {
        Self {
            user_id,
            username: username.into(),
            nick: None,
            roles: vec![],
            bot: false,
        }
    }
    pub fn roles(mut self, roles: impl IntoIterator<Item = u64>) -> Self {
        self.roles = roles.into_iter().collect();
        self
    }
    pub fn nick(mut self, nick: &str) -> Self {
        self.nick = Some(nick.into());
        self
    }
}

/// Everything `FakeDiscord::start` needs. `Default` gives a one-channel guild whose only
/// member is the bot; add roles, channels and members with struct update syntax.
#[derive(Clone, Debug)]
pub struct FakeConfig {
    pub guild_id: u64,
    pub guild_name: String,
    pub owner_id: u64,
    pub application_id: u64,
    pub bot_user_id: u64,
    pub bot_username: String,
    /// Permissions of the bot's managed role (the bot also has @everyone's).
    pub bot_permissions: u64,
    /// @everyone (role id == guild id) is added automatically when not listed here.
    pub roles: Vec<FakeRole>,
    pub channels: Vec<FakeChannel>,
    /// The bot's own member is added automatically.
    pub members: Vec<FakeMember>,
    /// Sent in HELLO; Discord uses 41250 ms.
    pub heartbeat_interval: Duration,
    /// Discord answers 10062 "Unknown interaction" to a callback later than 3 s.
    pub interaction_deadline: Duration,
    /// Zlib-compress gateway payloads (binary frames) when IDENTIFY asked for `compress`.
    /// Discord only does this for big payloads; serenity always asks for it.
    pub compress_payloads: bool,
    /// The application's "Server Members Intent" switch in the Developer Portal. Off,
    /// Discord closes a gateway that asks for GUILD_MEMBERS with 4014 and refuses the member
    /// list (`GET /guilds/{id}/members`) with 403.
    pub members_intent: bool,
}

impl Default for FakeConfig {
    fn default() -> Self {
        Self {
            guild_id: 1_200_000_000_000_000_001,
            guild_name: "Fake Partnership".into(),
            owner_id: 1_200_000_000_000_000_099,
            application_id: 1_200_000_000_000_000_010,
            bot_user_id: 1_200_000_000_000_000_010,
            bot_username: "managed-moves".into(),
            bot_permissions: perms::BOT_DEFAULT,
            roles: vec![],
            channels: vec![FakeChannel::text(1_200_000_000_000_000_100, "general")],
            members: vec![],
            heartbeat_interval: Duration::from_millis(41_250),
            interaction_deadline: Duration::from_secs(3),
            compress_payloads: false,
            members_intent: true,
        }
    }
}

impl FakeConfig {
    /// Roles including @everyone, which Discord always has, with the guild's id.
    pub fn all_roles(&self) -> Vec<FakeRole> {
        let mut roles = self.roles.clone();
        if !roles.iter().any(|r| r.id == self.guild_id) {
            let everyone = FakeRole {
                position: 0,
                ..FakeRole::new(self.guild_id, "@everyone")
            };
            roles.insert(0, everyone);
        }
        roles.push(FakeRole {
            position: roles.len() as u16,
            bot_id: Some(self.bot_user_id),
            ..FakeRole::new(self.bot_role_id(), &self.bot_username)
                .permissions(self.bot_permissions)
        });
        roles
    }

    /// Discord gives each bot a managed role; its id here is derived so it stays stable.
    pub fn bot_role_id(&self) -> u64 {
        self.bot_user_id + 7
    }

    /// Members including the bot itself (with its managed role).
    pub fn all_members(&self) -> Vec<FakeMember> {
        let mut members = self.members.clone();
        if !members.iter().any(|m| m.user_id == self.bot_user_id) {
            let mut bot = FakeMember::new(self.bot_user_id, &self.bot_username);
            bot.bot = true;
            bot.roles = vec![self.bot_role_id()];
            members.push(bot);
        }
        members
    }

    pub fn member(&self, user_id: u64) -> Option<FakeMember> {
        self.all_members()
            .into_iter()
            .find(|m| m.user_id == user_id)
    }

    /// Guild-level permissions: @everyone's plus every role's; ADMINISTRATOR means all.
    pub fn permissions_of(&self, user_id: u64) -> u64 {
        let roles = self.all_roles();
        let mut bits = roles
            .iter()
            .find(|r| r.id == self.guild_id)
            .map_or(0, |r| r.permissions);
        if let Some(member) = self.member(user_id) {
            for role in roles.iter().filter(|r| member.roles.contains(&r.id)) {
                bits |= role.permissions;
            }
        }
        if user_id == self.owner_id || bits & perms::ADMINISTRATOR != 0 {
            // Discord sends every bit it knows of; this covers all current flags.
            return (1u64 << 51) - 1;
        }
        bits
    }
}
