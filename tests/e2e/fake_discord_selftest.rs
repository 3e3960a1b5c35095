//! Proves the fake Discord in `support::fake_discord` is good enough for real serenity 0.12.5
//! and poise 0.7: REST objects deserialise, the gateway handshake reaches READY and fills the
//! cache, interactions arrive in handlers, and callbacks come back with the right flags.

use crate::support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::json;
use serenity::all::{
    ChannelId, Client, ClientBuilder, Context, CreateActionRow, CreateAutocompleteResponse,
    CreateButton, CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage,
    EventHandler, GatewayIntents, GuildId, Interaction, Ready, ShardManager, UserId,
};
use support::fake_discord::{
    init_tracing, FakeChannel, FakeConfig, FakeDiscord, FakeInteraction, FakeMember, FakeRole, Opt,
    Outgoing, ResponseKind,
};
use tokio::sync::mpsc;

const T: Duration = Duration::from_secs(10);
const STAFF_ROLE: u64 = 1_300_000_000_000_000_001;
const CASES: u64 = 1_300_000_000_000_000_100;
const ALICE: u64 = 1_300_000_000_000_000_500;

fn config() -> FakeConfig {
    FakeConfig {
        roles: vec![FakeRole::new(STAFF_ROLE, "Coordinator")],
        channels: vec![
            FakeChannel::category(CASES - 1, "Moves"),
            FakeChannel::text(CASES, "cases").under(CASES - 1),
        ],
        members: vec![FakeMember::new(ALICE, "alice")
            .roles([STAFF_ROLE])
            .nick("Ms A")],
        ..FakeConfig::default()
    }
}

/// Records what reached the handler and answers interactions the way a simple bot would.
struct Handler(mpsc::UnboundedSender<String>);

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, _: Context, ready: Ready) {
        let _ = self.0.send(format!("ready {}", ready.user.name));
    }
    async fn cache_ready(&self, _: Context, guilds: Vec<GuildId>) {
        let _ = self.0.send(format!("cache_ready {}", guilds.len()));
    }
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let result = match &interaction {
            Interaction::Command(cmd) => {
                let msg = CreateInteractionResponseMessage::new()
                    .content(format!("hello {}", cmd.user.name))
                    .ephemeral(true);
                let _ = self.0.send(format!(
                    "command {} {:?}",
                    cmd.data.name,
                    cmd.data.options()
                ));
                cmd.create_response(&ctx.http, CreateInteractionResponse::Message(msg))
                    .await
            }
            Interaction::Component(c) => {
                let _ = self.0.send(format!("component {}", c.data.custom_id));
                let msg = CreateInteractionResponseMessage::new()
                    .content("clicked")
                    .components(vec![]);
                c.create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(msg))
                    .await
            }
            Interaction::Autocomplete(a) => {
                let _ = self.0.send(format!(
                    "autocomplete {:?}",
                    a.data.autocomplete().map(|o| o.value.to_owned())
                ));
                let choices = CreateAutocompleteResponse::new().add_string_choice("Year 9", "9");
                a.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(choices))
                    .await
            }
            Interaction::Modal(m) => {
                let _ = self.0.send(format!(
                    "modal {} {}",
                    m.data.custom_id,
                    m.data.components.len()
                ));
                m.create_response(&ctx.http, CreateInteractionResponse::Acknowledge)
                    .await
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            let _ = self.0.send(format!("error {e}"));
        }
    }
}

struct Running {
    shards: Arc<ShardManager>,
    events: mpsc::UnboundedReceiver<String>,
    client_http: Arc<serenity::http::Http>,
    cache: Arc<serenity::cache::Cache>,
}

async fn start_client(fake: &FakeDiscord, intents: GatewayIntents) -> Running {
    let (tx, events) = mpsc::unbounded_channel();
    let mut client: Client = ClientBuilder::new_with_http(fake.http(), intents)
        .event_handler(Handler(tx))
        .await
        .expect("client");
    let running = Running {
        shards: client.shard_manager.clone(),
        events,
        client_http: client.http.clone(),
        cache: client.cache.clone(),
    };
    tokio::spawn(async move { client.start().await });
    running
}

/// Next event starting with `prefix`, skipping others.
async fn expect(events: &mut mpsc::UnboundedReceiver<String>, prefix: &str) -> String {
    tokio::time::timeout(T, async {
        while let Some(e) = events.recv().await {
            if e.starts_with(prefix) {
                return e;
            }
        }
        panic!("event stream ended before {prefix}");
    })
    .await
    .unwrap_or_else(|_| panic!("timed out waiting for {prefix}"))
}

#[tokio::test]
async fn rest_objects_deserialise_into_serenity_types() {
    init_tracing();
    let fake = FakeDiscord::start(config()).await;
    let http = fake.http();
    let me = http.get_current_user().await.expect("users/@me");
    assert_eq!(me.id.get(), fake.config().bot_user_id);
    let app = http
        .get_current_application_info()
        .await
        .expect("application");
    assert_eq!(app.owner.expect("owner").id.get(), fake.config().owner_id);
    let gw = http.get_bot_gateway().await.expect("gateway/bot");
    assert_eq!((gw.url.as_str(), gw.shards), (fake.ws_url(), 1));
    let guild_id = GuildId::new(fake.config().guild_id);
    let guild = http.get_guild(guild_id).await.expect("guild");
    assert!(guild
        .roles
        .contains_key(&serenity::all::RoleId::new(STAFF_ROLE)));
    assert_eq!(
        http.get_guild_roles(guild_id).await.expect("roles").len(),
        3
    );
    let alice = http
        .get_member(guild_id, UserId::new(ALICE))
        .await
        .expect("member");
    assert_eq!(alice.nick.as_deref(), Some("Ms A"));
    let channel = http
        .get_channel(ChannelId::new(CASES))
        .await
        .expect("channel")
        .guild()
        .expect("guild channel");
    assert_eq!(channel.name, "cases");

    // Messages, edits, threads.
    let cases = ChannelId::new(CASES);
    let row = CreateActionRow::Buttons(vec![CreateButton::new("case:1:accept").label("Accept")]);
    let sent = cases
        .send_message(
            &http,
            CreateMessage::new()
                .content("New case")
                .components(vec![row]),
        )
        .await
        .expect("send");
    assert_eq!(sent.components.len(), 1);
    let fetched = cases.message(&http, sent.id).await.expect("get message");
    assert_eq!(fetched.content, "New case");
    let thread = cases
        .create_thread(
            &http,
            serenity::all::CreateThread::new("case-1")
                .kind(serenity::all::ChannelType::PrivateThread)
                .invitable(false),
        )
        .await
        .expect("thread");
    assert_eq!(thread.kind, serenity::all::ChannelType::PrivateThread);
    thread
        .id
        .add_thread_member(&http, UserId::new(ALICE))
        .await
        .expect("add member");
    assert_eq!(fake.threads()[0].1, vec![fake.config().bot_user_id, ALICE]);
    assert_eq!(fake.recorder().messages_in(CASES)[0]["content"], "New case");

    // Uploads go multipart (payload_json + files[n]); the fake answers with real attachments.
    let file = serenity::all::CreateAttachment::bytes(b"minutes".to_vec(), "minutes.txt");
    let with_file = cases
        .send_message(
            &http,
            CreateMessage::new().content("Minutes").add_file(file),
        )
        .await
        .expect("upload");
    assert_eq!(
        (
            with_file.attachments[0].filename.as_str(),
            with_file.attachments[0].size
        ),
        ("minutes.txt", 7)
    );
    let upload = fake
        .recorder()
        .requests()
        .into_iter()
        .find(|r| !r.files.is_empty())
        .expect("multipart");
    assert_eq!(
        (upload.body["content"].clone(), upload.files[0].1.clone()),
        (json!("Minutes"), "minutes.txt".to_string())
    );

    // Discord's own checks and unknown things.
    let empty = cases
        .send_message(&http, CreateMessage::new())
        .await
        .expect_err("empty message");
    assert!(empty.to_string().contains("empty message"), "{empty}");
    assert!(http.get_channel(ChannelId::new(42)).await.is_err());
    let _ = http.get_guild_webhooks(guild_id).await;
    let unknown = fake.recorder().unknown_routes();
    assert_eq!(unknown.len(), 1, "{unknown:?}");
    assert_eq!(unknown[0].path, format!("/guilds/{guild_id}/webhooks"));
    assert_eq!(unknown[0].response["message"], "404: Not Found");
}

#[tokio::test]
async fn injected_failures_are_seen_by_serenity() {
    init_tracing();
    let fake = FakeDiscord::start(config()).await;
    let http = fake.http();
    let cases = ChannelId::new(CASES);
    fake.fail_next("POST /channels/{channel_id}/messages", 500, 1);
    let err = cases.say(&http, "first").await.expect_err("500");
    assert!(
        matches!(&err, serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 500),
        "{err:?}"
    );
    cases
        .say(&http, "second")
        .await
        .expect("only one failure was injected");

    fake.fail_next("POST /channels/*/messages", 429, 1);
    let err = cases.say(&http, "third").await.expect_err("429");
    let serenity::Error::Http(serenity::http::HttpError::UnsuccessfulRequest(r)) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (r.status_code.as_u16(), r.error.message.as_str()),
        (429, "You are being rate limited.")
    );
    let rec = fake.recorder().requests();
    let statuses: Vec<(u16, bool)> = rec.iter().map(|r| (r.status, r.injected)).collect();
    assert_eq!(statuses, vec![(500, true), (200, false), (429, true)]);
    assert_eq!(rec[2].response["global"], false);

    fake.set_delay("GET /users/@me", Duration::from_millis(300));
    let started = std::time::Instant::now();
    http.get_current_user().await.expect("slow but fine");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn serenity_client_connects_and_handles_interactions() {
    init_tracing();
    let fake = FakeDiscord::start(config()).await;
    let mut c = start_client(&fake, GatewayIntents::GUILDS).await;
    assert_eq!(expect(&mut c.events, "ready").await, "ready managed-moves");
    expect(&mut c.events, "cache_ready 1").await;
    let guild = c
        .cache
        .guild(GuildId::new(fake.config().guild_id))
        .map(|g| (g.name.clone(), g.channels.len(), g.members.len()));
    // Without GUILD_MEMBERS, Discord only sends the bot's own member.
    assert_eq!(guild, Some(("Fake Partnership".to_string(), 2, 1)));
    assert_eq!(
        c.client_http.application_id().map(|a| a.get()),
        Some(fake.config().application_id)
    );
    assert_eq!(fake.gateway_connections(), vec!["v=10".to_string()]);
    let identify = fake
        .gateway_frames()
        .into_iter()
        .find(|f| f.op == 2)
        .expect("identify");
    assert_eq!(
        (
            identify.d["compress"].clone(),
            identify.d["intents"].clone()
        ),
        (json!(true), json!(1))
    );

    // Slash command with a subcommand and a user option, answered ephemerally.
    let slash = FakeInteraction::slash(
        "move",
        [Opt::sub(
            "open",
            [Opt::user("pupil_contact", ALICE), Opt::integer("year", 9)],
        )],
    )
    .by(ALICE);
    let sent = fake.send_interaction(slash).await;
    let seen = expect(&mut c.events, "command").await;
    assert!(
        seen.contains("move") && seen.contains("SubCommand") && seen.contains("Integer(9)"),
        "{seen}"
    );
    fake.recorder()
        .wait_for(|r| r.path.ends_with("/callback"), T)
        .await
        .expect("callback");
    let responses = fake.recorder().interaction_responses(sent.id);
    assert_eq!(responses.len(), 1);
    assert_eq!(responses[0].kind, ResponseKind::Callback(4));
    assert!(responses[0].ephemeral);
    assert_eq!(responses[0].body["data"]["content"], "hello alice");
    // A second acknowledgement is refused, as Discord does (40060).
    let again = CreateInteractionResponse::Message(
        CreateInteractionResponseMessage::new().content("again"),
    );
    let id = serenity::all::InteractionId::new(sent.id);
    let again = c
        .client_http
        .create_interaction_response(id, &sent.token, &again, vec![])
        .await;
    assert!(again
        .expect_err("second ack")
        .to_string()
        .contains("already been acknowledged"));
    let original = fake.channel_messages(CASES).pop().expect("stored response");
    assert_eq!(original["flags"], 64);

    // Button click on a message the bot posted: answered with an update of that message.
    let row = CreateActionRow::Buttons(vec![CreateButton::new("case:1:accept").label("Accept")]);
    let msg = ChannelId::new(CASES)
        .send_message(
            &c.client_http,
            CreateMessage::new().content("Case 1").components(vec![row]),
        )
        .await
        .unwrap();
    let click = fake
        .send_interaction(FakeInteraction::button("case:1:accept", Some(msg.id.get())).by(ALICE))
        .await;
    assert_eq!(
        expect(&mut c.events, "component").await,
        "component case:1:accept"
    );
    fake.recorder()
        .wait_for(
            |r| r.path.contains(&format!("/interactions/{}/", click.id)),
            T,
        )
        .await
        .expect("update");
    assert_eq!(
        fake.recorder().interaction_responses(click.id)[0].kind,
        ResponseKind::Callback(7)
    );
    assert_eq!(fake.message(msg.id.get()).unwrap()["content"], "clicked");

    // Autocomplete and modal submit reach the handler too.
    let ac = fake
        .send_interaction(FakeInteraction::autocomplete(
            "move",
            [Opt::sub("open", [Opt::focused("year", 4, "9")])],
        ))
        .await;
    assert_eq!(
        expect(&mut c.events, "autocomplete").await,
        "autocomplete Some(\"9\")"
    );
    let modal = fake
        .send_interaction(FakeInteraction::modal(
            "case:1:notes",
            &[("notes", "Settling in well")],
        ))
        .await;
    assert_eq!(expect(&mut c.events, "modal").await, "modal case:1:notes 1");
    fake.recorder()
        .wait_for(
            |r| r.path.contains(&format!("/interactions/{}/", modal.id)),
            T,
        )
        .await
        .expect("modal ack");
    assert_eq!(
        fake.recorder().interaction_responses(ac.id)[0].body["data"]["choices"][0]["value"],
        "9"
    );

    // A 500 on the callback route reaches the handler as an error.
    fake.fail_next("POST /interactions/{id}/{token}/callback", 500, 1);
    fake.send_interaction(FakeInteraction::slash("move", []))
        .await;
    let e = expect(&mut c.events, "error").await;
    assert!(e.contains("500"), "{e}");

    // Op 7 makes serenity reconnect and RESUME; interactions still flow afterwards.
    fake.send_gateway(Outgoing::Raw(json!({"op": 7, "d": null})));
    tokio::time::timeout(T, async {
        while !fake.gateway_frames().iter().any(|f| f.op == 6) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("RESUME after op 7");
    fake.send_interaction(FakeInteraction::slash("move", []))
        .await;
    expect(&mut c.events, "command").await;

    // A thread made through the connected client comes back as THREAD_CREATE.
    let thread =
        serenity::all::CreateThread::new("case-2").kind(serenity::all::ChannelType::PrivateThread);
    ChannelId::new(CASES)
        .create_thread(&c.client_http, thread)
        .await
        .expect("thread");
    tokio::time::timeout(T, async {
        while !fake.dispatched().iter().any(|f| f["t"] == "THREAD_CREATE") {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .unwrap_or_else(|_| {
        let ts: Vec<_> = fake.dispatched().iter().map(|f| f["t"].clone()).collect();
        let rs: Vec<_> = fake
            .recorder()
            .requests()
            .iter()
            .map(|r| r.line())
            .collect();
        panic!(
            "no THREAD_CREATE: {ts:?} {rs:?} {:?}",
            fake.gateway_connections()
        )
    });
    fake.assert_dispatches_understood();

    c.shards.shutdown_all().await;
    fake.shutdown().await;
    assert!(
        reqwest_like_get(fake.base_url()).await.is_err(),
        "server should be gone"
    );
}

/// A plain TCP connect is enough to see that the fake stopped listening.
async fn reqwest_like_get(base: &str) -> std::io::Result<tokio::net::TcpStream> {
    tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await
}

#[tokio::test]
async fn compressed_payloads_and_members_intent() {
    init_tracing();
    let fake = FakeDiscord::start(FakeConfig {
        compress_payloads: true,
        heartbeat_interval: Duration::from_millis(200),
        // Every callback is "late": Discord answers 10062 after 3 s, here at once.
        interaction_deadline: Duration::ZERO,
        ..config()
    })
    .await;
    let mut c = start_client(
        &fake,
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MEMBERS,
    )
    .await;
    expect(&mut c.events, "cache_ready").await;
    let members = c
        .cache
        .guild(GuildId::new(fake.config().guild_id))
        .map(|g| g.members.len());
    assert_eq!(members, Some(2));
    // Heartbeats every 200 ms are acked; the session stays up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(fake.gateway_frames().iter().filter(|f| f.op == 1).count() >= 2);
    fake.send_interaction(FakeInteraction::slash("move", []))
        .await;
    expect(&mut c.events, "command").await;
    let late = expect(&mut c.events, "error").await;
    assert!(late.contains("Unknown interaction"), "{late}");
    c.shards.shutdown_all().await;
}

type PoiseError = Box<dyn std::error::Error + Send + Sync>;
type PoiseCtx<'a> = poise::Context<'a, (), PoiseError>;

/// Case commands
#[poise::command(slash_command, subcommands("open"))]
async fn case(_: PoiseCtx<'_>) -> Result<(), PoiseError> {
    Ok(())
}

/// Open a case
#[poise::command(slash_command, ephemeral)]
async fn open(
    ctx: PoiseCtx<'_>,
    #[description = "Pupil initials"]
    #[autocomplete = "pupils"]
    pupil: String,
) -> Result<(), PoiseError> {
    ctx.defer_ephemeral().await?;
    ctx.say(format!("opened {pupil}")).await?;
    Ok(())
}

async fn pupils(_: PoiseCtx<'_>, partial: &str) -> CreateAutocompleteResponse {
    let choices = ["A.B.", "C.D."]
        .into_iter()
        .filter(|p| p.starts_with(partial))
        .map(serenity::all::AutocompleteChoice::from)
        .collect();
    CreateAutocompleteResponse::new().set_choices(choices)
}

#[tokio::test]
async fn poise_registers_commands_and_runs_them() {
    init_tracing();
    let fake = FakeDiscord::start(config()).await;
    let guild_id = GuildId::new(fake.config().guild_id);
    let (setup_tx, mut setup_rx) = mpsc::unbounded_channel();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![case()],
            ..Default::default()
        })
        .setup(move |ctx, _ready, framework| {
            Box::pin(async move {
                let result = poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    guild_id,
                )
                .await;
                let _ = setup_tx.send(result.as_ref().map(|_| ()).map_err(|e| e.to_string()));
                result?;
                Ok(())
            })
        })
        .build();
    let mut client = ClientBuilder::new_with_http(fake.http(), GatewayIntents::GUILDS)
        .framework(framework)
        .await
        .expect("client");
    let shards = client.shard_manager.clone();
    tokio::spawn(async move { client.start().await });

    let setup = tokio::time::timeout(T, setup_rx.recv())
        .await
        .expect("setup ran")
        .expect("setup result");
    assert_eq!(setup, Ok(()));
    let put = fake
        .recorder()
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .expect("PUT commands");
    assert_eq!(
        (put.path.clone(), put.status),
        (
            format!(
                "/applications/{}/guilds/{guild_id}/commands",
                fake.config().application_id
            ),
            200
        )
    );
    let commands = fake.commands(Some(guild_id.get()));
    assert_eq!(
        (commands[0]["name"].as_str(), commands[0]["type"].as_u64()),
        (Some("case"), Some(1))
    );
    assert_eq!(
        commands[0]["options"][0]["options"][0]["autocomplete"],
        true
    );

    // defer_ephemeral + say: a deferred callback, then a follow-up that replaces "thinking".
    let slash = FakeInteraction::slash("case", [Opt::sub("open", [Opt::string("pupil", "A.B.")])])
        .by(ALICE);
    let sent = fake.send_interaction(slash).await;
    let token = sent.token.clone();
    fake.recorder()
        .wait_for(
            |r| r.method == "POST" && r.path.contains(&token) && r.path.starts_with("/webhooks"),
            T,
        )
        .await
        .expect("follow-up");
    let responses = fake.recorder().interaction_responses(sent.id);
    let kinds: Vec<(ResponseKind, bool)> = responses
        .iter()
        .map(|r| (r.kind.clone(), r.ephemeral))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (ResponseKind::Callback(5), true),
            (ResponseKind::Followup, true)
        ]
    );
    let shown = fake.channel_messages(CASES).pop().expect("message");
    assert_eq!(
        (shown["content"].as_str(), shown["flags"].as_u64()),
        (Some("opened A.B."), Some(64))
    );

    let ac = fake
        .send_interaction(FakeInteraction::autocomplete(
            "case",
            [Opt::sub("open", [Opt::focused("pupil", 3, "C")])],
        ))
        .await;
    let id = ac.id;
    fake.recorder()
        .wait_for(|r| r.path.starts_with(&format!("/interactions/{id}/")), T)
        .await
        .expect("autocomplete answer");
    let answer = &fake.recorder().interaction_responses(id)[0];
    assert_eq!(answer.kind, ResponseKind::Callback(8));
    assert_eq!(
        answer.body["data"]["choices"],
        json!([{"name": "C.D.", "value": "C.D."}])
    );
    fake.assert_dispatches_understood();
    shards.shutdown_all().await;
}
