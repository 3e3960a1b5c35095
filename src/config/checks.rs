//! Mistakes that parse but would expose cases: one Discord role given two capacities, two
//! channels that are one, and the bot's token sent in clear to another machine.

/// `(key, id)` pairs, e.g. `("schools[0].staff_role", 900…)`: an ID under two keys is a
/// problem at the second (a coordinator role pasted as a school's staff role would give
/// every coordinator that school's staff rights, or the reverse).
pub fn one_capacity_per_role(entries: &[(String, u64)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, (key, id)) in entries.iter().enumerate() {
        let earlier = entries[..i]
            .iter()
            .find(|(k, other)| other == id && k != key);
        if let Some((first, _)) = earlier {
            problems.push(format!(
                "{key}: role `{id}` is also {first}; give each capacity its own role"
            ));
        }
    }
    problems
}

/// The board, the SEIP channel and the case threads' channel must be three channels: the
/// SEIP panel's channel doubling as the board would show every case to the panel.
pub fn distinct_channels(entries: &[(&str, u64)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (i, (key, id)) in entries.iter().enumerate() {
        if let Some((first, _)) = entries[..i].iter().find(|(_, other)| other == id) {
            problems.push(format!(
                "{key}: channel `{id}` is also {first}; each needs its own channel"
            ));
        }
    }
    problems
}

/// `discord.api_base` carries the token: plain http only to this machine (a local fake).
pub fn api_base(url: &str) -> Option<String> {
    if url.starts_with("https://") {
        return None;
    }
    let Some(rest) = url.strip_prefix("http://") else {
        return Some("discord.api_base: must be an https:// URL".into());
    };
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| {
        format!(
            "discord.api_base: `{url}` would send the bot's token unencrypted; use https://, or http:// only to this machine (127.0.0.1, localhost, [::1])"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_role_in_two_capacities_is_named_by_both_keys() {
        let entries = vec![
            ("schools[0].head_role".to_string(), 11),
            ("schools[0].staff_role".to_string(), 12),
            ("roles.coordinator".to_string(), 12),
            ("roles.coordinator".to_string(), 13),
            ("roles.coordinator".to_string(), 13),
        ];
        assert_eq!(
            one_capacity_per_role(&entries),
            vec!["roles.coordinator: role `12` is also schools[0].staff_role; give each capacity its own role"]
        );
    }

    #[test]
    fn two_channels_with_one_id_are_refused() {
        let problems = distinct_channels(&[
            ("discord.case_threads_channel_id", 1),
            ("discord.board_channel_id", 2),
            ("discord.seip_channel_id", 2),
        ]);
        assert_eq!(
            problems,
            vec!["discord.seip_channel_id: channel `2` is also discord.board_channel_id; each needs its own channel"]
        );
    }

    #[test]
    fn plain_http_only_to_this_machine() {
        for ok in [
            "https://discord.com",
            "http://127.0.0.1:8080",
            "http://localhost:3000/",
            "http://[::1]:9",
            "http://127.0.0.2",
        ] {
            assert_eq!(api_base(ok), None, "{ok}");
        }
        for bad in [
            "http://discord.com",
            "http://10.0.0.5:8080",
            "http://localhost.evil.example",
            "ftp://x",
        ] {
            let problem = api_base(bad).unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(problem.starts_with("discord.api_base: "), "{problem}");
        }
    }
}
