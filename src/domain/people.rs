//! People by name in documents: the name and role a member had in the server at a given
//! time, from the history the bot keeps as interactions arrive (`people_names`). Staff
//! only; a pupil is never a member and never named.

use chrono::{DateTime, Utc};

use super::ids::UserId;
use super::permissions::{Actor, Capacity};
use super::Partnership;

/// A name and role seen for a user from an instant on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameSeen {
    pub user: UserId,
    pub name: String,
    pub role: String,
    pub from: DateTime<Utc>,
}

/// The names known for some users, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People(Vec<NameSeen>);

impl People {
    pub fn new(mut seen: Vec<NameSeen>) -> Self {
        seen.sort_by_key(|s| s.from);
        Self(seen)
    }

    /// "Ms R. Patel (head, Riverside Academy)" as the user was named at `at`, or
    /// "Discord user 1001" when no name was seen for them by then.
    pub fn at(&self, user: UserId, at: DateTime<Utc>) -> String {
        self.0
            .iter()
            .rfind(|s| s.user == user && s.from <= at)
            .map(|s| {
                if s.role.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} ({})", s.name, s.role)
                }
            })
            .unwrap_or_else(|| format!("Discord user {user}"))
    }
}

impl People {
    /// The name last seen for a user, without the role: "A. Khan".
    pub fn latest_name(&self, user: UserId) -> Option<&str> {
        self.0
            .iter()
            .rfind(|s| s.user == user)
            .map(|s| s.name.as_str())
    }
}

/// The role an actor acts in, in words, from their capacities: "head, Riverside Academy".
pub fn role_label(actor: &Actor, p: &Partnership) -> String {
    actor
        .capacities
        .iter()
        .map(|c| match c {
            Capacity::Head(s) => format!("head, {}", p.school_name(s)),
            Capacity::Staff(s) => format!("staff, {}", p.school_name(s)),
            Capacity::Coordinator => "coordinator".to_string(),
            Capacity::Seip => "SEIP panel".to_string(),
            Capacity::Admin => "admin".to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::testkit::{head_of, now, partnership};

    #[test]
    fn a_name_is_the_one_seen_last_before_the_time_and_an_unseen_user_keeps_the_id() {
        let later = now() + chrono::Duration::days(30);
        let people = People::new(vec![
            NameSeen {
                user: UserId(7),
                name: "Mrs Jones".into(),
                role: "head, Riverside Academy".into(),
                from: later,
            },
            NameSeen {
                user: UserId(7),
                name: "Ms Smith".into(),
                role: "staff, Riverside Academy".into(),
                from: now(),
            },
        ]);
        assert_eq!(
            people.at(UserId(7), now()),
            "Ms Smith (staff, Riverside Academy)"
        );
        assert_eq!(
            people.at(UserId(7), later + chrono::Duration::hours(1)),
            "Mrs Jones (head, Riverside Academy)"
        );
        assert_eq!(
            people.at(UserId(7), now() - chrono::Duration::hours(1)),
            "Discord user 7"
        );
        assert_eq!(people.at(UserId(8), later), "Discord user 8");
    }

    #[test]
    fn the_role_label_names_the_capacity_and_the_school() {
        let label = role_label(&head_of("riverside"), partnership());
        assert_eq!(label, "head, Riverside Academy");
    }
}
