//! `/approval decide|exam-courses`: the extra approval a partnership asks for before a move
//! in an exam year, and the destination's word on the pupil's exam courses.

use super::autocomplete_case;
use crate::discord::reply::act;
use crate::discord::types::{Context, Error};
use crate::domain::approvals::ExamCourses;
use crate::domain::{input, Action};

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Decision {
    Approve,
    Decline,
}

#[derive(Debug, Clone, Copy, poise::ChoiceParameter)]
pub enum Courses {
    Yes,
    Partly,
    No,
}

/// The extra approval for a move in an exam year.
#[poise::command(slash_command, guild_only, subcommands("decide", "exam_courses"))]
pub async fn approval(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Approve or decline a move in an exam year (the role your partnership names).
#[poise::command(slash_command, guild_only)]
pub async fn decide(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Approve or decline"] decision: Decision,
    #[description = "Why (needed to decline; shared with both schools)"] reason: Option<String>,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::DecideExtraApproval {
            approve: matches!(decision, Decision::Approve),
            reason: input::optional_text("reason", reason.as_deref())?,
        })
    })();
    act(ctx, &case, action).await
}

/// Record whether the pupil's exam courses can continue at your school (destination).
#[poise::command(slash_command, guild_only, rename = "exam-courses")]
pub async fn exam_courses(
    ctx: Context<'_>,
    #[description = "Case reference"]
    #[autocomplete = "autocomplete_case"]
    case: String,
    #[description = "Can the exam courses continue?"] continues: Courses,
    #[description = "Which cannot, and what happens instead (needed unless yes)"] note: Option<
        String,
    >,
) -> Result<(), Error> {
    let action = (|| {
        Ok(Action::RecordExamCourses {
            continues: match continues {
                Courses::Yes => ExamCourses::Yes,
                Courses::Partly => ExamCourses::Partly,
                Courses::No => ExamCourses::No,
            },
            note: input::optional_text("note", note.as_deref())?,
        })
    })();
    act(ctx, &case, action).await
}
