//! The termly report for the partnership's board as a PDF: the figures per school in small
//! tables, the chart, and (not in the public version) the overdue steps by case. Never a
//! pupil's initials or a note: the report is figures.

use super::pdf::PdfDoc;
use crate::domain::Partnership;
use crate::stats::{ReportTable, COLUMNS};

/// Which columns each table shows (indexes into `COLUMNS`), under its heading.
const SECTIONS: [(&str, &[usize], &str); 5] = [
    (
        "Moves sent and received (the fair-share ledger)",
        &[0, 1, 2],
        "Moves proposed in the term, by the school that proposed (sent) and the school asked to take the pupil (received). Net received: received minus sent.",
    ),
    (
        "Outcomes decided in the term",
        &[3, 4, 5, 6, 7, 8],
        "Each case counts for both its schools; the partnership's row counts it once.",
    ),
    (
        "Moves that lasted, and time to start",
        &[9, 10, 11, 12],
        "Follow-ups recorded in the term (one term after a case closed) and how many found the pupil still on roll; moves that started in the term and the median school days from proposal to start.",
    ),
    (
        "Attendance during placements",
        &[13, 14, 15, 16, 17],
        "Weeks of the term reported by the school taking the pupil: attendance in those weeks, against the pupils' attendance last term as given at the proposal.",
    ),
    (
        "Overdue steps",
        &[18],
        "Steps due in the term that were done after their day or not at all, counted for the school that owed them.",
    ),
];

/// The report as a PDF; `chart` is the PNG drawn for the same audience.
pub fn term_report_pdf(t: &ReportTable, p: &Partnership, chart: Option<&[u8]>) -> Vec<u8> {
    let version = if t.public { " (public)" } else { "" };
    let mut doc = PdfDoc::new(&format!("Termly report {}{version}", t.term_key));
    doc.title(&format!("Managed moves: {}", t.term_title));
    doc.paragraph(&p.name);
    doc.row("Term", &format!("{} to {}", t.from, t.as_of));
    doc.row("Covers", &t.scope);
    if t.public {
        doc.paragraph("For sharing beyond the partnership: counts from 1 to 4 read \"<5\", as does a median or percentage resting on fewer than 5 cases, and a total over a hidden count is rounded to the nearest 5.");
    } else if t.totals.is_none() || t.totals.iter().flatten().any(|c| c == "withheld") {
        doc.paragraph("A partnership total is withheld where it would give away another school's small number.");
    }
    if let Some(png) = chart {
        doc.heading("Chart");
        if let Err(e) = doc.png(png, 483.0) {
            tracing::warn!(error = %e, "report chart not drawn");
        }
    }
    for (heading, columns, note) in SECTIONS {
        doc.heading(heading);
        doc.paragraph(note);
        let mut header = vec!["School".to_string()];
        header.extend(columns.iter().map(|c| COLUMNS[*c].1.to_string()));
        doc.cells(&header, 110.0, true);
        let pick = |cells: &[String]| -> Vec<String> {
            columns.iter().map(|c| cells[*c].clone()).collect()
        };
        for (school, cells) in &t.schools {
            let mut row = vec![school.clone()];
            row.extend(pick(cells));
            doc.cells(&row, 110.0, false);
        }
        if let Some(totals) = &t.totals {
            let mut row = vec!["Partnership".to_string()];
            row.extend(pick(totals));
            doc.cells(&row, 110.0, true);
        }
    }
    doc.heading("Overdue steps by who owed them");
    if t.overdue_by_owner.is_empty() {
        doc.paragraph("None.");
    }
    for (owner, n) in &t.overdue_by_owner {
        doc.row(owner, n);
    }
    if !t.overdue_steps.is_empty() {
        doc.heading("Overdue steps by case");
        for line in &t.overdue_steps {
            doc.paragraph(line);
        }
    }
    if !t.flows.is_empty() {
        doc.heading("Moves between schools");
        for (between, n) in &t.flows {
            doc.row(between, n);
        }
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::super::pdf::PdfDoc;

    fn png(colour: png::ColorType, bytes_per_pixel: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, 4, 2);
        encoder.set_color(colour);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_image_data(&vec![200; 8 * bytes_per_pixel])
            .unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn an_rgb_png_is_drawn_and_anything_else_refused_without_a_panic() {
        let mut doc = PdfDoc::new("pictures");
        assert!(doc.png(&png(png::ColorType::Rgb, 3), 100.0).is_ok());
        assert!(doc.png(&png(png::ColorType::Grayscale, 1), 100.0).is_err());
        assert!(doc.png(b"not a picture", 100.0).is_err());
        assert!(doc.png(&png(png::ColorType::Rgb, 3)[..40], 100.0).is_err());
        let pdf = doc.finish();
        assert!(pdf.starts_with(b"%PDF"));
    }
}
