//! The transferring stage through Discord, for scenarios that only need a permanent
//! transfer closed: every step on the clock's today, by the school that owns it.

use crate::support::fake_discord::Opt;

use super::guild::{Person, HOME_STAFF};
use super::TestBot;

impl TestBot {
    /// After both heads confirmed "permanent": the EHCP amendment and the Virtual School
    /// when they apply, the roll change, no child-protection file, the records sent. The
    /// case closes, outcome permanent.
    pub async fn complete_transfer(&self, reference: &str, home: Person, dest: Person) {
        let case = self.case(reference).await;
        let today = self.today().to_string();
        let c = || Opt::string("case", reference);
        let on = || Opt::string("on", &today);
        let la = || Opt::string("la_notified", &today);
        let mut steps: Vec<(Person, &str, Vec<Opt>)> = Vec::new();
        if case.ehcp {
            steps.push((home, "transfer ehcp-amended", vec![c(), on()]));
        }
        if case.looked_after {
            steps.push((
                HOME_STAFF,
                "transfer virtual-school",
                vec![c(), on(), Opt::string("contact", "Virtual School head")],
            ));
        }
        steps.extend([
            (dest, "transfer registered", vec![c(), on(), la()]),
            (home, "transfer removed", vec![c(), on(), la()]),
            (
                HOME_STAFF,
                "transfer cp-file",
                vec![c(), Opt::string("sent", "none")],
            ),
            (HOME_STAFF, "transfer records", vec![c(), on()]),
        ]);
        for (who, path, options) in steps {
            self.as_(who).command(path, options).await.assert_done(path);
        }
    }
}
