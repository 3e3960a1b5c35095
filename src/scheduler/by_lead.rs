//! The coordinators' digest split by lead (issue 15, part 4): when the open cases have
//! more than one lead (counting "no lead" as one), each lead reads their own part under
//! "Led by A. Khan", and the cases nobody leads come last under "No lead".

use std::collections::BTreeMap;

use crate::domain::{Case, UserId};

/// What the digest says when nothing is due or overdue (one part or all of them).
pub const NOTHING: &str = "Nothing due today and nothing overdue.";

/// `section`'s lines for all the cases, or, with more than one lead among the open
/// cases, for each lead's cases under a heading. A lead with nothing to read is left out.
pub fn split(cases: &[Case], section: impl Fn(&[Case]) -> Vec<String>) -> Vec<String> {
    let mut parts: BTreeMap<(bool, String, Option<UserId>), Vec<Case>> = BTreeMap::new();
    for case in cases.iter().filter(|c| !c.state.is_closed()) {
        // Leads by name, then "No lead" (`true` sorts after `false`).
        let key = match &case.lead {
            Some(lead) => (false, lead.label(), Some(lead.user)),
            None => (true, String::new(), None),
        };
        parts.entry(key).or_default().push(case.clone());
    }
    if parts.len() < 2 {
        return section(cases);
    }
    let mut out = Vec::new();
    for ((_, name, lead), part) in parts {
        let lines = section(&part);
        if lines.iter().all(|l| l == NOTHING) {
            continue;
        }
        out.push(match lead {
            Some(_) => format!("__Led by {name}__"),
            None => "__No lead__".to_string(),
        });
        out.extend(lines);
    }
    if out.is_empty() {
        out.push(NOTHING.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::domain::reminders::ReminderSettings;
    use crate::domain::testkit::{coordinator, day, partnership, CaseBuilder};
    use crate::domain::{Action, Case, CaseRef};
    use crate::scheduler::digest_lines;

    fn active(number: u32, led: bool) -> Case {
        let b = CaseBuilder::proposed().accepted().agreed().active();
        let b = if led {
            b.act(&coordinator(), Action::TakeLead { to: None })
        } else {
            b
        };
        let mut case = b.build();
        case.reference = CaseRef::new(2026, number);
        if let Some(lead) = &mut case.lead {
            lead.name = Some("A. Khan".into());
        }
        case
    }

    #[test]
    fn the_digest_is_split_by_lead_only_when_the_cases_have_more_than_one() {
        let (p, s) = (partnership(), ReminderSettings::default());
        let overdue_day = day(2026, 12, 17);
        let both = [active(1, true), active(2, false)];
        let lines = digest_lines(&both, p, &s, overdue_day);
        let led = lines.iter().position(|l| l == "__Led by A. Khan__");
        let none = lines.iter().position(|l| l == "__No lead__");
        let (led, none) = (led.expect("a lead's part"), none.expect("the unled part"));
        assert!(led < none, "{lines:?}");
        // Each case once, in its lead's part.
        let first = lines
            .iter()
            .position(|l| l.contains("MM-2026-0001"))
            .unwrap();
        let second = lines
            .iter()
            .position(|l| l.contains("MM-2026-0002"))
            .unwrap();
        assert!(led < first && first < none && none < second, "{lines:?}");
        // One lead for every case: no split.
        let one_lead = [active(1, true), active(3, true)];
        let lines = digest_lines(&one_lead, p, &s, overdue_day);
        assert!(lines.iter().all(|l| !l.starts_with("__")), "{lines:?}");
        // The digest's own headings come first (escalated steps, then overdue ones).
        assert_eq!(lines[0], "**Escalated: overdue, chase the owner**");
        assert!(lines.contains(&"**Overdue**".to_string()), "{lines:?}");
    }
}
