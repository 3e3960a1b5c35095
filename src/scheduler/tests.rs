//! The words of reminders and digests: what is due and overdue, never the pupil.

use super::*;
use crate::domain::reminders::{ReminderKind, ReminderSettings};
use crate::domain::testkit::{day, partnership, CaseBuilder};
use crate::domain::Case;

fn active() -> Case {
    CaseBuilder::proposed().accepted().agreed().active().build()
}

#[test]
fn the_digest_lists_what_is_due_today_then_what_is_overdue() {
    let (case, p, s) = (active(), partnership(), ReminderSettings::default());
    let midpoint = case.agreement.as_ref().unwrap().midpoint_review;
    assert_eq!(midpoint, day(2026, 12, 15));
    let today = digest_lines(std::slice::from_ref(&case), p, &s, midpoint);
    assert!(today.contains(&"**Due today**".to_string()), "{today:?}");
    assert!(today
        .iter()
        .any(|l| l.contains("MM-2026-0001") && l.contains("midpoint review today")));

    let later = digest_lines(std::slice::from_ref(&case), p, &s, day(2026, 12, 17));
    let overdue = later
        .iter()
        .position(|l| l == "**Overdue**")
        .expect("an overdue section");
    assert!(later[overdue..]
        .iter()
        .any(|l| l.contains("midpoint review not recorded since Tue 15 Dec")));
    let quiet = digest_lines(&[], p, &s, midpoint);
    assert_eq!(quiet, ["Nothing due today and nothing overdue."]);
    let weekly = weekly_lines(std::slice::from_ref(&case), p, &s, day(2026, 12, 11));
    assert!(weekly[0].starts_with("**Open cases:** 1"), "{weekly:?}");
    assert!(
        weekly
            .iter()
            .any(|l| l.contains("Tue 15 Dec midpoint review today")),
        "{weekly:?}"
    );
}

#[test]
fn no_reminder_names_the_pupil() {
    let (case, p) = (active(), partnership());
    let initials = case.pupil.initials.as_str().to_string();
    for kind in ReminderKind::CASE_KINDS {
        let text = reminder_text(kind, "overdue_final_review", &case, p, day(2026, 12, 15));
        assert!(text.contains("MM-2026-0001"), "{text}");
        assert!(!text.contains(&initials), "{text}");
    }
    let lines = digest_lines(
        std::slice::from_ref(&case),
        p,
        &ReminderSettings::default(),
        day(2026, 12, 15),
    );
    assert!(lines.iter().all(|l| !l.contains(&initials)));
}

#[test]
fn review_notices_say_whom_else_to_invite_for_an_ehcp_or_looked_after_pupil() {
    let p = partnership();
    let notice = |case: &Case| {
        reminder_text(
            ReminderKind::FinalReviewNotice,
            "final_review_notice",
            case,
            p,
            day(2027, 1, 5),
        )
    };
    let plain = notice(&active());
    assert!(
        !plain.contains("SEN team") && !plain.contains("Virtual School"),
        "{plain}"
    );
    let ehcp = CaseBuilder::new()
        .ehcp()
        .propose()
        .accepted()
        .agreed()
        .active()
        .build();
    assert!(
        notice(&ehcp).contains("the local authority's SEN team"),
        "{}",
        notice(&ehcp)
    );
    let lac = CaseBuilder::new()
        .looked_after()
        .propose()
        .accepted()
        .agreed()
        .active()
        .build();
    let text = notice(&lac);
    assert!(
        text.contains("the Virtual School and the social worker"),
        "{text}"
    );
    assert!(!text.contains("SEN team"), "{text}");
}

#[test]
fn the_digest_lists_each_step_of_a_return_overdue_until_it_is_recorded() {
    use crate::domain::testkit::head_of;
    use crate::domain::ActionKind;
    let b = CaseBuilder::proposed()
        .accepted()
        .agreed()
        .active()
        .terminating();
    let plan =
        crate::domain::testkit::sample_action(ActionKind::RecordReintegrationPlan, b.today());
    let b = b.act(&head_of(crate::domain::testkit::HOME), plan.unwrap());
    let lines = digest_lines(
        std::slice::from_ref(b.case()),
        partnership(),
        &ReminderSettings::default(),
        day(2026, 12, 2),
    );
    let text = lines.join("\n");
    assert!(text.contains("**Overdue**"), "{text}");
    assert!(
        text.contains("Riverside Academy: hold the reintegration meeting (`/return meeting`) · overdue since Tue 1 Dec"),
        "{text}"
    );
    assert!(
        text.contains("Riverside Academy: stop code D (`/return registered`) · overdue since"),
        "{text}"
    );
    assert!(!text.contains("reintegration plan"), "recorded: {text}");
}

#[test]
fn an_overdue_step_reads_in_one_shape_and_an_outside_bodys_asks_the_coordinators_to_chase() {
    let p = partnership();
    let case = CaseBuilder::proposed().build();
    let text = reminder_text(
        ReminderKind::StepOverdue,
        "overdue_answer_proposal",
        &case,
        p,
        day(2026, 11, 27),
    );
    assert_eq!(
        text,
        "`MM-2026-0001` ⚠️ overdue since Fri 27 Nov: Hillcrest School head: accept or decline the proposal (`/proposal accept`)."
    );
    let escalated = reminder_text(
        ReminderKind::StepEscalated,
        "escalated_answer_proposal",
        &case,
        p,
        day(2026, 11, 27),
    );
    assert!(escalated.contains("escalated, overdue since Fri 27 Nov: Hillcrest School head"));
    let ehcp = CaseBuilder::new().ehcp().propose().accepted().build();
    let la = reminder_text(
        ReminderKind::StepOverdue,
        "overdue_ehcp_amendment",
        &ehcp,
        p,
        day(2026, 12, 1),
    );
    assert!(la.contains("local authority: amend the EHCP"), "{la}");
    assert!(la.contains("Coordinators: please chase it."), "{la}");
    let la_escalated = reminder_text(
        ReminderKind::StepEscalated,
        "escalated_ehcp_amendment",
        &ehcp,
        p,
        day(2026, 12, 1),
    );
    assert!(
        la_escalated.contains("please chase it") && !la_escalated.contains("Ping"),
        "no one in Discord to ping: {la_escalated}"
    );
}

#[test]
fn the_digest_lists_escalated_steps_first_with_owner_and_days_overdue_unless_snoozed() {
    let (p, s) = (partnership(), ReminderSettings::default());
    let b = CaseBuilder::proposed();
    // Due Fri 27 Nov; overdue on Tue 1 Dec, escalated from Thu 3 Dec.
    let tuesday = digest_lines(std::slice::from_ref(b.case()), p, &s, day(2026, 12, 1));
    assert!(
        !tuesday.iter().any(|l| l.starts_with("**Escalated")),
        "{tuesday:?}"
    );
    assert!(tuesday
        .iter()
        .any(|l| l.contains("Hillcrest School head: accept or decline")
            && l.contains("overdue since Fri 27 Nov")));
    let thursday = digest_lines(std::slice::from_ref(b.case()), p, &s, day(2026, 12, 3));
    assert_eq!(thursday[0], "**Escalated: overdue, chase the owner**");
    assert!(
        thursday[1].contains("Hillcrest School head: accept or decline")
            && thursday[1].ends_with("· 4 school days overdue"),
        "{thursday:?}"
    );
    assert_eq!(
        thursday
            .iter()
            .filter(|l| l.contains("accept or decline"))
            .count(),
        1,
        "listed once: {thursday:?}"
    );
    let snoozed = b
        .at(day(2026, 12, 1).and_hms_opt(10, 0, 0).unwrap().and_utc())
        .act(
            &crate::domain::testkit::coordinator(),
            crate::domain::Action::SnoozeReminder {
                key: "answer_proposal".into(),
                until: day(2026, 12, 8),
                reason: crate::domain::testkit::text("Governors meet on the 7th."),
            },
        );
    let quiet = digest_lines(
        std::slice::from_ref(snoozed.case()),
        p,
        &s,
        day(2026, 12, 3),
    );
    assert!(
        !quiet.iter().any(|l| l.contains("accept or decline")),
        "{quiet:?}"
    );
}
