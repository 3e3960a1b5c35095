//! `managed-moves act ...`: one lifecycle command per call, parsed into a domain `Command`.

use clap::{Args, Subcommand};

use crate::domain::approvals::ExamCourses;
use crate::domain::input::{self, ProposalInput};
use crate::domain::meetings::{Attendance, Attendee};
use crate::domain::review_record::{Progress, ReviewDetails};
use crate::domain::{Action, AgreementTermsInput, CaseRef, Command, Partnership, Refusal, Text};

#[derive(Debug, Subcommand)]
pub enum ActCommand {
    /// The transferring stage after a permanent outcome: roll change and records.
    #[command(subcommand)]
    Transfer(super::transfer::TransferCommand),
    /// Propose a move from your school (you must be its head).
    Propose(ProposeArgs),
    /// Accept a proposal made to your school.
    Accept { case: String },
    /// Decline a proposal made to your school, with a reason.
    Decline {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Withdraw your school's proposal before the move starts.
    Withdraw {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Correct whether the pupil has an EHCP or is looked after, before the move starts.
    Needs {
        case: String,
        /// yes or no
        #[arg(long)]
        ehcp: String,
        /// yes or no: a looked-after child
        #[arg(long)]
        lac: String,
        #[arg(long)]
        reason: String,
    },
    /// Record the SEIP panel's decision on a managed transfer.
    Panel {
        case: String,
        /// approve or reject
        #[arg(long)]
        decision: String,
        #[arg(long)]
        reason: String,
    },
    /// Schedule the initial meeting (local time, within the school day).
    Meeting {
        case: String,
        #[arg(long)]
        at: String,
        #[arg(long)]
        place: Option<String>,
    },
    /// Record that the parent/carer agreed, freely, as heard by a named member of staff.
    ParentConsent {
        case: String,
        #[arg(long)]
        witnessed_by: String,
        #[arg(long)]
        on: String,
        /// Confirms the agreement was given freely, without pressure or threat of exclusion.
        #[arg(long)]
        freely_given: bool,
    },
    /// Record the pupil's agreement.
    PupilConsent {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the EHCP amendment that includes this move.
    EhcpAmendment {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record the Virtual School consultation for a looked-after child.
    VirtualSchool {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        contact: String,
    },
    /// Record the agreement made at the initial meeting (signs it for your school).
    Agreement(AgreementArgs),
    /// Sign the agreement for your school.
    Sign { case: String },
    /// Move a review to another date, with a reason.
    Reschedule {
        case: String,
        #[arg(long)]
        review: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        reason: String,
    },
    /// Start the move (dual registration) once every gate is recorded.
    Start {
        case: String,
        #[arg(long)]
        on: Option<String>,
    },
    /// Confirm one school's side of the dual registration (destination: subsidiary
    /// registration; home: code D), with the day it told the local authority.
    Registered {
        case: String,
        /// The school confirming (yours; needed only if you work at both).
        #[arg(long)]
        school: Option<String>,
        /// The first day the register shows the change.
        #[arg(long)]
        from: String,
        /// The day the school notified the local authority.
        #[arg(long)]
        la_notified: String,
    },
    /// Rate a checklist item red, amber or green.
    Rate {
        case: String,
        #[arg(long)]
        item: String,
        #[arg(long)]
        rating: String,
        #[arg(long)]
        comment: Option<String>,
    },
    /// Log a check-in with the pupil.
    CheckIn {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        note: String,
    },
    /// Record the midpoint or final review.
    Review {
        case: String,
        #[arg(long)]
        review: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        notes: String,
    },
    /// Record the outcome after the final review: permanent (both heads confirm) or returned.
    Outcome {
        case: String,
        #[arg(long)]
        outcome: String,
        #[arg(long)]
        note: String,
    },
    /// End an active move early (destination head only); the pupil returns home.
    Terminate {
        case: String,
        #[arg(long)]
        reason: String,
    },
    /// Put off one of the case's reminders (see `dates CASE` for their keys) until a day.
    Snooze {
        case: String,
        /// The reminder's key, e.g. final_review or check_in_3.
        #[arg(long)]
        reminder: String,
        #[arg(long)]
        until: String,
        #[arg(long)]
        reason: String,
    },
    /// Extend an active placement by some weeks (both heads: the second agrees with the same weeks).
    Extend {
        case: String,
        #[arg(long)]
        weeks: i64,
        #[arg(long)]
        reason: String,
    },
    /// Record that the parent/carer asked for a review (either head).
    ReviewRequested {
        case: String,
        #[arg(long)]
        on: String,
    },
    /// Report a school week's attendance (destination head or staff); again to correct it.
    Attendance(AttendanceArgs),
    /// Record the initial meeting as held, with who came (heads, staff or a coordinator).
    MeetingHeld {
        case: String,
        /// The day it was held (not in the future).
        #[arg(long)]
        on: String,
        /// Who came, comma-separated: parent, home-staff, destination-staff, champion,
        /// la-sen, virtual-school, social-worker, other.
        #[arg(long)]
        attendees: String,
        /// Whether the pupil was there: whole, part or none.
        #[arg(long)]
        pupil: String,
        /// Positives aired at the meeting.
        #[arg(long)]
        positives: Option<String>,
        /// Concerns aired at the meeting.
        #[arg(long)]
        concerns: Option<String>,
    },
    /// Record a recorded review's details: who came, progress on each target, the views.
    ReviewDetails {
        case: String,
        /// midpoint or final
        #[arg(long)]
        review: String,
        /// Who came, comma-separated (as for meeting-held).
        #[arg(long)]
        attendees: String,
        /// Whether the pupil was there: whole, part or none.
        #[arg(long)]
        pupil: String,
        /// Progress on each of the agreement's targets in order: met, partly or not-met.
        #[arg(long)]
        targets: String,
        #[arg(long)]
        parent_view: Option<String>,
        #[arg(long)]
        pupil_view: Option<String>,
        /// Who was invited among la-sen, virtual-school, social-worker (comma-separated).
        #[arg(long, default_value = "")]
        invited: String,
    },
    /// Hold the final review before the placement's last week (both heads ask for the day).
    ForwardFinal {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        reason: String,
    },
    /// Record the extra approval for a move in an exam year (the role the policy names).
    Approval {
        case: String,
        /// approve or decline
        #[arg(long)]
        decision: String,
        /// Needed to decline; shared with both schools.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Record whether the pupil's exam courses can continue (destination head or staff).
    ExamCourses {
        case: String,
        /// yes, partly or no
        #[arg(long)]
        continues: String,
        /// Needed unless yes: which cannot continue, and what happens instead.
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that the home school's safeguarding lead shared what the destination needs
    /// to know (home head or staff). Never the information itself.
    SafeguardingShared {
        case: String,
        /// The designated safeguarding lead who shared it.
        #[arg(long)]
        dsl: String,
        #[arg(long)]
        on: String,
        /// There was nothing to share.
        #[arg(long)]
        nothing_to_share: bool,
    },
    /// Confirm the destination received the safeguarding information (destination head or staff).
    SafeguardingConfirmed { case: String },
    /// Record a looked-after child's consent from the local authority, through the social worker.
    LaConsent {
        case: String,
        #[arg(long)]
        social_worker: String,
        #[arg(long)]
        on: String,
        /// yes or no: the parents share parental responsibility (their agreement is needed too)
        #[arg(long)]
        parents_share: String,
    },
    #[command(flatten)]
    Returning(super::act_returning::ReturningCommand),
    #[command(flatten)]
    Lead(super::act_lead::LeadCommand),
    /// Record when and how the parent/carer was given their copy of the agreement (home head).
    CopyGiven {
        case: String,
        #[arg(long)]
        on: String,
        /// How it was given: by hand, posted, emailed.
        #[arg(long)]
        how: String,
    },
    /// Record when and how the written notice of an off-site direction was given (home head).
    NoticeGiven {
        case: String,
        #[arg(long)]
        on: String,
        #[arg(long)]
        how: String,
        /// EHCP pupil: the day the local authority was given notice.
        #[arg(long)]
        la_notified: Option<String>,
    },
    /// Ping the owner of an overdue step in the case thread (coordinators). The step's key
    /// is the one its overdue reminder names (`overdue_<step>`), e.g. sign_agreement_hillcrest.
    Ping {
        case: String,
        #[arg(long)]
        step: String,
    },
}

#[derive(Debug, Args)]
pub struct ProposeArgs {
    /// Your school's key (the home school).
    #[arg(long)]
    pub from: String,
    /// The destination school's key.
    #[arg(long)]
    pub to: String,
    /// The pupil's initials only, e.g. J.S.
    #[arg(long)]
    pub initials: String,
    #[arg(long)]
    pub year: i64,
    /// exclusion or attendance
    #[arg(long)]
    pub reason: String,
    /// What has been tried already.
    #[arg(long)]
    pub tried: String,
    /// yes: a managed move; no: a managed transfer (needs the SEIP panel).
    #[arg(long, default_value = "yes")]
    pub return_possible: String,
    #[arg(long, default_value = "no")]
    pub ehcp: String,
    /// Looked-after child.
    #[arg(long, default_value = "no")]
    pub lac: String,
    /// The eight suitability answers in order, e.g. yes,yes,unsure,yes,yes,yes,yes,yes
    #[arg(long)]
    pub answers: String,
    /// A note on a question, as N=text (repeatable), e.g. --note "3=bus pass arranged"
    #[arg(long = "note")]
    pub notes: Vec<String>,
    /// The pupil's attendance last term, in percent, e.g. 82.5
    #[arg(long)]
    pub baseline: Option<f64>,
}

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    pub case: String,
    /// Any day of the school week reported, e.g. 2026-11-23
    #[arg(long)]
    pub week: String,
    /// Possible sessions that week (two a school day)
    #[arg(long, allow_negative_numbers = true)]
    pub possible: i64,
    #[arg(long, allow_negative_numbers = true)]
    pub attended: i64,
    #[arg(long, allow_negative_numbers = true)]
    pub authorised: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub unauthorised: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub late: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub incidents: Option<i64>,
    #[arg(long, allow_negative_numbers = true)]
    pub suspensions: Option<i64>,
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct AgreementArgs {
    pub case: String,
    #[arg(long)]
    pub start: String,
    #[arg(long)]
    pub weeks: i64,
    #[arg(long)]
    pub targets: String,
    #[arg(long)]
    pub champion: String,
    /// What happens if the move does not work out.
    #[arg(long)]
    pub if_fails: String,
}

impl ActCommand {
    pub fn into_command(self, p: &Partnership) -> Result<Command, Refusal> {
        use ActCommand as C;
        let case_action = |case: &str, action: Action| -> Result<Command, Refusal> {
            Ok(Command::Case {
                reference: CaseRef::parse(case)?,
                action,
            })
        };
        let text = Text::parse;
        match self {
            C::Transfer(t) => {
                let (case, action) = t.into_action()?;
                case_action(&case, action)
            }
            C::Propose(a) => {
                let notes = a
                    .notes
                    .iter()
                    .map(|n| {
                        let (num, text) = n.split_once('=').ok_or_else(|| {
                            Refusal::invalid(
                                "note",
                                "Write notes as N=text, e.g. 3=bus pass arranged.",
                            )
                        })?;
                        let num = num.trim().parse::<usize>().map_err(|_| {
                            Refusal::invalid("note", "A note starts with the question number 1-8.")
                        })?;
                        Ok((num, text.to_string()))
                    })
                    .collect::<Result<Vec<_>, Refusal>>()?;
                let input = ProposalInput {
                    home: a.from,
                    destination: a.to,
                    initials: a.initials,
                    year: a.year,
                    reason: a.reason,
                    strategies_tried: a.tried,
                    return_possible: input::yes_no("return-possible", &a.return_possible)?,
                    ehcp: input::yes_no("ehcp", &a.ehcp)?,
                    looked_after: input::yes_no("lac", &a.lac)?,
                    answers: a.answers,
                    notes,
                    baseline_attendance: a.baseline,
                };
                Ok(Command::Propose(input.parse()?))
            }
            C::Accept { case } => case_action(&case, Action::Accept),
            C::Decline { case, reason } => case_action(
                &case,
                Action::Decline {
                    reason: text("reason", &reason)?,
                },
            ),
            C::Withdraw { case, reason } => case_action(
                &case,
                Action::Withdraw {
                    reason: text("reason", &reason)?,
                },
            ),
            C::Needs {
                case,
                ehcp,
                lac,
                reason,
            } => case_action(
                &case,
                Action::UpdateNeeds {
                    ehcp: input::yes_no("ehcp", &ehcp)?,
                    looked_after: input::yes_no("lac", &lac)?,
                    reason: text("reason", &reason)?,
                },
            ),
            C::Panel {
                case,
                decision,
                reason,
            } => {
                let approve = match decision.trim().to_ascii_lowercase().as_str() {
                    "approve" | "approved" => true,
                    "reject" | "rejected" => false,
                    _ => {
                        return Err(Refusal::invalid(
                            "decision",
                            "The panel's decision is approve or reject.",
                        ))
                    }
                };
                case_action(
                    &case,
                    Action::PanelDecide {
                        approve,
                        reason: text("reason", &reason)?,
                    },
                )
            }
            C::Meeting { case, at, place } => {
                let local = input::local_datetime("at", &at)?;
                let at = p.instant(local.date(), local.time());
                case_action(
                    &case,
                    Action::ScheduleMeeting {
                        at,
                        place: input::optional_text("place", place.as_deref())?,
                    },
                )
            }
            C::ParentConsent {
                case,
                witnessed_by,
                on,
                freely_given,
            } => case_action(
                &case,
                Action::RecordParentConsent {
                    witnessed_by: text("witnessed-by", &witnessed_by)?,
                    on: input::date("on", &on)?,
                    freely_given,
                },
            ),
            C::PupilConsent { case, on, note } => case_action(
                &case,
                Action::RecordPupilConsent {
                    on: input::date("on", &on)?,
                    note: input::optional_text("note", note.as_deref())?,
                },
            ),
            C::EhcpAmendment { case, on, note } => case_action(
                &case,
                Action::RecordEhcpAmendment {
                    on: input::date("on", &on)?,
                    note: input::optional_text("note", note.as_deref())?,
                },
            ),
            C::VirtualSchool { case, on, contact } => case_action(
                &case,
                Action::RecordVirtualSchool {
                    on: input::date("on", &on)?,
                    contact: text("contact", &contact)?,
                },
            ),
            C::Agreement(a) => {
                let terms = AgreementTermsInput {
                    start: a.start,
                    weeks: a.weeks,
                    targets: a.targets,
                    pupil_champion: a.champion,
                    if_it_fails: a.if_fails,
                }
                .parse()?;
                case_action(&a.case, Action::RecordAgreement { terms })
            }
            C::Sign { case } => case_action(&case, Action::SignAgreement),
            C::Reschedule {
                case,
                review,
                on,
                reason,
            } => case_action(
                &case,
                Action::RescheduleReview {
                    review: input::review_kind(&review)?,
                    on: input::date("on", &on)?,
                    reason: text("reason", &reason)?,
                },
            ),
            C::Start { case, on } => {
                let on = on.map(|d| input::date("on", &d)).transpose()?;
                case_action(&case, Action::StartMove { on })
            }
            C::Registered {
                case,
                school,
                from,
                la_notified,
            } => case_action(
                &case,
                Action::ConfirmRegistration {
                    school: school
                        .as_deref()
                        .map(crate::domain::SchoolKey::parse)
                        .transpose()?,
                    from: input::date("from", &from)?,
                    la_notified: input::date("la_notified", &la_notified)?,
                },
            ),
            C::Rate {
                case,
                item,
                rating,
                comment,
            } => case_action(
                &case,
                Action::RateChecklist {
                    item,
                    rag: crate::domain::checklist::Rag::parse(&rating)?,
                    comment: input::optional_text("comment", comment.as_deref())?,
                },
            ),
            C::CheckIn { case, on, note } => case_action(
                &case,
                Action::LogCheckIn {
                    on: input::date("on", &on)?,
                    note: text("note", &note)?,
                },
            ),
            C::Review {
                case,
                review,
                on,
                notes,
            } => case_action(
                &case,
                Action::RecordReview {
                    review: input::review_kind(&review)?,
                    held_on: input::date("on", &on)?,
                    notes: text("notes", &notes)?,
                },
            ),
            C::Outcome {
                case,
                outcome,
                note,
            } => case_action(
                &case,
                Action::RecordOutcome {
                    outcome: input::outcome(&outcome)?,
                    note: text("note", &note)?,
                },
            ),
            C::Terminate { case, reason } => case_action(
                &case,
                Action::Terminate {
                    reason: text("reason", &reason)?,
                },
            ),
            C::Snooze {
                case,
                reminder,
                until,
                reason,
            } => case_action(
                &case,
                Action::SnoozeReminder {
                    key: reminder.trim().to_string(),
                    until: input::date("until", &until)?,
                    reason: text("reason", &reason)?,
                },
            ),
            C::Extend {
                case,
                weeks,
                reason,
            } => case_action(
                &case,
                Action::Extend {
                    weeks: input::extra_weeks(weeks)?,
                    reason: text("reason", &reason)?,
                },
            ),
            C::ReviewRequested { case, on } => case_action(
                &case,
                Action::RecordReviewRequest {
                    on: input::date("on", &on)?,
                },
            ),
            C::Attendance(a) => case_action(
                &a.case,
                Action::RecordAttendance {
                    week: input::date("week", &a.week)?,
                    report: crate::domain::attendance::AttendanceInput {
                        possible: a.possible,
                        attended: a.attended,
                        authorised: a.authorised,
                        unauthorised: a.unauthorised,
                        late: a.late,
                        incidents: a.incidents,
                        suspensions: a.suspensions,
                        note: a.note,
                    }
                    .parse()?,
                },
            ),
            C::MeetingHeld {
                case,
                on,
                attendees,
                pupil,
                positives,
                concerns,
            } => case_action(
                &case,
                Action::RecordMeetingHeld {
                    on: input::date("on", &on)?,
                    positives: input::optional_text("positives", positives.as_deref())?,
                    concerns: input::optional_text("concerns", concerns.as_deref())?,
                    attendance: Some(Attendance::parse(&attendees, &pupil)?),
                },
            ),
            C::ReviewDetails {
                case,
                review,
                attendees,
                pupil,
                targets,
                parent_view,
                pupil_view,
                invited,
            } => {
                let invited = invited
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        Attendee::parse(s).ok_or_else(|| {
                            Refusal::invalid(
                                "invited",
                                "Invited is a list of la-sen, virtual-school, social-worker.",
                            )
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                case_action(
                    &case,
                    Action::RecordReviewDetails {
                        review: input::review_kind(&review)?,
                        details: ReviewDetails {
                            attendance: Some(Attendance::parse(&attendees, &pupil)?),
                            progress: Progress::parse_list(&targets)?,
                            parent_view: input::optional_text(
                                "parent-view",
                                parent_view.as_deref(),
                            )?,
                            pupil_view: input::optional_text("pupil-view", pupil_view.as_deref())?,
                            invited,
                        },
                    },
                )
            }
            C::ForwardFinal { case, on, reason } => case_action(
                &case,
                Action::BringFinalReviewForward {
                    on: input::date("on", &on)?,
                    reason: text("reason", &reason)?,
                },
            ),
            C::Approval {
                case,
                decision,
                reason,
            } => {
                let approve = match decision.trim().to_ascii_lowercase().as_str() {
                    "approve" | "approved" => true,
                    "decline" | "declined" => false,
                    _ => {
                        return Err(Refusal::invalid(
                            "decision",
                            "The decision is approve or decline.",
                        ))
                    }
                };
                case_action(
                    &case,
                    Action::DecideExtraApproval {
                        approve,
                        reason: input::optional_text("reason", reason.as_deref())?,
                    },
                )
            }
            C::ExamCourses {
                case,
                continues,
                note,
            } => case_action(
                &case,
                Action::RecordExamCourses {
                    continues: ExamCourses::parse(&continues).ok_or_else(|| {
                        Refusal::invalid("continues", "Exam courses continue: yes, partly or no.")
                    })?,
                    note: input::optional_text("note", note.as_deref())?,
                },
            ),
            C::SafeguardingShared {
                case,
                dsl,
                on,
                nothing_to_share,
            } => case_action(
                &case,
                Action::RecordSafeguarding {
                    dsl: text("dsl", &dsl)?,
                    on: input::date("on", &on)?,
                    nothing_to_share,
                },
            ),
            C::SafeguardingConfirmed { case } => case_action(&case, Action::ConfirmSafeguarding),
            C::LaConsent {
                case,
                social_worker,
                on,
                parents_share,
            } => case_action(
                &case,
                Action::RecordLocalAuthorityConsent {
                    social_worker: text("social-worker", &social_worker)?,
                    on: input::date("on", &on)?,
                    parents_share: input::yes_no("parents-share", &parents_share)?,
                },
            ),
            C::Returning(r) => r.into_command(),
            C::Lead(l) => l.into_command(),
            C::Ping { case, step } => case_action(
                &case,
                Action::PingOwner {
                    step: step.trim().to_string(),
                },
            ),
            C::CopyGiven { case, on, how } => case_action(
                &case,
                Action::RecordParentCopy {
                    on: input::date("on", &on)?,
                    how: text("how", &how)?,
                },
            ),
            C::NoticeGiven {
                case,
                on,
                how,
                la_notified,
            } => case_action(
                &case,
                Action::RecordNotice {
                    on: input::date("on", &on)?,
                    how: text("how", &how)?,
                    la_notified: la_notified
                        .as_deref()
                        .map(|d| input::date("la-notified", d))
                        .transpose()?,
                },
            ),
        }
    }
}
