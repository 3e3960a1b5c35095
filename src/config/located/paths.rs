//! Key paths in a TOML document (`schools[2].head_role`): which key a position in the text
//! belongs to, where a key is, and the table a path names, to read or to change.

use std::ops::Range;

use toml_edit::{ImDocument, Item, TableLike, Value};

/// One step of a key path: `schools[2].head_role` is Key, Index, Key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn seg_key(s: &Seg) -> &str {
    match s {
        Seg::Key(k) => k,
        Seg::Index(_) => "",
    }
}

pub fn table_mut<'a>(table: &'a mut dyn TableLike, path: &[Seg]) -> Option<&'a mut dyn TableLike> {
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
pub fn find_in(table: &dyn TableLike, at: usize, path: &mut Vec<Seg>) -> bool {
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
pub fn table_at<'a>(table: &'a dyn TableLike, path: &[Seg]) -> Option<&'a dyn TableLike> {
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
