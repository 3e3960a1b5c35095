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

/// One step of a key path: `schools[2].head_role` is Key, Index, Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Problems found past the first, at most (a file that bad needs rewriting, not a list).
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
    while read.problems.len() < MAX_PROBLEMS {
        let (path, message, span) = match attempt::<T>(&current) {
            Attempt::Done(v) => {
                read.value = Some(v);
                return read;
            }
            Attempt::Refused(path, message, span) => (path, message, span),
            Attempt::Unreadable => return read,
        };
        let (key, candidates) = if let Some(name) = quoted_after(&message, "unknown field ") {
            let parent = &path[..path.len().saturating_sub(1)];
            let hint = expected_keys(&message)
                .map(|k| format!("; the keys here are {k}"))
                .unwrap_or_default();
            read.problems
                .push((join(&path), format!("unknown key `{name}`{hint}")));
            let removed = edit(&current, parent, |t| {
                t.remove(&name);
            });
            (path.clone(), removed.into_iter().collect::<Vec<_>>())
        } else if let Some(name) = quoted_after(&message, "missing field ") {
            // The error points into the table that lacks the key.
            let table = table_path(&current, path.clone());
            let mut full = table.clone();
            full.push(Seg::Key(name.clone()));
            read.problems.push((join(&full), "missing; add it".into()));
            let tries = stand_ins(&message)
                .into_iter()
                .filter_map(|v| {
                    edit(&current, &table, |t| {
                        t.insert(&name, Item::Value(v));
                    })
                })
                .collect();
            (full, tries)
        } else {
            read.problems.push((join(&path), friendly(&message)));
            let tries = stand_ins(&message)
                .into_iter()
                .map(|v| replace(&current, span.clone(), &v.to_string()))
                .collect();
            (path.clone(), tries)
        };
        read.stand_ins.push(join(&key));
        // Keep the first stand-in after which this problem is gone (the next one, if any,
        // is somewhere else or about something else).
        let same = |path2: &[Seg], message2: &str| {
            path2 == key.as_slice() || (path2 == path.as_slice() && message2 == message)
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

fn seg_key(s: &Seg) -> &str {
    match s {
        Seg::Key(k) => k,
        Seg::Index(_) => "",
    }
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

fn table_mut<'a>(table: &'a mut dyn TableLike, path: &[Seg]) -> Option<&'a mut dyn TableLike> {
    let Some((first, rest)) = path.split_first() else {
        return Some(table);
    };
    let item = table.get_mut(seg_key(first))?;
    match rest.split_first() {
        Some((Seg::Index(i), rest)) => match item {
            Item::ArrayOfTables(a) => table_mut(a.get_mut(*i)?, rest),
            Item::Value(Value::Array(a)) => table_mut(a.get_mut(*i)?.as_inline_table_mut()?, rest),
            _ => None,
        },
        _ => table_mut(item.as_table_like_mut()?, rest),
    }
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

pub fn join(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// `schools[2].head_role` as segments.
pub fn split(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            segs.push(Seg::Key(key.to_string()));
        }
        for index in pieces {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                segs.push(Seg::Index(i));
            }
        }
    }
    segs
}

fn contains(span: Option<Range<usize>>, at: usize) -> bool {
    span.is_some_and(|s| s.start <= at && at < s.end.max(s.start + 1))
}

/// Fills `path` with the deepest key whose key or value holds position `at`.
fn find_in(table: &dyn TableLike, at: usize, path: &mut Vec<Seg>) -> bool {
    for (key, item) in table.iter() {
        path.push(Seg::Key(key.to_string()));
        let on_key = table.key(key).is_some_and(|k| contains(k.span(), at));
        if on_key || find_item(item, at, path) {
            return true;
        }
        path.pop();
    }
    false
}

fn find_item(item: &Item, at: usize, path: &mut Vec<Seg>) -> bool {
    match item {
        Item::Table(t) => find_in(t, at, path) || contains(t.span(), at),
        Item::ArrayOfTables(a) => a.iter().enumerate().any(|(i, t)| {
            path.push(Seg::Index(i));
            let found = find_in(t, at, path) || contains(t.span(), at);
            if !found {
                path.pop();
            }
            found
        }),
        Item::Value(v) => find_value(v, at, path),
        Item::None => false,
    }
}

fn find_value(v: &Value, at: usize, path: &mut Vec<Seg>) -> bool {
    match v {
        Value::Array(a) => {
            let inside = a.iter().enumerate().any(|(i, v)| {
                path.push(Seg::Index(i));
                let found = find_value(v, at, path);
                if !found {
                    path.pop();
                }
                found
            });
            inside || contains(a.span(), at)
        }
        Value::InlineTable(t) => find_in(t, at, path) || contains(t.span(), at),
        other => contains(other.span(), at),
    }
}

/// The table (standard, inline, or an element of an array of tables) at `path`.
fn table_at<'a>(table: &'a dyn TableLike, path: &[Seg]) -> Option<&'a dyn TableLike> {
    let Some((first, rest)) = path.split_first() else {
        return Some(table);
    };
    let item = table.get(seg_key(first))?;
    match rest.split_first() {
        Some((Seg::Index(i), rest)) => match item {
            Item::ArrayOfTables(a) => table_at(a.get(*i)?, rest),
            Item::Value(Value::Array(a)) => table_at(a.get(*i)?.as_inline_table()?, rest),
            _ => None,
        },
        _ => table_at(item.as_table_like()?, rest),
    }
}

/// The line (from 1) of the key at `path` in `text`, or of its nearest ancestor there.
pub fn line_of(doc: &ImDocument<&str>, text: &str, path: &str) -> Option<usize> {
    let mut segs = split(path);
    while !segs.is_empty() {
        if let Some(span) = span_at(doc.as_table(), &segs) {
            return Some(text[..span.start.min(text.len())].matches('\n').count() + 1);
        }
        segs.pop();
    }
    None
}

/// The span of the key (or, for an array element, the element) at `path`.
fn span_at(table: &dyn TableLike, path: &[Seg]) -> Option<Range<usize>> {
    let (first, rest) = path.split_first()?;
    let key = seg_key(first);
    let item = table.get(key)?;
    match rest.split_first() {
        None => table
            .key(key)
            .and_then(|k| k.span())
            .or_else(|| item.span()),
        Some((Seg::Index(i), rest)) => match item {
            Item::ArrayOfTables(a) => {
                let t = a.get(*i)?;
                if rest.is_empty() {
                    t.span()
                } else {
                    span_at(t, rest)
                }
            }
            Item::Value(Value::Array(a)) => {
                let v = a.get(*i)?;
                match (rest.is_empty(), v.as_inline_table()) {
                    (false, Some(t)) => span_at(t, rest),
                    _ => v.span(),
                }
            }
            _ => None,
        },
        Some(_) => span_at(item.as_table_like()?, rest),
    }
}
