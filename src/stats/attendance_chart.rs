//! One case's attendance as a small PNG: the percentage each reported week, against the
//! partnership's threshold and the pupil's baseline from last term.

use plotters::prelude::*;

use super::chart::{encode_png, err, register_font, school_under_group, Area, ChartError, FONT};
use super::Stats;
use crate::domain::attendance::placement_weeks;
use crate::domain::{Case, Partnership};

const WIDTH: u32 = 720;
const HEIGHT: u32 = 320;

/// The chart for `case`: x is the placement's school weeks, y is attendance in percent.
/// Only the case reference names it (the figures are the pupil's; the chart goes only to
/// people who may see the case).
pub fn render_attendance_png(case: &Case, p: &Partnership) -> Result<Vec<u8>, ChartError> {
    register_font();
    let weeks = placement_weeks(case, p);
    let points: Vec<(u32, f64)> = weeks
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let reported = case.attendance.get(&w.monday)?;
            Some((i as u32, reported.report.percent().as_f64()))
        })
        .collect();
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| w.monday.format("%-d %b").to_string())
        .collect();
    let threshold = p.policy.attendance_threshold().as_f64();
    let n = weeks.len().max(1) as u32;
    let lowest = points
        .iter()
        .map(|(_, y)| *y)
        .chain([threshold])
        .chain(case.baseline_attendance.map(|b| b.as_f64()))
        .fold(100.0f64, f64::min);
    let floor = ((lowest - 10.0) / 10.0).floor().max(0.0) * 10.0;
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{} · attendance per week (%)", case.reference),
                (FONT, 16),
            )
            .margin(12)
            .margin_right(28)
            .x_label_area_size(30)
            .y_label_area_size(40)
            .build_cartesian_2d(0u32..n.saturating_sub(1).max(1), floor..100.5f64)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n as usize)
            .x_label_formatter(&|x| labels.get(*x as usize).cloned().unwrap_or_default())
            .label_style((FONT, 11))
            .draw()
            .map_err(err)?;
        let red = RGBColor(239, 68, 68);
        let grey = RGBColor(107, 114, 128);
        let blue = RGBColor(59, 130, 246);
        let last = n.saturating_sub(1);
        chart
            .draw_series(line(vec![(0, threshold), (last, threshold)], red))
            .map_err(err)?
            .label(format!("threshold {}", p.policy.attendance_threshold()))
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], red.stroke_width(2)));
        if let Some(baseline) = case.baseline_attendance {
            let b = baseline.as_f64();
            chart
                .draw_series(line(vec![(0, b), (last, b)], grey))
                .map_err(err)?
                .label(format!("last term {baseline}"))
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 14, y)], grey.stroke_width(2))
                });
        }
        // A missing week breaks the line rather than being drawn through.
        let mut runs: Vec<Vec<(u32, f64)>> = Vec::new();
        for point in &points {
            match runs.last_mut() {
                Some(run) if run.last().is_some_and(|(x, _)| x + 1 == point.0) => run.push(*point),
                _ => runs.push(vec![*point]),
            }
        }
        chart
            .draw_series(
                runs.into_iter()
                    .map(|run| PathElement::new(run, blue.stroke_width(2))),
            )
            .map_err(err)?
            .label("this placement")
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], blue.stroke_width(2)));
        chart
            .draw_series(points.iter().map(|(x, y)| {
                let colour = if *y <= threshold { red } else { blue };
                Circle::new((*x, *y), 4, colour.filled())
            }))
            .map_err(err)?;
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .label_font((FONT, 11))
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

/// A polyline as a one-element series (plotters' line series is a feature we don't build).
fn line(points: Vec<(u32, f64)>, colour: RGBColor) -> std::iter::Once<PathElement<(u32, f64)>> {
    std::iter::once(PathElement::new(points, colour.stroke_width(2)))
}

/// The statistics chart's third panel: for each school, attendance in the placements it
/// received against those pupils' attendance last term, with the threshold across.
pub(super) fn draw_school_attendance(
    area: &Area,
    stats: &Stats,
    p: &Partnership,
) -> Result<(), ChartError> {
    let schools: Vec<_> = stats.schools.iter().collect();
    let n = schools.len().max(1) as u32;
    let names: Vec<String> = schools.iter().map(|(k, _)| p.school_name(k)).collect();
    let overall = stats
        .totals
        .attendance
        .during
        .map_or_else(|| "none reported".to_string(), |d| format!("{d:.1}%"));
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Attendance during placements (overall {overall}) against last term"),
            (FONT, 16),
        )
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(40)
        .build_cartesian_2d(0u32..(n * 3 + 4), 0f64..100.5f64)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(n as usize * 3 + 4)
        .x_label_formatter(&|x| school_under_group(&names, *x))
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    let during = RGBColor(59, 130, 246);
    let baseline = RGBColor(156, 163, 175);
    let red = RGBColor(239, 68, 68);
    for (offset, colour, label, value) in [
        (0u32, during, "during the placement", 0usize),
        (1, baseline, "last term (baseline)", 1),
    ] {
        chart
            .draw_series(schools.iter().enumerate().filter_map(|(i, (_, f))| {
                let v = if value == 0 {
                    f.attendance.during
                } else {
                    f.attendance.baseline
                }?;
                let x = i as u32 * 3 + offset;
                Some(Rectangle::new([(x, 0.0), (x + 1, v)], colour.filled()))
            }))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled()));
    }
    let threshold = p.policy.attendance_threshold().as_f64();
    chart
        .draw_series(line(vec![(0, threshold), (n * 3 - 1, threshold)], red))
        .map_err(err)?
        .label(format!("threshold {}", p.policy.attendance_threshold()))
        .legend(move |(x, y)| PathElement::new([(x, y), (x + 14, y)], red.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerRight)
        .label_font((FONT, 12))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)
}
