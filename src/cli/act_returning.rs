//! `managed-moves act ...` verbs of the returning stage and the follow-up (issue 14):
//! `consent-withdrawn`, `return-meeting`, `return-plan`, `return-registered`, `follow-up`.

use clap::Subcommand;

use crate::domain::attendance::Percent;
use crate::domain::input;
use crate::domain::meetings::Attendance;
use crate::domain::{Action, CaseRef, Command, Refusal, SchoolKey, Text};

#[derive(Debug, Subcommand)]
pub enum ReturningCommand {
    /// Record that the parent/carer withdrew consent (home head): the pupil returns home.
    ConsentWithdrawn {
        case: String,
        /// The day the parent/carer withdrew it.
        #[arg(long)]
        on: String,
        #[arg(long)]
        reason: String,
    },
    /// Record the reintegration meeting at the home school (home head or staff).
    ReturnMeeting {
        case: String,
        /// The day it was held (within five school days of the return).
        #[arg(long)]
        on: String,
        /// Who came, comma-separated: parent, home-staff, destination-staff, champion,
        /// la-sen, virtual-school, social-worker, other.
        #[arg(long)]
        attendees: String,
        /// Whether the pupil was there: whole, part or none.
        #[arg(long)]
        pupil: String,
    },
    /// Record the reintegration plan (home head or staff).
    ReturnPlan {
        case: String,
        /// The support the pupil will have.
        #[arg(long)]
        support: String,
        #[arg(long)]
        targets: String,
        /// The named member of staff the family and pupil go to.
        #[arg(long)]
        contact: String,
    },
    /// Record your school's register change at the return (destination: subsidiary
    /// registration ended; home: code D stopped), with the day it told the local authority.
    ReturnRegistered {
        case: String,
        /// The school recording (yours; needed only if you work at both).
        #[arg(long)]
        school: Option<String>,
        /// The first day the register shows the change.
        #[arg(long)]
        on: String,
        #[arg(long)]
        la_notified: String,
    },
    /// Record the follow-up one term after a case closed (the school now responsible).
    FollowUp {
        case: String,
        /// yes or no: is the pupil still on the school's roll?
        #[arg(long)]
        on_roll: String,
        /// Attendance since the case closed, in percent, e.g. 93.5
        #[arg(long)]
        attendance: f64,
        /// Suspensions since the case closed.
        #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
        suspensions: i64,
        #[arg(long)]
        note: Option<String>,
    },
}

impl ReturningCommand {
    pub fn into_command(self) -> Result<Command, Refusal> {
        use ReturningCommand as C;
        let (case, action) = match self {
            C::ConsentWithdrawn { case, on, reason } => (
                case,
                Action::RecordConsentWithdrawn {
                    on: input::date("on", &on)?,
                    reason: Text::parse("reason", &reason)?,
                },
            ),
            C::ReturnMeeting {
                case,
                on,
                attendees,
                pupil,
            } => (
                case,
                Action::RecordReintegrationMeeting {
                    on: input::date("on", &on)?,
                    attendance: Attendance::parse(&attendees, &pupil)?,
                },
            ),
            C::ReturnPlan {
                case,
                support,
                targets,
                contact,
            } => (
                case,
                Action::RecordReintegrationPlan {
                    support: Text::parse("support", &support)?,
                    targets: Text::parse("targets", &targets)?,
                    contact: Text::parse("contact", &contact)?,
                },
            ),
            C::ReturnRegistered {
                case,
                school,
                on,
                la_notified,
            } => (
                case,
                Action::EndRegistration {
                    school: school.as_deref().map(SchoolKey::parse).transpose()?,
                    on: input::date("on", &on)?,
                    la_notified: input::date("la_notified", &la_notified)?,
                },
            ),
            C::FollowUp {
                case,
                on_roll,
                attendance,
                suspensions,
                note,
            } => (
                case,
                follow_up(&on_roll, attendance, suspensions, note.as_deref())?,
            ),
        };
        Ok(Command::Case {
            reference: CaseRef::parse(&case)?,
            action,
        })
    }
}

/// The follow-up from what people type (the CLI and Discord share it).
pub fn follow_up(
    on_roll: &str,
    attendance: f64,
    suspensions: i64,
    note: Option<&str>,
) -> Result<Action, Refusal> {
    let suspensions = u16::try_from(suspensions)
        .map_err(|_| Refusal::invalid("suspensions", "Suspensions is a count: 0 or more."))?;
    Ok(Action::RecordFollowUp {
        on_roll: input::yes_no("on_roll", on_roll)?,
        attendance: Percent::parse("attendance", attendance)?,
        suspensions,
        note: input::optional_text("note", note)?,
    })
}
