//! The board's counts, kept by triggers, against a count over every case; and each
//! section's cases against the same cases sorted by hand.

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::{BoardCounts, BoardDay};
use crate::domain::next_step::next_due;
use crate::domain::testkit::*;
use crate::domain::urgency::{order, week_end, Section, WaitingOn};
use crate::domain::{Case, CaseRef};
use crate::store::Store;

/// Open and closed cases at each point the board tells apart: undated, waiting on the
/// panel or the approval, dated by a meeting, a start, a review, a return; closed.
fn stages() -> Vec<Case> {
    let transfer = CaseBuilder::proposed().transfer().accepted();
    let exam_year = CaseBuilder::proposed().year(10).accepted();
    let agreed = CaseBuilder::proposed().accepted().agreed();
    vec![
        CaseBuilder::proposed().build(),
        transfer.case().clone(),
        transfer.approved().build(),
        exam_year.build(),
        CaseBuilder::proposed()
            .accepted()
            .meeting_scheduled()
            .build(),
        agreed.case().clone(),
        agreed.active().build(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminating()
            .build(),
        CaseBuilder::proposed()
            .accepted()
            .agreed()
            .active()
            .terminated()
            .build(),
        CaseBuilder::proposed().declined().build(),
    ]
}

/// Each case is a stage's snapshot under its own reference, at the next version.
async fn write(store: &Store, number: u32, stage: &Case, stored: Option<(i64, u32)>) -> (i64, u32) {
    let mut case = stage.clone();
    case.reference = CaseRef::new(2026, number);
    let mut tx = store.begin_write().await.unwrap();
    let written = match stored {
        None => {
            case.version = 1;
            (
                Store::insert_case(&mut tx, &case, next_due(&case, partnership()), &[])
                    .await
                    .unwrap(),
                1,
            )
        }
        Some((id, version)) => {
            case.version = version + 1;
            Store::append(
                &mut tx,
                id,
                version,
                &case,
                next_due(&case, partnership()),
                &[],
            )
            .await
            .unwrap();
            (id, version + 1)
        }
    };
    tx.commit().await.unwrap();
    written
}

async fn every_case(store: &Store) -> Vec<Case> {
    let rows: Vec<String> = sqlx::query_scalar("SELECT snapshot FROM cases")
        .fetch_all(store.pool())
        .await
        .unwrap();
    rows.iter()
        .map(|s| serde_json::from_str(s).unwrap())
        .collect()
}

fn board_day(today: NaiveDate, panel_needed: bool) -> BoardDay {
    BoardDay {
        today,
        week_end: week_end(today),
        panel_needed,
    }
}

/// What each section holds, by walking every case: the brute force the counts replace.
fn by_hand(cases: &[Case], day: &BoardDay) -> [Vec<Case>; 4] {
    // The stored dates are worked out with the example partnership (the panel needed);
    // the day says whether the board counts a wait on the panel as one.
    let p = partnership();
    let mut sections: [Vec<Case>; 4] = Default::default();
    for case in cases.iter().filter(|c| !c.state.is_closed()) {
        let waiting = WaitingOn::of(case).effective(day.panel_needed);
        let section = Section::of(next_due(case, p), waiting, day.today);
        sections[section.index()].push(case.clone());
    }
    for cases in &mut sections {
        cases.sort_by_key(|c| order(c, p));
    }
    sections
}

/// Counts and each section's first few, on days before, among and after the cases' dates.
async fn check(store: &Store) {
    let cases = every_case(store).await;
    let dates: Vec<NaiveDate> = cases
        .iter()
        .filter_map(|c| next_due(c, partnership()))
        .collect();
    let mut days = vec![today(), today() + Days::new(200)];
    days.extend(
        dates
            .iter()
            .flat_map(|d| [*d, *d + Days::new(1), *d - Days::new(3)]),
    );
    for today in days {
        for panel_needed in [true, false] {
            let day = board_day(today, panel_needed);
            let expected = by_hand(&cases, &day);
            let counts = store.board_counts(&day).await.unwrap();
            let want = BoardCounts {
                sections: expected.clone().map(|s| s.len() as u64),
                open: expected.iter().map(Vec::len).sum::<usize>() as u64,
            };
            assert_eq!(counts, want, "on {today}, panel needed {panel_needed}");
            for section in Section::ALL {
                let p = partnership();
                let top = store
                    .board_section(&day, section, 3, |c| order(c, p))
                    .await
                    .unwrap();
                let refs = |cs: &[Case]| cs.iter().map(|c| c.reference).collect::<Vec<_>>();
                let hand = &expected[section.index()];
                assert_eq!(
                    refs(&top),
                    refs(&hand[..hand.len().min(3)]),
                    "{section:?} on {today}"
                );
            }
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_counts_follow_every_insert_update_and_close() {
    let stages = stages();
    runtime().block_on(async {
        let store = Store::in_memory().await.unwrap();
        let mut stored = Vec::new();
        for (i, stage) in stages.iter().enumerate() {
            stored.push(write(&store, i as u32 + 1, stage, None).await);
        }
        check(&store).await;
        // Each case moves on to the next stage (the last wraps round to the first: a
        // closed case written open again, as a reopen would).
        for (i, at) in stored.clone().into_iter().enumerate() {
            let next = &stages[(i + 1) % stages.len()];
            stored[i] = write(&store, i as u32 + 1, next, Some(at)).await;
        }
        check(&store).await;
        // Retention deletes closed cases; deleting an open one must count too.
        sqlx::query("DELETE FROM cases WHERE id IN (?, ?)")
            .bind(stored[0].0)
            .bind(stored[8].0)
            .execute(store.pool())
            .await
            .unwrap();
        check(&store).await;
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any sequence of writes: a new case at some stage, or a case moved to another stage.
    #[test]
    fn the_counts_match_a_count_over_every_case(ops in prop::collection::vec((0usize..12, 0usize..10), 1..30)) {
        let stages = stages();
        runtime().block_on(async {
            let store = Store::in_memory().await.unwrap();
            let mut stored: Vec<(i64, u32)> = Vec::new();
            for (target, stage) in ops {
                match stored.get(target).copied() {
                    Some(at) => stored[target] = write(&store, target as u32 + 1, &stages[stage], Some(at)).await,
                    None => {
                        let number = stored.len() as u32 + 1;
                        stored.push(write(&store, number, &stages[stage], None).await);
                    }
                }
            }
            check(&store).await;
        });
    }
}

/// Keep in step with `Store::board_section`: each walk follows `cases_board` in the order
/// it returns, never sorting a section's cases to find its first few.
#[test]
fn each_section_is_an_ordered_walk_of_the_index() {
    runtime().block_on(async {
        let store = Store::in_memory().await.unwrap();
        for sql in [
            "SELECT snapshot FROM cases INDEXED BY cases_board
             WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
               AND waiting_on = 'none' AND next_due_on >= '' AND next_due_on < '2026-12-02'
             ORDER BY next_due_on, updated_at LIMIT 7",
            "SELECT snapshot FROM cases INDEXED BY cases_board
             WHERE state NOT IN ('completed', 'terminated', 'declined', 'withdrawn', 'rejected')
               AND waiting_on = 'none' AND next_due_on IS NULL
             ORDER BY updated_at LIMIT 7",
        ] {
            let rows: Vec<(i64, i64, i64, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                    .fetch_all(store.pool())
                    .await
                    .unwrap();
            let plan: Vec<String> = rows.into_iter().map(|r| r.3).collect();
            let plan = plan.join("; ");
            assert!(plan.contains("USING INDEX cases_board"), "{plan}");
            assert!(!plan.contains("TEMP B-TREE"), "no sort: {plan}");
        }
    });
}
