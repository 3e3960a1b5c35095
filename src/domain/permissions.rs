//! Who may do what (DOMAIN.md, "Roles and who may do what"), as one pure function of the
//! actor's capacities, the case and the action. Checked on every action, whatever the
//! front end showed or hid.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::approvals::Approver;
use super::case::{Case, MoveKind};
use super::command::ActionKind;
use super::ids::{RoleId, SchoolKey, UserId};
use super::refusal::Refusal;

/// A partnership role, as granted by one or more Discord roles.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    Head(SchoolKey),
    Staff(SchoolKey),
    Coordinator,
    Seip,
    Admin,
}

/// Someone acting: their user ID and what their roles make them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user: UserId,
    pub capacities: Vec<Capacity>,
}

impl Actor {
    pub fn heads(&self, school: &SchoolKey) -> bool {
        self.capacities.contains(&Capacity::Head(school.clone()))
    }

    pub fn staffs(&self, school: &SchoolKey) -> bool {
        self.capacities.contains(&Capacity::Staff(school.clone()))
    }

    pub fn is(&self, capacity: &Capacity) -> bool {
        self.capacities.contains(capacity)
    }

    /// Schools on this case that the actor heads, home first.
    pub fn headed_schools_on(&self, case: &Case) -> Vec<SchoolKey> {
        [&case.home, &case.destination]
            .into_iter()
            .filter(|s| self.heads(s))
            .cloned()
            .collect()
    }

    /// A head or staff of either school on the case.
    pub fn works_at_either(&self, case: &Case) -> bool {
        [&case.home, &case.destination]
            .into_iter()
            .any(|s| self.heads(s) || self.staffs(s))
    }

    /// Any partnership role at all; people with none get one short refusal for everything.
    pub fn has_any_role(&self) -> bool {
        !self.capacities.is_empty()
    }
}

/// Discord role IDs mapped to partnership capacities, from config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleMap {
    pub roles: BTreeMap<RoleId, Vec<Capacity>>,
}

impl RoleMap {
    pub fn grant(&mut self, role: RoleId, capacity: Capacity) {
        self.roles.entry(role).or_default().push(capacity);
    }

    pub fn actor(&self, user: UserId, roles: &[RoleId]) -> Actor {
        let mut capacities: Vec<Capacity> = roles
            .iter()
            .filter_map(|r| self.roles.get(r))
            .flatten()
            .cloned()
            .collect();
        capacities.sort();
        capacities.dedup();
        Actor { user, capacities }
    }

    /// The role IDs that grant a capacity (for mentioning, e.g. the SEIP role).
    pub fn roles_for(&self, capacity: &Capacity) -> Vec<RoleId> {
        self.roles
            .iter()
            .filter(|(_, caps)| caps.contains(capacity))
            .map(|(role, _)| *role)
            .collect()
    }
}

pub const NO_ROLE: &str =
    "You don't have a partnership role on this server. Ask a coordinator if you need one.";

/// May this actor see this case at all? A head or staff of school X never sees a case that
/// does not involve X; SEIP members see managed transfers and the cases whose extra
/// approval is theirs; coordinators see everything.
pub fn can_view(actor: &Actor, case: &Case) -> bool {
    actor.is(&Capacity::Coordinator)
        || actor.works_at_either(case)
        || (actor.is(&Capacity::Seip) && case.kind == MoveKind::ManagedTransfer)
        || (actor.is(&Capacity::Seip) && case.approval_asked == Some(Approver::Seip))
}

/// May this person be a member of the case's private thread? Exactly those who may see the
/// case: its schools' heads and staff, coordinators (who see every case), and SEIP members
/// for a managed transfer. Admins are not: theirs is configuration, not cases. The bot adds
/// them when the thread is made and when they act, and takes out, once a day, anyone whose
/// roles no longer pass this.
pub fn may_join_thread(actor: &Actor, case: &Case) -> bool {
    can_view(actor, case)
}

/// May this actor propose a move from `home`?
pub fn can_propose(actor: &Actor, home: &SchoolKey) -> Result<(), Refusal> {
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    if actor.heads(home) {
        Ok(())
    } else {
        Err(Refusal::not_permitted(
            "Only the head of the home school can propose a move from it.",
        ))
    }
}

/// May this actor take `action` on `case`? A case the actor may not see is reported as not
/// found, so a refusal never confirms that it exists.
pub fn authorize(actor: &Actor, case: &Case, action: ActionKind) -> Result<(), Refusal> {
    use ActionKind as A;
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    if !can_view(actor, case) {
        return Err(Refusal::case_not_found(case.reference));
    }
    let any_head = !actor.headed_schools_on(case).is_empty();
    let coordinator = actor.is(&Capacity::Coordinator);
    let (allowed, who) = match action {
        A::View => (true, ""),
        A::Accept | A::Decline => (
            actor.heads(&case.destination),
            "Only the destination school's head can accept or decline this proposal.",
        ),
        A::Withdraw => (
            actor.heads(&case.home),
            "Only the home school's head can withdraw this proposal.",
        ),
        A::Terminate => (
            actor.heads(&case.destination),
            "Only the destination school's head can end the move early.",
        ),
        A::PanelDecide => (
            actor.is(&Capacity::Seip),
            "Only SEIP panel members can record the panel's decision.",
        ),
        A::ScheduleMeeting | A::RescheduleReview => (
            any_head || coordinator,
            "Only the heads of the two schools or a coordinator can schedule meetings and reviews.",
        ),
        // Coordinators send reminders (DOMAIN.md); the heads may put off their own.
        A::SnoozeReminder => (
            any_head || coordinator,
            "Only the heads of the two schools or a coordinator can snooze a reminder.",
        ),
        A::RecordParentConsent
        | A::UpdateNeeds
        | A::RecordPupilConsent
        | A::RecordEhcpAmendment
        | A::RecordVirtualSchool
        | A::RecordAgreement
        | A::SignAgreement
        | A::StartMove
        | A::RecordOutcome
        | A::BringFinalReviewForward => (
            any_head,
            "Only the heads of the two schools can record consents, the agreement and decisions.",
        ),
        A::RateChecklist
        | A::LogCheckIn
        | A::RecordReview
        | A::RecordReviewDetails
        | A::RecordReviewAttendees => (
            actor.works_at_either(case),
            "Only heads and staff of the two schools can update the checklist, check-ins and reviews.",
        ),
        A::Extend => (
            any_head,
            "Only the heads of the two schools can extend a placement.",
        ),
        A::RecordReviewRequest => (
            any_head,
            "Only the heads of the two schools can record a parent's request for a review.",
        ),
        // Which of the two schools: `decide` checks the actor confirms for their own.
        A::ConfirmRegistration => (
            actor.works_at_either(case),
            "Only heads and staff of the two schools can confirm the pupil's registration.",
        ),
        // The destination takes the register, so only it reports the weeks.
        A::RecordAttendance => (
            actor.heads(&case.destination) || actor.staffs(&case.destination),
            "Only the destination school's head or staff can report attendance.",
        ),
        // Either school's head or staff were there; a coordinator may have chaired it.
        A::RecordMeetingHeld | A::RecordMeetingAttendees => (
            actor.works_at_either(case) || coordinator,
            "Only heads and staff of the two schools or a coordinator can record the initial meeting.",
        ),
        // The transferring stage: the school that owns each step acts; roll changes are
        // decisions, so heads only.
        A::RecordNamedSchoolAmended => (
            any_head,
            "Only the heads of the two schools can record the local authority's amendment of the EHCP.",
        ),
        A::RecordVirtualSchoolTold => (
            actor.works_at_either(case),
            "Only heads and staff of the two schools can record that the Virtual School was told.",
        ),
        A::RecordMainRegistration => (
            actor.heads(&case.destination),
            "Only the destination school's head can make its registration the main one.",
        ),
        A::RecordRemovalFromRoll => (
            actor.heads(&case.home),
            "Only the home school's head can remove the pupil from its roll.",
        ),
        A::RecordChildProtectionFile | A::RecordTransferRecordsSent => (
            actor.heads(&case.home) || actor.staffs(&case.home),
            "Only the home school's head or staff can record the records it sent.",
        ),
        A::ConfirmChildProtectionReceipt => (
            actor.heads(&case.destination) || actor.staffs(&case.destination),
            "Only the destination school's head or staff can confirm the child-protection file arrived.",
        ),
        // Which of the two roles: `decide` checks the one the policy names.
        A::DecideExtraApproval => (
            coordinator || actor.is(&Capacity::Seip),
            "Only the coordinators or the SEIP panel can record an extra approval.",
        ),
        A::RecordExamCourses | A::ConfirmSafeguarding => (
            actor.heads(&case.destination) || actor.staffs(&case.destination),
            "Only the destination school's head or staff can record that.",
        ),
        A::RecordSafeguarding => (
            actor.heads(&case.home) || actor.staffs(&case.home),
            "Only the home school's head or staff can record the safeguarding information.",
        ),
        A::RecordLocalAuthorityConsent => (
            any_head,
            "Only the heads of the two schools can record consents, the agreement and decisions.",
        ),
        // A decision: the home head, who heard it from the parent.
        A::RecordConsentWithdrawn => (
            actor.heads(&case.home),
            "Only the home school's head can record that the parent withdrew consent.",
        ),
        // The home school takes the pupil back, so it owns the meeting and the plan.
        A::RecordReintegrationMeeting | A::RecordReintegrationPlan => (
            actor.heads(&case.home) || actor.staffs(&case.home),
            "Only the home school's head or staff can record the reintegration meeting and plan.",
        ),
        // Which of the two schools: `decide` checks the actor records their own.
        A::EndRegistration => (
            actor.works_at_either(case),
            "Only heads and staff of the two schools can record their register change.",
        ),
        // The school now responsible for the pupil. Before there is one (an open case) the
        // stage check says why not, to either school's people.
        A::RecordFollowUp => (
            match super::returning::responsible_school(case) {
                Some(s) => actor.heads(s) || actor.staffs(s),
                None => actor.works_at_either(case),
            },
            "Only the head or staff of the school now responsible for the pupil can record the follow-up.",
        ),
        // The home school gives the family its copy and the notice (DOMAIN.md).
        A::RecordParentCopy | A::RecordNotice => (
            actor.heads(&case.home),
            "Only the home school's head can record what was given to the family.",
        ),
        // Coordinators track every case, so one of them owns each.
        A::TakeLead => (coordinator, "Only coordinators can lead a case."),
        A::AskReopen => (
            coordinator,
            "Only coordinators can ask to reopen a closed case.",
        ),
        // Which of the two schools: `decide` checks the one whose action closed the case.
        A::ConfirmReopen => (
            any_head,
            "Only a head of the school whose action closed the case can confirm reopening it.",
        ),
        // Coordinators track every case and chase what is overdue (issue 15).
        A::PingOwner => (
            coordinator,
            "Only coordinators can ping the owner of an overdue step.",
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::not_permitted(who))
    }
}

/// Configuration, backups and retention are for admins only.
pub fn require_admin(actor: &Actor) -> Result<(), Refusal> {
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    if actor.is(&Capacity::Admin) {
        Ok(())
    } else {
        Err(Refusal::not_permitted(
            "Only the partnership's admins can do that.",
        ))
    }
}

/// Whose figures an actor may see: coordinators the whole partnership (`None`), a head
/// their own schools' (both, for a head of two schools).
pub fn stats_scope(actor: &Actor) -> Result<Option<Vec<SchoolKey>>, Refusal> {
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    if actor.is(&Capacity::Coordinator) {
        return Ok(None);
    }
    let headed: Vec<SchoolKey> = actor
        .capacities
        .iter()
        .filter_map(|c| match c {
            Capacity::Head(school) => Some(school.clone()),
            _ => None,
        })
        .collect();
    if headed.is_empty() {
        return Err(Refusal::not_permitted(
            "Statistics are for coordinators, and for heads about their own school.",
        ));
    }
    Ok(Some(headed))
}

/// A whole case's record (a subject access request) is exported by coordinators, who see
/// every case (DOMAIN.md: "exports and statistics"). Not admins: theirs is configuration,
/// backups and retention, and a record holds notes meant only for people with a role on
/// the case.
pub fn can_export(actor: &Actor) -> Result<(), Refusal> {
    if !actor.has_any_role() {
        return Err(Refusal::not_permitted(NO_ROLE));
    }
    if actor.is(&Capacity::Coordinator) {
        Ok(())
    } else {
        Err(Refusal::not_permitted(
            "Only coordinators can export a whole case record.",
        ))
    }
}
