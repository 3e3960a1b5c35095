//! The termly report as tables of words, with who-may-see-what applied once, so the PDF and
//! the CSV cannot disagree about a figure.
//!
//! - Coordinators see every school, the partnership totals and the overdue steps by case.
//! - A head sees their own school's rows (a head of two schools, both). A partnership total
//!   is shown only where the rest of the partnership (cases not involving their school) adds
//!   nothing or at least 5: otherwise it would give away another school's small number, and
//!   it reads "withheld". A partnership of two schools shows a head no totals at all.
//! - The public version (for sharing beyond the partnership) shows counts of 1 to 4 as "<5",
//!   a median or percentage resting on fewer than 5 cases as "<5", no case references, and a
//!   total whose column hides a small count rounded to the nearest 5 ("about 10") so the
//!   hidden count cannot be worked out by subtraction. Zero is shown: it identifies nobody.

use serde::Serialize;

use super::report::{TermFigures, TermReport};
use crate::domain::{Partnership, SchoolKey};

/// Who the report is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audience {
    /// `None`: the whole partnership (coordinators); else these schools' heads.
    pub schools: Option<Vec<SchoolKey>>,
    pub public: bool,
}

/// One figure and what it rests on.
#[derive(Debug, Clone, Copy)]
enum Figure {
    Count(usize),
    /// Received minus sent: shown only where both may be.
    Net(usize, usize),
    /// A median (school days) or a percentage, and how many cases it rests on.
    Measure(Option<f64>, usize, bool),
}

/// The table's columns: CSV header and PDF heading, in order.
pub const COLUMNS: [(&str, &str); 19] = [
    ("sent", "Sent"),
    ("received", "Received"),
    ("net_received", "Net received"),
    ("permanent", "Permanent"),
    ("returned", "Returned"),
    ("terminated", "Ended early"),
    ("declined", "Declined"),
    ("withdrawn", "Withdrawn"),
    ("rejected", "Rejected"),
    ("followed_up", "Followed up"),
    ("lasted", "On roll"),
    ("started", "Started"),
    ("median_school_days_to_start", "Median days"),
    ("placements", "Placements"),
    ("attendance_pct", "Attendance"),
    ("baseline_pct", "Last term"),
    ("weeks_reported", "Weeks reported"),
    ("weeks_missing", "Weeks missing"),
    ("overdue_steps", "Overdue steps"),
];

fn figures(f: &TermFigures) -> [Figure; 19] {
    use Figure::*;
    [
        Count(f.sent),
        Count(f.received),
        Net(f.sent, f.received),
        Count(f.permanent),
        Count(f.returned),
        Count(f.terminated),
        Count(f.declined),
        Count(f.withdrawn),
        Count(f.rejected),
        Count(f.followed_up),
        Count(f.lasted),
        Count(f.started),
        Measure(f.median_days_to_start(), f.started, false),
        Count(f.placements),
        Measure(f.attendance(), f.placements, true),
        Measure(f.baseline(), f.with_baseline(), true),
        Count(f.weeks_reported),
        Count(f.weeks_missing),
        Count(f.overdue_steps),
    ]
}

/// Under 5 but not none: the small numbers the public version hides.
fn small(n: usize) -> bool {
    (1..5).contains(&n)
}

fn exact(figure: Figure) -> String {
    match figure {
        Figure::Count(n) => n.to_string(),
        Figure::Net(sent, received) if sent == received => "0".into(),
        Figure::Net(sent, received) => format!("{:+}", received as i64 - sent as i64),
        Figure::Measure(None, ..) => "–".into(),
        Figure::Measure(Some(v), _, true) => format!("{v:.1}%"),
        Figure::Measure(Some(v), _, false) if v.fract() == 0.0 => format!("{v:.0}"),
        Figure::Measure(Some(v), _, false) => format!("{v:.1}"),
    }
}

/// A figure as the public may see it.
fn public(figure: Figure) -> String {
    let hidden = match figure {
        Figure::Count(n) => small(n),
        Figure::Net(sent, received) => small(sent) || small(received),
        Figure::Measure(_, basis, _) => small(basis),
    };
    if hidden {
        "<5".into()
    } else {
        exact(figure)
    }
}

fn is_hidden(cell: &str) -> bool {
    cell == "<5"
}

/// The rendered report: rows of cells, ready for the PDF and the CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportTable {
    pub term_key: String,
    pub term_title: String,
    pub from: chrono::NaiveDate,
    pub as_of: chrono::NaiveDate,
    pub public: bool,
    /// "Whole partnership" or "Riverside only".
    pub scope: String,
    /// (school name, cells in `COLUMNS` order).
    pub schools: Vec<(String, Vec<String>)>,
    /// The partnership's row; `None` where a head may see no totals.
    pub totals: Option<Vec<String>>,
    /// ("Riverside → Hillcrest", count).
    pub flows: Vec<(String, String)>,
    /// ("Hillcrest head", count).
    pub overdue_by_owner: Vec<(String, String)>,
    /// Each overdue step with its case (never in the public version).
    pub overdue_steps: Vec<String>,
}

/// Applies the audience's rules. `rest`: the figures of cases not involving a head's
/// schools (unused for coordinators).
pub fn table(
    report: &TermReport,
    rest: &TermFigures,
    p: &Partnership,
    audience: &Audience,
) -> ReportTable {
    let sees = |key: &SchoolKey| audience.schools.as_ref().is_none_or(|s| s.contains(key));
    let cell = |f: Figure| if audience.public { public(f) } else { exact(f) };
    let schools: Vec<(String, Vec<String>)> = report
        .schools
        .iter()
        .filter(|(key, _)| sees(key))
        .map(|(key, f)| (p.school_name(key), figures(f).map(cell).to_vec()))
        .collect();
    let totals = totals_row(report, rest, p, audience, &schools);
    let flows = report
        .flows
        .iter()
        .filter(|((from, to), _)| sees(from) || sees(to))
        .map(|((from, to), n)| {
            let label = format!("{} → {}", p.school_name(from), p.school_name(to));
            (label, cell(Figure::Count(*n)))
        })
        .collect();
    let overdue_by_owner = report
        .overdue_by_owner()
        .into_iter()
        .filter(|(owner, _)| sees(owner.school()))
        .map(|(owner, n)| (owner.label(p), cell(Figure::Count(n))))
        .collect();
    let overdue_steps = if audience.public {
        Vec::new()
    } else {
        report
            .overdue
            .iter()
            .filter(|s| s.owners.iter().any(|o| sees(o.school())))
            .map(|s| {
                let done = s
                    .done
                    .map_or("not done".to_string(), |d| format!("done {d}"));
                format!(
                    "{} · {}: {} · due {} · {done}",
                    s.reference,
                    s.label_owners(p),
                    s.what,
                    s.due
                )
            })
            .collect()
    };
    let scope = match &audience.schools {
        None => "Whole partnership".to_string(),
        Some(keys) => {
            let names: Vec<String> = keys.iter().map(|k| p.school_name(k)).collect();
            format!("{} only", names.join(" and "))
        }
    };
    ReportTable {
        term_key: report.term.key(),
        term_title: report.term.title(),
        from: report.term.start,
        as_of: report.as_of,
        public: audience.public,
        scope,
        schools,
        totals,
        flows,
        overdue_by_owner,
        overdue_steps,
    }
}

fn totals_row(
    report: &TermReport,
    rest: &TermFigures,
    p: &Partnership,
    audience: &Audience,
    schools: &[(String, Vec<String>)],
) -> Option<Vec<String>> {
    if audience.schools.is_some() && p.schools.len() < 3 {
        return None;
    }
    let rest = figures(rest);
    let row = figures(&report.totals)
        .iter()
        .enumerate()
        .map(|(i, total)| {
            if let Figure::Net(..) = total {
                // Every move sent is one received: the partnership's net is always zero.
                return "–".to_string();
            }
            if audience.schools.is_some() && reveals_rest(rest[i]) {
                return "withheld".to_string();
            }
            if !audience.public {
                return exact(*total);
            }
            let shown = public(*total);
            let column_hides = schools.iter().any(|(_, cells)| is_hidden(&cells[i]));
            match total {
                Figure::Count(n) if column_hides && !is_hidden(&shown) => {
                    format!("about {}", (n + 2) / 5 * 5)
                }
                _ => shown,
            }
        })
        .collect();
    Some(row)
}

/// Whether the rest of the partnership's part of a total is a small number a head must
/// not be able to work out.
fn reveals_rest(rest: Figure) -> bool {
    match rest {
        Figure::Count(n) | Figure::Measure(_, n, _) => small(n),
        Figure::Net(..) => false,
    }
}

impl ReportTable {
    /// The CSV: one row per school shown, then the partnership's row where shown. Cells
    /// are plain words and numbers; any with a comma or quote is quoted.
    pub fn csv(&self) -> String {
        let mut out = String::from("term,school");
        for (name, _) in COLUMNS {
            out.push(',');
            out.push_str(name);
        }
        out.push('\n');
        let mut line = |school: &str, cells: &[String]| {
            let mut fields = vec![self.term_key.clone(), school.to_string()];
            fields.extend(cells.iter().cloned());
            let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
            out.push_str(&quoted.join(","));
            out.push('\n');
        };
        for (school, cells) in &self.schools {
            line(school, cells);
        }
        if let Some(totals) = &self.totals {
            line("Partnership", totals);
        }
        out
    }
}

fn csv_field(field: &str) -> String {
    // A leading = + - @ would be read as a formula by a spreadsheet; quote and escape it.
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    if field.contains([',', '"', '\n']) || formula {
        let prefix = if formula { "'" } else { "" };
        format!("\"{prefix}{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}
