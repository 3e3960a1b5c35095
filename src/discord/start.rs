//! Start-up: validate, connect (to Discord or a fake at `discord.api_base`), register the
//! commands in the partnership's server, deliver the outbox, and stop cleanly on a signal.

use std::process::ExitCode;
use std::sync::Arc;

use poise::serenity_prelude as serenity;
use tokio::sync::Notify;

use super::types::{Data, Error};
use super::{commands, components, membership, sender, upkeep};
use crate::config::{Config, Secret};
use crate::service::{Clock, Notification, Notifier, Service, SystemClock};
use crate::store::Store;

/// Wakes the outbox sender after each successful command, and the scheduler, since the
/// command may have changed the case's reminders, and the case threads' daily upkeep.
struct WakeSender(Arc<Notify>, Arc<Notify>, Arc<Notify>);

impl Notifier for WakeSender {
    fn notify(&self, _: &[Notification]) {
        self.0.notify_one();
        self.1.notify_one();
        self.2.notify_one();
    }
}

pub async fn run(config: Config, token: Secret) -> ExitCode {
    match start(
        config,
        token,
        Arc::new(SystemClock),
        wait_for_shutdown_signal(),
    )
    .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the bot stopped with an error");
            eprintln!("The bot stopped: {e}");
            ExitCode::from(2)
        }
    }
}

/// The whole bot, until `shutdown` completes. Tests pass a clock and a shutdown they control.
pub async fn start(
    config: Config,
    token: Secret,
    clock: Arc<dyn Clock>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Error> {
    let store = Store::open(&config.database_path).await?;
    let outbox = Arc::new(Notify::new());
    let schedule = Arc::new(Notify::new());
    let upkeep = Arc::new(Notify::new());
    let wake = WakeSender(outbox.clone(), schedule.clone(), upkeep.clone());
    let service = Service::new(store, &config, clock, Arc::new(wake));
    let (stopping, stopped) = tokio::sync::watch::channel(false);
    let config = Arc::new(config);
    let guild = serenity::GuildId::new(config.discord.guild_id);

    let http = http_client(&config, &token);
    // Before going live: a server whose channels would expose a case is refused.
    super::preflight::check(&http, &config).await?;

    let data_config = config.clone();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(super::reply::on_error(error)),
            command_check: Some(|ctx| Box::pin(in_partnership_guild(ctx))),
            event_handler: |ctx, event| Box::pin(components::on_event(ctx, event)),
            // Nobody is pinged by a reply unless a message opts in explicitly.
            allowed_mentions: Some(serenity::CreateAllowedMentions::new()),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(ctx, &framework.options().commands, guild).await?;
                tracing::info!(bot = %ready.user.id, commands = framework.options().commands.len(), "ready; commands registered in the partnership's server");
                let data = Data { service, config: data_config, outbox };
                sender::spawn(ctx.http.clone(), &data);
                let stop = |mut stopped: tokio::sync::watch::Receiver<bool>| async move { let _ = stopped.wait_for(|s| *s).await; };
                crate::scheduler::spawn(data.service.clone(), schedule, data.outbox.clone(), stop(stopped.clone()));
                if let Err(e) = membership::check_member_list(&ctx.http, guild).await {
                    tracing::error!(error = %e, "cannot add people to case threads");
                }
                upkeep::spawn(ctx.http.clone(), data.service.clone(), data.config.clone(), upkeep, stop(stopped.clone()));
                crate::store::spawn_checkpoints(data.service.store().clone(), stop(stopped));
                Ok(data)
            })
        })
        .build();

    // GUILD_MEMBERS (privileged) lets the bot read who holds which role, to add people to
    // case threads one by one; see `membership`.
    let intents = serenity::GatewayIntents::GUILDS | serenity::GatewayIntents::GUILD_MEMBERS;
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await?;
    let shards = client.shard_manager.clone();
    let mut asked_to_stop = stopping.subscribe();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down");
        let _ = stopping.send(true);
        shards.shutdown_all().await;
    });
    // serenity's `shutdown_all` does nothing while no shard is connected (Discord
    // unreachable, the shard queued to reconnect), and `start` would then never return:
    // once asked to stop, give the connection a few seconds to close, then stop anyway.
    let gave_up = async move {
        let _ = asked_to_stop.wait_for(|s| *s).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = client.start() => result.map_err(membership::explain_gateway_refusal)?,
        () = gave_up => tracing::warn!("the connection to Discord did not close; stopped without it"),
    }
    Ok(())
}

/// The REST client for Discord (or a fake at `discord.api_base`). Every message, edit and
/// interaction reply that does not say otherwise pings nobody.
pub fn http_client(config: &Config, token: &Secret) -> serenity::Http {
    let mut http = serenity::HttpBuilder::new(token.expose())
        .default_allowed_mentions(serenity::CreateAllowedMentions::new());
    if config.discord.api_base != "https://discord.com" {
        // A local fake Discord (tests, trying the bot by hand): no real rate limits there.
        http = http
            .proxy(config.discord.api_base.clone())
            .ratelimiter_disabled(true);
    }
    http.build()
}

/// How long a shutdown waits for the gateway connection to close cleanly.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Commands work only in the partnership's own server; anywhere else they are ignored.
async fn in_partnership_guild(ctx: super::types::Context<'_>) -> Result<bool, Error> {
    let ours = ctx.guild_id().map(|g| g.get()) == Some(ctx.data().config.discord.guild_id);
    if !ours {
        tracing::debug!("ignored a command from outside the partnership's server");
    }
    Ok(ours)
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
