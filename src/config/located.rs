//! Every problem in a config file, each with its key and line, in one run.
//!
//! serde stops at the first value of the wrong type ("invalid value: integer `-3`, expected
//! u8 (at byte 2085)"), hiding everything after it. So the file is read as a TOML document
//! (which keeps every key's position), and deserialised again and again: each time a value
//! is refused, the problem is noted under its key, the value is swapped for a stand-in of
//! the right type (or an unknown key taken out, a missing one put in), and the next attempt
//! goes on past it. The stand-ins' own checks are then ignored (`stand_ins`).

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml_edit::{DocumentMut, ImDocument, Item, TableLike, Value};

mod paths;

use paths::{find_in, table_at, table_mut};
pub use paths::{join, line_of, Seg};

/// Attempts at most (a file that bad needs rewriting, not a list of problems).
const MAX_PROBLEMS: usize = 40;

/// What `deserialize` found: the value (when every problem could be stood in for), the
/// problems as (key, message), and the keys that got a stand-in.
pub struct Read<T> {
    pub value: Option<T>,
    pub problems: Vec<(String, String)>,
    pub stand_ins: Vec<String>,
}

/// Deserialises `text`, which must already parse as TOML, collecting every type problem.
pub fn deserialize<T: DeserializeOwned>(text: &str) -> Read<T> {
    let mut current = text.to_string();
    let mut read = Read {
        value: None,
        problems: Vec::new(),
        stand_ins: Vec::new(),
    };
    for _ in 0..MAX_PROBLEMS {
        let (path, message, span) = match attempt::<T>(&current) {
            Attempt::Done(v) => {
                read.value = Some(v);
                return read;
            }
            Attempt::Refused(path, message, span) => (path, message, span),
            Attempt::Unreadable => return read,
        };
        let (key, problem, candidates) =
            if let Some(name) = quoted_after(&message, "unknown field ") {
                let parent = &path[..path.len().saturating_sub(1)];
                let hint = expected_keys(&message)
                    .map(|k| format!("; the keys here are {k}"))
                    .unwrap_or_default();
                let removed = edit(&current, parent, |t| {
                    t.remove(&name);
                });
                let problem = format!("unknown key `{name}`{hint}");
                (
                    path.clone(),
                    problem,
                    removed.into_iter().collect::<Vec<_>>(),
                )
            } else if let Some(name) = quoted_after(&message, "missing field ") {
                // The error points into the table that lacks the key.
                let table = table_path(&current, path.clone());
                let mut full = table.clone();
                full.push(Seg::Key(name.clone()));
                let tries = stand_ins(&message)
                    .into_iter()
                    .filter_map(|v| {
                        edit(&current, &table, |t| {
                            t.insert(&name, Item::Value(v));
                        })
                    })
                    .collect();
                (full, "missing; add it".to_string(), tries)
            } else {
                let tries = stand_ins(&message)
                    .into_iter()
                    .map(|v| replace(&current, span.clone(), &v.to_string()))
                    .collect();
                (path.clone(), friendly(&message), tries)
            };
        let name = join(&key);
        // Inside a stand-in (a whole missing section) the one problem said it all.
        if !read.stand_ins.iter().any(|s| is_within(&name, s)) {
            read.problems.push((name.clone(), problem));
        }
        read.stand_ins.push(name);
        // Keep the first stand-in after which this problem is gone: the next one is
        // elsewhere, about something else, or a key missing inside the stand-in itself.
        let same = |path2: &[Seg], message2: &str| {
            (path2 == key.as_slice() && !message2.starts_with("missing field"))
                || (path2 == path.as_slice() && message2 == message)
        };
        let moved_on = candidates.into_iter().find(|c| match attempt::<T>(c) {
            Attempt::Done(_) => true,
            Attempt::Refused(p2, m2, _) => !same(&p2, &m2),
            Attempt::Unreadable => false,
        });
        match moved_on {
            Some(c) => current = c,
            None => return read,
        }
    }
    read
}

/// Is `key` the key `outer` or one inside it?
pub fn is_within(key: &str, outer: &str) -> bool {
    key == outer || key.starts_with(&format!("{outer}.")) || key.starts_with(&format!("{outer}["))
}

enum Attempt<T> {
    Done(T),
    /// The key path the error points at, serde's message, and the refused text's span.
    Refused(Vec<Seg>, String, Range<usize>),
    Unreadable,
}

fn attempt<T: DeserializeOwned>(text: &str) -> Attempt<T> {
    let e = match toml::from_str::<T>(text) {
        Ok(v) => return Attempt::Done(v),
        Err(e) => e,
    };
    let Ok(doc) = ImDocument::parse(text) else {
        return Attempt::Unreadable;
    };
    let span = e.span().unwrap_or(0..0);
    let mut path = Vec::new();
    find_in(doc.as_table(), span.start, &mut path);
    Attempt::Refused(path, e.message().to_string(), span)
}

/// The path of the table a "missing field" error points into: the path found, or its
/// nearest ancestor that is a table.
fn table_path(text: &str, mut path: Vec<Seg>) -> Vec<Seg> {
    let Ok(doc) = ImDocument::parse(text) else {
        return Vec::new();
    };
    while !path.is_empty() {
        if table_at(doc.as_table(), &path).is_some() {
            return path;
        }
        path.pop();
    }
    path
}

/// Stand-ins to try, in order: the first variant the error names, then one of each type.
fn stand_ins(message: &str) -> Vec<Value> {
    let mut values = Vec::new();
    if let Some(variant) = quoted_after(message, "expected ") {
        values.push(Value::from(variant));
    }
    values.extend([
        Value::from(1),
        Value::from(""),
        Value::from(false),
        Value::from(0.5),
        Value::from("2000-01-01"),
        Value::Array(Default::default()),
        Value::InlineTable(Default::default()),
    ]);
    values
}

fn replace(text: &str, span: Range<usize>, with: &str) -> String {
    let mut s = String::with_capacity(text.len());
    s.push_str(&text[..span.start.min(text.len())]);
    s.push_str(with.trim());
    s.push_str(&text[span.end.min(text.len())..]);
    s
}

/// Applies `change` to the table at `path` in `text`; `None` if there is no such table.
fn edit(text: &str, path: &[Seg], change: impl FnOnce(&mut dyn TableLike)) -> Option<String> {
    let mut doc: DocumentMut = text.parse().ok()?;
    let table = table_mut(doc.as_table_mut(), path)?;
    change(table);
    Some(doc.to_string())
}

/// The text between the first pair of backticks after `after`, if the message has one.
fn quoted_after(message: &str, after: &str) -> Option<String> {
    let rest = &message[message.find(after)? + after.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(rest[..rest.find('`')?].to_string())
}

fn expected_keys(message: &str) -> Option<&str> {
    let i = message.find("expected one of ")?;
    Some(&message[i + "expected one of ".len()..])
}

/// serde's wording, for people: integer sizes become ranges.
fn friendly(message: &str) -> String {
    let mut m = message.to_string();
    for (ty, range) in [
        ("u8", "a whole number from 0 to 255"),
        ("u16", "a whole number from 0 to 65535"),
        ("u32", "a whole number from 0 to 4294967295"),
        ("u64", "a whole number from 0 up"),
    ] {
        m = m.replace(&format!("expected {ty}"), &format!("expected {range}"));
    }
    m
}

/// "key (line N): message", in the file's order.
pub fn with_lines(
    doc: &toml_edit::ImDocument<&str>,
    text: &str,
    problems: Vec<(String, String)>,
) -> Vec<String> {
    let mut lines: Vec<(Option<usize>, String)> = problems
        .into_iter()
        .map(|(key, message)| {
            let line = (!key.is_empty())
                .then(|| line_of(doc, text, &key))
                .flatten();
            let text = match (key.is_empty(), line) {
                (true, _) => message,
                (false, Some(n)) => format!("{key} (line {n}): {message}"),
                (false, None) => format!("{key}: {message}"),
            };
            (line, text)
        })
        .collect();
    lines.sort_by_key(|(line, _)| line.unwrap_or(usize::MAX));
    lines.into_iter().map(|(_, text)| text).collect()
}

/// A checklist file's first problem, by line.
pub fn toml_problem(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => format!(
            "line {}: {}",
            text[..span.start.min(text.len())].matches('\n').count() + 1,
            e.message()
        ),
        None => e.message().to_string(),
    }
}

pub fn syntax_problem(text: &str, e: &toml_edit::TomlError) -> String {
    match e.span() {
        Some(span) => format!(
            "line {}: not valid TOML: {}",
            text[..span.start.min(text.len())].matches('\n').count() + 1,
            e.message().trim()
        ),
        None => format!("not valid TOML: {}", e.message().trim()),
    }
}
