//! The transferring stage on the case card (each step, done or due) and the board (the next
//! step). The safeguarding lead's name is staff, shown only on the card, to people with a
//! role on the case.

use chrono::NaiveDate;

use crate::domain::transfer::{steps, Step};
use crate::domain::Case;

use super::{defuse, Card};

fn day(d: NaiveDate) -> String {
    d.format("%a %-d %b %Y").to_string()
}

/// What was recorded, shortened so the field stays within Discord's limit whatever was
/// typed as the safeguarding lead's name.
const DONE_CHARS: usize = 200;

fn short(text: &str) -> String {
    let cut: String = text.chars().take(DONE_CHARS).collect();
    let more = if text.chars().count() > DONE_CHARS {
        "…"
    } else {
        ""
    };
    format!("{}{more}", defuse(&cut))
}

fn line(step: &Step) -> String {
    match (&step.done, step.due) {
        (Some(done), _) => format!("✓ {}: {}", step.label, short(done)),
        (None, Some(due)) => format!("… {}: due {}", step.label, day(due)),
        (None, None) => format!("… {}", step.label),
    }
}

/// One field listing every step of the transfer, once it has begun.
pub(super) fn fields(card: &mut Card, case: &Case) {
    let Some(t) = &case.transfer else {
        return;
    };
    let mut lines = vec![format!(
        "Both heads confirmed on {}; the roll change is never earlier.",
        day(t.begun_on)
    )];
    lines.extend(steps(case).iter().map(line));
    card.field("Permanent transfer", lines.join("\n"), false);
}

#[cfg(test)]
mod tests {
    use crate::domain::testkit::*;
    use crate::domain::{Action, ActionKind};
    use crate::view::{board, case_card};

    #[test]
    fn the_card_lists_each_step_and_the_board_the_next_one() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .permanent()
            .removed_from_roll();
        let card = case_card(b.case(), b.partnership());
        let field = card
            .fields
            .iter()
            .find(|f| f.name == "Permanent transfer")
            .expect("the transfer's field");
        assert!(field
            .value
            .contains("✓ Destination: main registration: from"));
        assert!(field
            .value
            .contains("✓ Home school: removal from roll (same date): on"));
        assert!(
            field
                .value
                .contains("… Child-protection file sent (within 5 school days): due"),
            "{}",
            field.value
        );
        let lines = board(std::slice::from_ref(b.case()), b.partnership(), b.today());
        assert!(
            lines[0]
                .text
                .contains("**Riverside Academy: send any child-protection file**"),
            "{}",
            lines[0].text
        );
    }

    #[test]
    fn a_long_name_for_the_safeguarding_lead_keeps_the_field_within_discords_limit() {
        let b = CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .permanent()
            .removed_from_roll()
            .step_as_home_staff(ActionKind::RecordChildProtectionFile);
        let on = b.today();
        let b = b.act(
            &staff_of(DESTINATION),
            Action::ConfirmChildProtectionReceipt {
                on,
                lead: text(&"Lead ".repeat(190)),
            },
        );
        let card = case_card(b.case(), b.partnership());
        let field = card
            .fields
            .iter()
            .find(|f| f.name == "Permanent transfer")
            .expect("the transfer's field");
        assert!(field.value.contains('…'));
        assert!(field.value.chars().count() <= 1024, "{}", field.value.len());
    }
}
