//! Nothing the bot writes calls a placement a trial (DOMAIN.md, Policy note): current
//! statutory guidance warns against it; the banned phrase is built in `banned`. Checked twice: every template the bot
//! is built from (the source's strings, the command pages, the sample config), and what it
//! renders for a whole case under each legal basis (PDF text, the card, event lines).

use std::path::Path;

use crate::domain::family::LegalBasis;
use crate::domain::testkit::*;
use crate::domain::{Action, ReviewKind};

/// The phrase, built from its two words (this file names it, and is left out of the walk).
fn banned() -> String {
    ["trial", "period"].join(" ")
}

fn says_it(text: &str) -> bool {
    let flat = text.to_lowercase().replace(['-', '\n'], " ");
    flat.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .contains(&banned())
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files_under(&path, out);
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("rs" | "md" | "toml")
        ) {
            out.push(path);
        }
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a readable PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("text")
}

#[test]
fn no_template_the_bot_is_built_from_says_trial_period() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "commands", "config"] {
        files_under(&root.join(dir), &mut files);
    }
    files.push(root.join("README.md"));
    assert!(
        files.len() > 50,
        "the walk found the source: {}",
        files.len()
    );
    let offending: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("src/documents/wording.rs"))
        .filter(|f| says_it(&std::fs::read_to_string(f).unwrap_or_default()))
        .map(|f| f.display().to_string())
        .collect();
    assert!(offending.is_empty(), "{offending:?}");
}

#[test]
fn nothing_rendered_for_a_whole_case_says_trial_period_under_either_legal_basis() {
    assert!(
        says_it("A TRIAL-\nperiod"),
        "the check itself finds the words"
    );
    for basis in [LegalBasis::ManagedMove, LegalBasis::OffSiteDirection] {
        let b = CaseBuilder::new()
            .with_policy(|p| p.legal_basis = basis)
            .ehcp()
            .propose()
            .accepted()
            .agreed();
        let notice_pdf = super::notice_pdf(
            b.case(),
            b.partnership(),
            b.today(),
            Some(b.today() + chrono::Days::new(7)),
        );
        let b = if basis == LegalBasis::OffSiteDirection {
            b.act(
                &head_of(HOME),
                Action::RecordNotice {
                    on: today(),
                    how: text("By hand"),
                    la_notified: Some(today()),
                },
            )
        } else {
            b
        };
        let p = b.partnership().clone();
        let mut rendered = vec![crate::view::case_card(b.case(), &p)];
        let b = on_second_school_day(b).active().reviewed(ReviewKind::Final);
        rendered.push(crate::view::case_card(b.case(), &p));
        let done = b.permanent();
        rendered.push(crate::view::case_card(done.case(), &p));
        let case = done.case();
        let mut texts: Vec<String> = rendered
            .iter()
            .flat_map(|card| {
                std::iter::once(card.title.clone()).chain(
                    card.fields
                        .iter()
                        .map(|f| format!("{} {}", f.name, f.value)),
                )
            })
            .collect();
        texts.extend(done.events().iter().map(|e| e.kind.summary(&p)));
        texts.extend(crate::domain::decide::warnings(done.events(), &p));
        let pdfs = [
            super::agreement_pdf(case, &p, &Default::default()),
            super::parent_copy_pdf(case, &p),
            super::review_pdf(case, &p, ReviewKind::Midpoint),
            super::review_pdf(case, &p, ReviewKind::Final),
        ];
        for pdf in pdfs {
            texts.push(pdf_text(&pdf.expect("a document")));
        }
        if basis == LegalBasis::OffSiteDirection {
            texts.push(pdf_text(&notice_pdf.expect("the notice")));
        }
        for text in &texts {
            assert!(!says_it(text), "{basis:?}: {text}");
        }
    }
}

/// Two school days on, so an off-site direction's notice allows the start.
fn on_second_school_day(b: CaseBuilder) -> CaseBuilder {
    let p = b.partnership().clone();
    let day = p.calendar.add_school_days(b.today(), 2);
    b.at(p.instant(day, chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap()))
}
