//! The coordinators' board as of now, for Discord's message and the CLI's `board`: each
//! section's count, and as many of its most urgent cases as one message can show.

use crate::domain::urgency::{order, week_end, Section};
use crate::domain::Case;
use crate::store::{BoardCounts, BoardDay, StoreError};
use crate::view::{self, Board};

use super::Service;

/// At most this many lines: one Discord menu holds 25 options, and every case shown is in it.
pub const BOARD_LINES: usize = 25;

impl Service {
    /// The board as of now: each section's count, and as many of its most urgent cases as
    /// the message can show (shared out between the sections), never the whole list.
    pub async fn board(&self) -> Result<Board, StoreError> {
        let (counts, cases) = self.board_cases().await?;
        Ok(view::board::sections(
            &cases,
            counts.sections,
            self.partnership(),
            self.now(),
        ))
    }

    /// What [`Service::board`] reads: the counts, and the cases it may show.
    pub async fn board_cases(&self) -> Result<(BoardCounts, Vec<Case>), StoreError> {
        let p = self.partnership();
        let today = p.today(self.now());
        let day = BoardDay {
            today,
            week_end: week_end(today),
            panel_needed: p.policy.transfer_needs_panel,
        };
        let store = self.store();
        let counts = store.board_counts(&day).await?;
        let take = view::board::allotment(counts.sections, BOARD_LINES);
        let mut cases = Vec::new();
        for section in Section::ALL {
            let limit = take[section.index()];
            cases.extend(
                store
                    .board_section(&day, section, limit, |c| order(c, p))
                    .await?,
            );
        }
        // The lines name each case's lead.
        self.name_leads(&mut cases).await;
        Ok((counts, cases))
    }
}
