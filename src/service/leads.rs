//! Naming case leads for showing: the name each lead goes by now, from the names the bot
//! notes as people act (`people_names`). Never stored with the case.

use super::Service;
use crate::domain::{Case, UserId};

impl Service {
    /// Fills in each case's lead name. A failed lookup leaves the ID-based label: names
    /// are for reading, and never stop a card, the board or a digest from being shown.
    pub async fn name_leads(&self, cases: &mut [Case]) {
        let mut users: Vec<UserId> = cases
            .iter()
            .filter_map(|c| c.lead.as_ref().map(|l| l.user))
            .collect();
        if users.is_empty() {
            return;
        }
        users.sort_by_key(|u| u.0);
        users.dedup();
        let people = match self.store().people_names(&users).await {
            Ok(people) => people,
            Err(e) => {
                tracing::warn!(error = %e, "could not look up the leads' names");
                return;
            }
        };
        for lead in cases.iter_mut().filter_map(|c| c.lead.as_mut()) {
            lead.name = people.latest_name(lead.user).map(str::to_string);
        }
    }

    /// [`Service::name_leads`] for one case.
    pub async fn name_lead(&self, mut case: Case) -> Case {
        self.name_leads(std::slice::from_mut(&mut case)).await;
        case
    }
}
