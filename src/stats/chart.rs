//! The statistics as a PNG: moves sent and received per school, and how moves ended.
//! Drawn with plotters and a font the project ships, so no system font library is needed.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::Stats;
use crate::domain::Partnership;

pub(super) const FONT: &str = "sans-serif";
const WIDTH: u32 = 1000;
const HEIGHT: u32 = 720;

static REGISTER_FONT: Once = Once::new();

pub(super) fn register_font() {
    REGISTER_FONT.call_once(|| {
        // The bytes are a valid TrueType font compiled into the binary; failure would be a
        // build mistake, and then plotters reports missing glyphs as a drawing error instead.
        let _ = plotters::style::register_font(
            FONT,
            FontStyle::Normal,
            include_bytes!("font/DejaVuSans.ttf"),
        );
    });
}

#[derive(Debug, thiserror::Error)]
#[error("could not draw the chart: {0}")]
pub struct ChartError(pub(super) String);

pub(super) fn err(e: impl std::fmt::Display) -> ChartError {
    ChartError(e.to_string())
}

/// Renders the chart; returns PNG bytes.
pub fn render_png(stats: &Stats, p: &Partnership) -> Result<Vec<u8>, ChartError> {
    register_font();
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let title = format!("{} · {} to {}", p.name, stats.period.from, stats.period.to);
        let root = root.titled(&title, (FONT, 20)).map_err(err)?;
        let (top, bottom) = root.split_vertically(440);
        let (left, right) = top.split_horizontally(WIDTH * 11 / 20);
        draw_flows(&left, stats, p)?;
        draw_endings(&right, stats)?;
        super::attendance_chart::draw_school_attendance(&bottom, stats, p)?;
        root.present().map_err(err)?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

/// Bars stand in groups of three x-slots per school (two bars and a gap): the school's name
/// goes under the middle slot of its group.
pub(super) fn school_under_group(names: &[String], x: u32) -> String {
    if x % 3 == 1 {
        names.get((x / 3) as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
}

pub(super) type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

fn draw_flows(area: &Area, stats: &Stats, p: &Partnership) -> Result<(), ChartError> {
    let schools: Vec<_> = stats.schools.iter().collect();
    let max = schools
        .iter()
        .map(|(_, f)| f.sent.max(f.received))
        .max()
        .unwrap_or(0)
        .max(1) as u32;
    let mut chart = ChartBuilder::on(area)
        .caption("Moves sent and received", (FONT, 16))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(36)
        .build_cartesian_2d(
            0u32..(schools.len() as u32 * 3),
            0u32..(max + max.div_ceil(2)),
        )
        .map_err(err)?;
    let names: Vec<String> = schools.iter().map(|(k, _)| p.school_name(k)).collect();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(schools.len() * 3)
        .x_label_formatter(&|x| school_under_group(&names, *x))
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    let sent = RGBColor(59, 130, 246);
    let received = RGBColor(245, 158, 11);
    chart
        .draw_series(schools.iter().enumerate().map(|(i, (_, f))| {
            let x = i as u32 * 3;
            Rectangle::new([(x, 0), (x + 1, f.sent as u32)], sent.filled())
        }))
        .map_err(err)?
        .label("sent")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], sent.filled()));
    chart
        .draw_series(schools.iter().enumerate().map(|(i, (_, f))| {
            let x = i as u32 * 3 + 1;
            Rectangle::new([(x, 0), (x + 1, f.received as u32)], received.filled())
        }))
        .map_err(err)?
        .label("received")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], received.filled()));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 12))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(err)
}

fn draw_endings(area: &Area, stats: &Stats) -> Result<(), ChartError> {
    let t = &stats.totals;
    let endings = [
        ("permanent", t.permanent),
        ("returned", t.returned),
        ("terminated", t.terminated),
        ("declined", t.declined),
        ("withdrawn", t.withdrawn),
        ("rejected", t.rejected),
        ("open", t.open),
    ];
    let max = endings
        .iter()
        .map(|(_, n)| *n as u32)
        .max()
        .unwrap_or(0)
        .max(1);
    // Horizontal bars, so each ending's name is readable beside its bar.
    let mut chart = ChartBuilder::on(area)
        .caption("How moves ended", (FONT, 16))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(80)
        .build_cartesian_2d(
            0u32..(max + 1),
            (0u32..endings.len() as u32).into_segmented(),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(endings.len())
        .y_label_formatter(&|y| match y {
            SegmentValue::CenterOf(i) => endings
                .get(*i as usize)
                .map(|(n, _)| n.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        })
        .label_style((FONT, 12))
        .draw()
        .map_err(err)?;
    let colours = [
        RGBColor(34, 197, 94),
        RGBColor(107, 114, 128),
        RGBColor(239, 68, 68),
        RGBColor(239, 68, 68),
        RGBColor(156, 163, 175),
        RGBColor(239, 68, 68),
        RGBColor(59, 130, 246),
    ];
    chart
        .draw_series(endings.iter().enumerate().map(|(i, (_, n))| {
            let i = i as u32;
            let mut bar = Rectangle::new(
                [
                    (0, SegmentValue::Exact(i)),
                    (*n as u32, SegmentValue::Exact(i + 1)),
                ],
                colours[i as usize].filled(),
            );
            bar.set_margin(4, 4, 0, 0);
            bar
        }))
        .map_err(err)?;
    Ok(())
}

pub(super) fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(png)
}
