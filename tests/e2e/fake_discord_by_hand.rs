//! Try the bot by hand against the fake Discord (README, "Try it against the fake Discord").
//! Ignored by `cargo test`; run it yourself:
//!
//! ```sh
//! cargo test --test e2e fake_discord_by_hand -- --ignored --nocapture
//! ```
//!
//! It starts the fake on 127.0.0.1:8765 (`FAKE_DISCORD_PORT` for another port), writes a
//! config for it to `target/fake-discord/managed-moves.toml`, prints the command that starts
//! the bot against it, and then reads lines from the terminal, each one interaction sent
//! as one of the guild's people:
//!
//! ```text
//! as home-head /case list all=true
//! as home-head /propose to=hillcrest initials=J.S. year=9 reason="At risk of exclusion" ...
//! click dest-head mm:accept:MM-2026-0001
//! modal dest-head mm:decline:MM-2026-0001 reason="No place this term"
//! ```
//!
//! Options are typed and choices named as the bot registered them. After each line it shows
//! the bot's answer and anything the bot posted in the guild.

use crate::support;

use std::collections::HashSet;
use std::io::BufRead;
use std::time::Duration;

use serde_json::Value;
use support::fake_discord::{FakeDiscord, FakeInteraction, Opt};
use support::harness::guild::{self, Person, BOARD, CASES, GUILD, PEOPLE, SEIP_CHANNEL};
use support::harness::user::Reply;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interactive: run with -- --ignored --nocapture"]
async fn fake_discord_by_hand() {
    let port = std::env::var("FAKE_DISCORD_PORT").unwrap_or_else(|_| "8765".into());
    let fake = FakeDiscord::start_on(&format!("127.0.0.1:{port}"), guild::fake_config()).await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fake-discord");
    std::fs::create_dir_all(&dir).expect("create target/fake-discord");
    let config = dir.join("managed-moves.toml");
    let db = dir.join("managed-moves.db");
    std::fs::write(&config, guild::config_toml(fake.base_url(), &db)).expect("write config");

    println!("Fake Discord listening on {}.", fake.base_url());
    println!("Config for the bot: {}", config.display());
    println!("Start the bot in another terminal (any token will do):\n");
    println!(
        "  DISCORD_TOKEN=fake cargo run -- --config {} run\n",
        config.display()
    );
    println!("Waiting for the bot to connect...");
    while !fake.wait_until_connected(Duration::from_secs(60)).await {
        println!("...still waiting for the bot to connect.");
    }
    wait_for_commands(&fake).await;
    println!("The bot is connected and has registered its commands. People in the server:");
    for p in PEOPLE {
        println!("  {:<12} (user {})", p.name, p.id);
    }
    println!(
        "\nType `as PERSON /command sub name=value ...`, `click PERSON CUSTOM_ID`,\n\
         `modal PERSON CUSTOM_ID field=value`, `board`, or `quit`. `/help` lists the commands."
    );

    let lines = stdin_lines();
    let mut seen: HashSet<String> = HashSet::new();
    show_new_posts(&fake, &mut seen);
    loop {
        print!("> ");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let Ok(Some(line)) = tokio::task::block_in_place(|| lines.recv().map(Some)) else {
            break;
        };
        let words = split_words(&line);
        let result = match words.first().map(String::as_str) {
            None => continue,
            Some("quit" | "exit") => break,
            Some("board") => {
                let board = fake.channel_messages(BOARD);
                for m in board {
                    println!("{}", message_text(&m));
                }
                continue;
            }
            Some("as") => interaction(&fake, &words, Kind::Slash),
            Some("click") => interaction(&fake, &words, Kind::Click),
            Some("modal") => interaction(&fake, &words, Kind::Modal),
            Some(other) => Err(format!("unknown: {other}")),
        };
        match result {
            Ok(ix) => {
                let sent = fake.send_interaction(ix).await;
                let prefix = format!("/interactions/{}/", sent.id);
                let answered = fake
                    .recorder()
                    .wait_for(|r| r.path.starts_with(&prefix), Duration::from_secs(5))
                    .await;
                if answered.is_none() {
                    println!("(no answer from the bot within 5 s)");
                } else {
                    let reply = Reply::from(fake.recorder().interaction_responses(sent.id));
                    let private = if reply.ephemeral {
                        " (only you see this)"
                    } else {
                        ""
                    };
                    match &reply.modal {
                        Some(id) => println!("The bot opens a form `{id}`: answer with `modal`."),
                        None => println!("Bot{private}: {}", reply.text()),
                    }
                }
                // Give the outbox a moment to post what the command caused.
                quiet(&fake).await;
                show_new_posts(&fake, &mut seen);
            }
            Err(e) => println!("{e}"),
        }
    }
}

enum Kind {
    Slash,
    Click,
    Modal,
}

fn person(name: &str) -> Result<Person, String> {
    PEOPLE
        .iter()
        .copied()
        .find(|p| p.name == name)
        .ok_or_else(|| format!("no such person: {name} (see the list above)"))
}

fn interaction(
    fake: &FakeDiscord,
    words: &[String],
    kind: Kind,
) -> Result<FakeInteraction, String> {
    let who = person(words.get(1).ok_or("who?")?)?;
    let dress = |ix: FakeInteraction| ix.by(who.id).with_roles(who.roles.iter().copied());
    match kind {
        Kind::Slash => {
            let rest = &words[2..];
            let path: Vec<&str> = rest
                .iter()
                .take_while(|w| !w.contains('='))
                .map(|w| w.trim_start_matches('/'))
                .collect();
            let values: Vec<(&str, &str)> = rest[path.len()..]
                .iter()
                .filter_map(|w| w.split_once('='))
                .collect();
            let ix = slash(fake, &path, &values)?;
            Ok(dress(ix))
        }
        Kind::Click | Kind::Modal => {
            let id = words
                .get(2)
                .ok_or("which button? e.g. mm:accept:MM-2026-0001")?;
            let source = message_with(fake, id);
            let channel = source
                .as_ref()
                .and_then(|m| m["channel_id"].as_str()?.parse::<u64>().ok());
            let message = source
                .as_ref()
                .and_then(|m| m["id"].as_str()?.parse::<u64>().ok());
            let ix = match kind {
                Kind::Click => FakeInteraction::button(id, message),
                _ => {
                    let fields: Vec<(&str, &str)> = words[3..]
                        .iter()
                        .filter_map(|w| w.split_once('='))
                        .collect();
                    let ix = FakeInteraction::modal(id, &fields);
                    message.map_or(ix.clone(), |m| ix.on_message(m))
                }
            };
            let ix = channel.map_or(ix.clone(), |c| ix.in_channel(c));
            Ok(dress(ix))
        }
    }
}

/// A slash command typed as the bot registered it: each value gets its option's type, and
/// a choice may be given by its name.
fn slash(
    fake: &FakeDiscord,
    path: &[&str],
    values: &[(&str, &str)],
) -> Result<FakeInteraction, String> {
    let commands = fake.commands(Some(GUILD));
    let top = path.first().ok_or("which command?")?;
    let mut def = commands
        .iter()
        .find(|c| c["name"] == *top)
        .ok_or_else(|| format!("no command /{top}"))?;
    for sub in &path[1..] {
        def = def["options"]
            .as_array()
            .and_then(|o| o.iter().find(|o| o["name"] == *sub))
            .ok_or_else(|| format!("/{top} has no `{sub}`"))?;
    }
    let mut options = Vec::new();
    for (name, raw) in values {
        let spec = def["options"]
            .as_array()
            .and_then(|o| o.iter().find(|o| o["name"] == *name))
            .ok_or_else(|| format!("no option `{name}`; options: {}", option_names(def)))?;
        let choice = spec["choices"].as_array().and_then(|cs| {
            cs.iter()
                .find(|c| {
                    c["name"]
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(raw))
                })
                .map(|c| c["value"].clone())
        });
        let bad = || format!("`{name}` wants a {}", type_name(&spec["type"]));
        let opt = match spec["type"].as_u64() {
            Some(4) => {
                let v = match choice {
                    Some(v) => v.as_i64().ok_or_else(bad)?,
                    None => raw.parse().map_err(|_| bad())?,
                };
                Opt::integer(name, v)
            }
            Some(5) => Opt::boolean(name, raw.parse().map_err(|_| bad())?),
            Some(10) => Opt::number(name, raw.parse().map_err(|_| bad())?),
            _ => Opt::string(name, raw),
        };
        options.push(opt);
    }
    let ix = match path {
        [name] => FakeInteraction::slash(name, options),
        [name, sub] => FakeInteraction::slash(name, [Opt::sub(sub, options)]),
        [name, group, sub] => {
            FakeInteraction::slash(name, [Opt::group(group, [Opt::sub(sub, options)])])
        }
        _ => return Err("too many words before the options".into()),
    };
    Ok(ix)
}

fn option_names(def: &Value) -> String {
    def["options"]
        .as_array()
        .map(|o| {
            o.iter()
                .filter_map(|o| o["name"].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn type_name(t: &Value) -> &'static str {
    match t.as_u64() {
        Some(4) => "whole number (or a choice's name)",
        Some(5) => "true or false",
        Some(10) => "number",
        _ => "text",
    }
}

/// Every channel and thread the bot can post in.
fn channels(fake: &FakeDiscord) -> Vec<(u64, String)> {
    let mut out = vec![
        (CASES, "#case-threads".to_string()),
        (BOARD, "#coordinators".to_string()),
        (SEIP_CHANNEL, "#seip-panel".to_string()),
    ];
    for (t, _) in fake.threads() {
        if let Some(id) = t["id"].as_str().and_then(|s| s.parse().ok()) {
            out.push((id, format!("thread {}", t["name"].as_str().unwrap_or("?"))));
        }
    }
    out
}

fn message_with(fake: &FakeDiscord, custom_id: &str) -> Option<Value> {
    channels(fake)
        .into_iter()
        .flat_map(|(c, _)| fake.channel_messages(c))
        .filter(|m| {
            m["components"]
                .to_string()
                .contains(&format!("\"{custom_id}\""))
        })
        .max_by_key(|m| m["id"].as_str().and_then(|s| s.parse::<u64>().ok()))
}

fn message_text(m: &Value) -> String {
    let mut out = m["content"].as_str().unwrap_or("").to_string();
    for e in m["embeds"].as_array().into_iter().flatten() {
        for k in ["title", "description"] {
            if let Some(t) = e[k].as_str() {
                out.push_str(&format!("\n  | {t}"));
            }
        }
        for f in e["fields"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "\n  | {}: {}",
                f["name"].as_str().unwrap_or(""),
                f["value"].as_str().unwrap_or("")
            ));
        }
    }
    let buttons: Vec<&str> = m["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().into_iter().flatten())
        .filter_map(|b| b["custom_id"].as_str())
        .collect();
    if !buttons.is_empty() {
        out.push_str(&format!("\n  [buttons: {}]", buttons.join(", ")));
    }
    out
}

fn show_new_posts(fake: &FakeDiscord, seen: &mut HashSet<String>) {
    for (channel, label) in channels(fake) {
        for m in fake.channel_messages(channel) {
            let id = m["id"].as_str().unwrap_or("").to_string();
            // Answers to interactions were shown already.
            if m.get("interaction_metadata").is_some() || !seen.insert(id) {
                continue;
            }
            println!("[{label}] {}", message_text(&m));
        }
    }
}

/// Waits until the bot has made no request for a moment (its outbox has caught up).
async fn quiet(fake: &FakeDiscord) {
    let mut last = fake.recorder().requests().len();
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        let now = fake.recorder().requests().len();
        if now == last {
            return;
        }
        last = now;
    }
}

async fn wait_for_commands(fake: &FakeDiscord) {
    while fake.commands(Some(GUILD)).is_empty() {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn stdin_lines() -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Splits a line into words; double quotes keep spaces inside a word (`reason="No place"`).
fn split_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted) = (Vec::new(), String::new(), false);
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}
