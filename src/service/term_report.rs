//! The termly report for the partnership's board: a PDF and a CSV, shaped for who asks.
//! Coordinators get the whole partnership; a head gets their own school's part (see
//! `stats::report_table` for the totals a head may see). The public version hides small
//! numbers. Staff, SEIP members and admins are refused, as for `/stats`: statistics are for
//! coordinators, and for heads about their own school.

use chrono::{Days, NaiveTime};

use super::reports::Document;
use super::{Service, ServiceError};
use crate::documents;
use crate::domain::permissions::stats_scope;
use crate::domain::{Actor, SchoolKey};
use crate::stats::{self, term, Audience, ReportTable, TermFigures};

/// The report's two files and a line to say what they are.
#[derive(Debug, Clone)]
pub struct TermReportFiles {
    pub pdf: Document,
    pub csv: Document,
    pub table: ReportTable,
}

impl Service {
    /// The termly report for `term` (`autumn-2026`; default: the current term, or the last
    /// one finished). Nothing is written: a bad term is a refusal.
    pub async fn term_report(
        &self,
        actor: &Actor,
        term: Option<&str>,
        public: bool,
    ) -> Result<TermReportFiles, ServiceError> {
        let scope = stats_scope(actor)?;
        let p = self.partnership();
        let today = p.today(self.now());
        let term = term::choose(&p.calendar, term, today)?;
        let end = p.instant(
            term.end.checked_add_days(Days::new(1)).unwrap_or(term.end),
            NaiveTime::MIN,
        );
        // A case closed up to a term before can still owe its follow-up in this one.
        let look_back = u64::from(p.policy.follow_up_school_days) * 2 + 30;
        let since = p.instant(
            term.start
                .checked_sub_days(Days::new(look_back))
                .unwrap_or(term.start),
            NaiveTime::MIN,
        );
        let cases = self
            .store()
            .cases_touching(since, end)
            .await
            .map_err(|e| ServiceError::internal(&e, None))?;
        let report = stats::compute_term(&cases, p, term, today);
        let rest = match &scope {
            None => TermFigures::default(),
            Some(own) => {
                let elsewhere: Vec<_> = cases
                    .iter()
                    .filter(|c| !own.iter().any(|s| c.involves(s)))
                    .cloned()
                    .collect();
                stats::compute_term(&elsewhere, p, term, today).totals
            }
        };
        let audience = Audience {
            schools: scope.clone(),
            public,
        };
        let table = stats::report_table(&report, &rest, p, &audience);
        // A bar's height would show the numbers the public version hides.
        let chart = if public {
            None
        } else {
            stats::render_term_png(&report, p, scope.as_deref())
                .inspect_err(|e| tracing::warn!(error = %e, "report chart not drawn"))
                .ok()
        };
        let pdf = documents::term_report_pdf(&table, p, chart.as_deref());
        let name = file_name(&table.term_key, scope.as_deref(), public);
        tracing::info!(term = %table.term_key, public, "termly report made");
        Ok(TermReportFiles {
            pdf: Document {
                filename: format!("{name}.pdf"),
                bytes: pdf,
            },
            csv: Document {
                filename: format!("{name}.csv"),
                bytes: table.csv().into_bytes(),
            },
            table,
        })
    }
}

/// `termly-report-autumn-2026`, `-riverside` for a head's part, `-public` for sharing.
fn file_name(term: &str, schools: Option<&[SchoolKey]>, public: bool) -> String {
    let mut name = format!("termly-report-{term}");
    for school in schools.unwrap_or_default() {
        name.push('-');
        name.push_str(school.as_str());
    }
    if public {
        name.push_str("-public");
    }
    name
}
