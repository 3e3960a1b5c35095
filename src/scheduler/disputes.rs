//! Disputed outcomes in the coordinators' digest: a head's "returned" not applied because
//! the other head had confirmed "permanent", listed every school day until the heads
//! agree (which closes the case). Schools, outcomes and dates only; never the reason.

use crate::domain::{Case, Partnership};

pub(super) fn dispute_lines(cases: &[Case], p: &Partnership) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        for d in case.open_disputes() {
            let confirmed: Vec<String> = case
                .permanent_confirmations()
                .iter()
                .map(|c| {
                    format!(
                        "{} confirmed permanent on {}",
                        p.school_name(&c.school),
                        p.today(c.at).format("%a %-d %b")
                    )
                })
                .collect();
            out.push(format!(
                "`{}` {} → {} · outcome disputed: {}; {} said {} on {}",
                case.reference,
                p.school_name(&case.home),
                p.school_name(&case.destination),
                confirmed.join(", "),
                p.school_name(&d.school),
                d.outcome.short(),
                p.today(d.recorded.at).format("%a %-d %b")
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use crate::domain::reminders::ReminderSettings;
    use crate::domain::testkit::{day, head_of, partnership, text, CaseBuilder, DESTINATION, HOME};
    use crate::domain::{Action, Outcome, ReviewKind};
    use crate::scheduler::digest_lines;

    fn outcome(outcome: Outcome) -> Action {
        Action::RecordOutcome {
            outcome,
            note: text("A private reason the digest must not show."),
        }
    }

    #[test]
    fn coordinators_see_a_disputed_outcome_in_the_digest_until_the_heads_agree() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .at(Utc.with_ymd_and_hms(2027, 1, 5, 10, 0, 0).unwrap())
            .reviewed(ReviewKind::Final)
            .act(&head_of(HOME), outcome(Outcome::Permanent))
            .act(&head_of(DESTINATION), outcome(Outcome::Returned));
        let (p, s) = (partnership(), ReminderSettings::default());
        let lines = digest_lines(std::slice::from_ref(b.case()), p, &s, day(2027, 1, 6));
        let heading = lines
            .iter()
            .position(|l| l.starts_with("**Outcome disputed"))
            .unwrap_or_else(|| panic!("a disputes section: {lines:?}"));
        let line = &lines[heading + 1];
        assert!(line.contains("MM-2026-0001"), "{line}");
        assert!(line.contains("Riverside"), "{line}");
        assert!(line.contains("confirmed permanent on Wed 6 Jan"), "{line}");
        assert!(line.contains("said returned on Wed 6 Jan"), "{line}");
        assert!(lines.iter().all(|l| !l.contains("private reason")));
        let agreed = b.act(&head_of(DESTINATION), outcome(Outcome::Permanent));
        let after = digest_lines(std::slice::from_ref(agreed.case()), p, &s, day(2027, 1, 6));
        assert!(after.iter().all(|l| !l.contains("disputed")), "{after:?}");
    }
}
