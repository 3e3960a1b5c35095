//! Disputed outcomes in the coordinators' digest: a head's "returned" not applied because
//! the other head had confirmed "permanent", listed every school day until the heads
//! agree (which closes the case). Schools, outcomes and dates only; never the reason.

use crate::domain::{Case, Partnership};

pub(super) fn dispute_lines(cases: &[Case], p: &Partnership) -> Vec<String> {
    let mut out = Vec::new();
    for case in cases {
        for d in case.open_disputes() {
            let confirmed: Vec<String> = case
                .permanent_confirmations()
                .iter()
                .map(|c| {
                    format!(
                        "{} confirmed permanent on {}",
                        p.school_name(&c.school),
                        p.today(c.at).format("%a %-d %b")
                    )
                })
                .collect();
            out.push(format!(
                "`{}` {} → {} · outcome disputed: {}; {} said {} on {}",
                case.reference,
                p.school_name(&case.home),
                p.school_name(&case.destination),
                confirmed.join(", "),
                p.school_name(&d.school),
                d.outcome.short(),
                p.today(d.recorded.at).format("%a %-d %b")
            ));
        }
    }
    out
}
