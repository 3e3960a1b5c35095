//! `/propose`: the home head proposes a move, with the eight suitability answers.

use poise::serenity_prelude as serenity;

use super::choices::{Answer, Reason};
use crate::discord::reply::{actor, execute};
use crate::discord::types::{Context, Error};
use crate::domain::input::ProposalInput;
use crate::domain::{Capacity, Command, Refusal};

/// Other schools of the partnership (never your own).
async fn autocomplete_destination(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    let actor = actor(ctx).await;
    let p = ctx.data().service.partnership();
    let needle = partial.to_lowercase();
    let choices = p
        .schools
        .iter()
        .filter(|s| !actor.heads(&s.key))
        .filter(|s| s.name.to_lowercase().contains(&needle) || s.key.as_str().contains(&needle))
        .map(|s| serenity::AutocompleteChoice::new(s.name.clone(), s.key.to_string()))
        .take(25)
        .collect();
    serenity::CreateAutocompleteResponse::new().set_choices(choices)
}

/// Propose a managed move (or transfer) of a pupil from your school to another.
#[allow(clippy::too_many_arguments)]
#[poise::command(slash_command, guild_only)]
pub async fn propose(
    ctx: Context<'_>,
    #[description = "The school the pupil would move to"]
    #[autocomplete = "autocomplete_destination"]
    to: String,
    #[description = "The pupil's initials only, e.g. J.S."] initials: String,
    #[description = "Year group (7-13)"]
    #[min = 7]
    #[max = 13]
    year: i64,
    #[description = "Why a move is considered"] reason: Reason,
    #[description = "What has been tried already"] tried: String,
    #[description = "Can the pupil return if it does not work out? No = managed transfer (SEIP panel)"]
    return_possible: bool,
    #[description = "Does the pupil have an EHCP?"] ehcp: bool,
    #[description = "Is the pupil a looked-after child?"] looked_after: bool,
    #[description = "1. Does the move best preserve the pupil's chances of good outcomes?"]
    q1_outcomes: Answer,
    #[description = "2. Are underlying needs understood, and will a move help rather than harm?"]
    q2_needs: Answer,
    #[description = "3. Are practical impediments (distance, cost, peers) surmountable?"]
    q3_practical: Answer,
    #[description = "4. Have the heads of both schools agreed to the move?"] q4_heads: Answer,
    #[description = "5. Are other agencies' views taken into account (EHCP, Virtual School)?"]
    q5_agencies: Answer,
    #[description = "6. Will the receiving school make best endeavours and adjustments?"]
    q6_endeavours: Answer,
    #[description = "7. Do the parents agree and can they support the move?"] q7_parents: Answer,
    #[description = "8. Can the pupil return if the move does not work out?"] q8_return: Answer,
    #[description = "Notes on the answers, e.g. 3: bus route checked; 5: CAMHS involved"]
    notes: Option<String>,
    #[description = "Your school, if you are head of more than one"] from: Option<String>,
    #[description = "The pupil's attendance last term, in percent (to compare the placement with)"]
    #[min = 0]
    #[max = 100]
    baseline_attendance: Option<f64>,
) -> Result<(), Error> {
    let me = actor(ctx).await;
    let home = from.or_else(|| {
        me.capacities.iter().find_map(|c| match c {
            Capacity::Head(s) => Some(s.to_string()),
            _ => None,
        })
    });
    let answers = [
        q1_outcomes,
        q2_needs,
        q3_practical,
        q4_heads,
        q5_agencies,
        q6_endeavours,
        q7_parents,
        q8_return,
    ]
    .map(Answer::word)
    .join(",");
    let command = (|| {
        let home =
            home.ok_or_else(|| Refusal::not_permitted("Only a school's head can propose a move."))?;
        let input = ProposalInput {
            home,
            destination: to,
            initials,
            year,
            reason: match reason {
                Reason::Exclusion => "exclusion".into(),
                Reason::Attendance => "attendance".into(),
            },
            strategies_tried: tried,
            return_possible,
            ehcp,
            looked_after,
            answers,
            notes: parse_notes(notes.as_deref())?,
            baseline_attendance,
        };
        Ok(Command::Propose(input.parse()?))
    })();
    execute(ctx, command).await
}

/// "3: bus route checked; 5: CAMHS involved" -> [(3, ...), (5, ...)]
fn parse_notes(raw: Option<&str>) -> Result<Vec<(usize, String)>, Refusal> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(';')
        .filter(|part| !part.trim().is_empty())
        .map(|part| {
            let (n, text) = part.split_once(':').ok_or_else(|| {
                Refusal::invalid(
                    "notes",
                    "Write notes as `3: text; 5: text`, numbered by question.",
                )
            })?;
            let n = n
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=8).contains(n))
                .ok_or_else(|| {
                    Refusal::invalid(
                        "notes",
                        "Each note starts with a question number from 1 to 8.",
                    )
                })?;
            Ok((n, text.trim().to_string()))
        })
        .collect()
}
