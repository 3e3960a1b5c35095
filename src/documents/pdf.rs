//! A small A4 page layout on pdf-writer: headings, paragraphs that wrap, label/value rows
//! and rules, flowing onto new pages. Uses the standard Helvetica fonts (every PDF reader
//! has them), so nothing is embedded and the text can be extracted again for tests.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const REGULAR: Name = Name(b"F1");
const BOLD: Name = Name(b"F2");

pub struct PdfDoc {
    title: String,
    pages: Vec<Content>,
    y: f32,
    /// Pictures drawn so far: the page each is on, and the picture.
    images: Vec<(usize, PngImage)>,
}

/// A PNG's pixels as PDF can take them: its zlib stream as is, with PNG's predictors.
struct PngImage {
    width: u32,
    height: u32,
    zlib: Vec<u8>,
}

impl PdfDoc {
    pub fn new(title: &str) -> Self {
        let mut doc = Self {
            title: title.to_string(),
            pages: Vec::new(),
            y: 0.0,
            images: Vec::new(),
        };
        doc.new_page();
        doc
    }

    fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = PAGE_H - MARGIN;
    }

    fn room(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.new_page();
        }
    }

    fn text(&mut self, font: Name, size: f32, x: f32, line: &str) {
        let bytes = win_ansi(line);
        let y = self.y;
        let page = self.pages.last_mut().expect("a page always exists");
        page.begin_text();
        page.set_font(font, size);
        page.next_line(x, y);
        page.show(Str(&bytes));
        page.end_text();
    }

    pub fn title(&mut self, text: &str) {
        self.room(30.0);
        self.text(BOLD, 18.0, MARGIN, text);
        self.y -= 28.0;
    }

    pub fn heading(&mut self, text: &str) {
        self.room(40.0);
        self.y -= 8.0;
        self.text(BOLD, 12.0, MARGIN, text);
        self.y -= 6.0;
        self.rule();
        self.y -= 12.0;
    }

    pub fn paragraph(&mut self, text: &str) {
        for line in wrap(text, 92) {
            self.room(14.0);
            self.text(REGULAR, 10.0, MARGIN, &line);
            self.y -= 14.0;
        }
        self.y -= 4.0;
    }

    /// "Label: value", the value wrapped beside the label.
    pub fn row(&mut self, label: &str, value: &str) {
        let lines = wrap(value, 66);
        for (i, line) in lines.iter().enumerate() {
            self.room(14.0);
            if i == 0 {
                self.text(BOLD, 10.0, MARGIN, label);
            }
            self.text(REGULAR, 10.0, MARGIN + 150.0, line);
            self.y -= 14.0;
        }
    }

    /// One table row: the first cell at the margin, the rest in equal columns after
    /// `first` points. Cells are short; a long one runs into the next.
    pub fn cells(&mut self, cells: &[String], first: f32, bold: bool) {
        self.room(13.0);
        let font = if bold { BOLD } else { REGULAR };
        let others = cells.len().saturating_sub(1).max(1) as f32;
        let width = (PAGE_W - 2.0 * MARGIN - first) / others;
        for (i, cell) in cells.iter().enumerate() {
            let x = if i == 0 {
                MARGIN
            } else {
                MARGIN + first + width * (i - 1) as f32
            };
            self.text(font, 9.0, x, cell);
        }
        self.y -= 13.0;
    }

    /// A PNG picture (8-bit RGB, as the charts are drawn), `width` points wide, on the page
    /// it fits on. Anything else is refused rather than drawn wrongly.
    pub fn png(&mut self, png: &[u8], width: f32) -> Result<(), String> {
        let image = PngImage::parse(png)?;
        let height = width * image.height as f32 / image.width as f32;
        self.room(height + 8.0);
        self.y -= height;
        let name = format!("Im{}", self.images.len());
        let page = self.pages.last_mut().expect("a page always exists");
        page.save_state();
        page.transform([width, 0.0, 0.0, height, MARGIN, self.y]);
        page.x_object(Name(name.as_bytes()));
        page.restore_state();
        self.y -= 8.0;
        self.images.push((self.pages.len() - 1, image));
        Ok(())
    }

    pub fn rule(&mut self) {
        let y = self.y;
        let page = self.pages.last_mut().expect("a page always exists");
        page.set_line_width(0.5);
        page.move_to(MARGIN, y);
        page.line_to(PAGE_W - MARGIN, y);
        page.stroke();
    }

    pub fn space(&mut self, points: f32) {
        self.y -= points;
    }

    /// The finished file.
    pub fn finish(self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let catalog = Ref::new(1);
        let tree = Ref::new(2);
        let regular = Ref::new(3);
        let bold = Ref::new(4);
        let info = Ref::new(5);
        let first_page = 6;
        let count = self.pages.len() as i32;
        let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(first_page + 2 * i)).collect();
        pdf.catalog(catalog).pages(tree);
        pdf.pages(tree).kids(page_ids.iter().copied()).count(count);
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr("managed-moves"));
        for (name, id) in [
            (b"Helvetica".as_slice(), regular),
            (b"Helvetica-Bold".as_slice(), bold),
        ] {
            pdf.type1_font(id)
                .base_font(Name(name))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
        }
        let total = self.pages.len();
        let first_image = first_page + 2 * count;
        for (n, (_, image)) in self.images.iter().enumerate() {
            let mut x = pdf.image_xobject(Ref::new(first_image + n as i32), &image.zlib);
            x.filter(pdf_writer::Filter::FlateDecode);
            x.width(image.width as i32);
            x.height(image.height as i32);
            x.color_space().device_rgb();
            x.bits_per_component(8);
            x.decode_parms()
                .predictor(pdf_writer::types::Predictor::PngOptimum)
                .colors(3)
                .bits_per_component(8)
                .columns(image.width as i32);
        }
        for (i, mut content) in self.pages.into_iter().enumerate() {
            // Footer: title and page number on every page.
            let footer = format!("{} · page {} of {}", self.title, i + 1, total);
            content.begin_text();
            content.set_font(REGULAR, 8.0);
            content.next_line(MARGIN, MARGIN / 2.0);
            content.show(Str(&win_ansi(&footer)));
            content.end_text();
            let page_id = page_ids[i];
            let content_id = Ref::new(page_id.get() + 1);
            let mut page = pdf.page(page_id);
            page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
            page.parent(tree);
            page.contents(content_id);
            let mut resources = page.resources();
            resources.fonts().pair(REGULAR, regular).pair(BOLD, bold);
            let mut pictures = resources.x_objects();
            for (n, (on, _)) in self.images.iter().enumerate() {
                if *on == i {
                    let name = format!("Im{n}");
                    pictures.pair(Name(name.as_bytes()), Ref::new(first_image + n as i32));
                }
            }
            pictures.finish();
            resources.finish();
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
    }
}

impl PngImage {
    /// Reads the header and joins the IDAT chunks; no pixel is decoded.
    fn parse(png: &[u8]) -> Result<PngImage, String> {
        let body = png
            .strip_prefix(b"\x89PNG\r\n\x1a\n".as_slice())
            .ok_or("not a PNG")?;
        let (mut at, mut header, mut zlib, mut ended) = (0, None, Vec::new(), false);
        while at + 12 <= body.len() && !ended {
            let len = u32::from_be_bytes(body[at..at + 4].try_into().expect("4 bytes")) as usize;
            let kind = &body[at + 4..at + 8];
            let data = body
                .get(at + 8..at + 8 + len)
                .ok_or("a PNG chunk is cut short")?;
            match kind {
                b"IHDR" if len == 13 => header = Some(data.to_vec()),
                b"IDAT" => zlib.extend_from_slice(data),
                b"IEND" => ended = true,
                _ => {}
            }
            at += 12 + len;
        }
        let h = header.ok_or("a PNG without a header")?;
        if !ended || zlib.is_empty() {
            return Err("a PNG cut short".into());
        }
        let size = |i: usize| u32::from_be_bytes(h[i..i + 4].try_into().expect("4 bytes"));
        // Bit depth 8, colour type 2 (RGB), no interlace: what PDF's PNG predictors read.
        if h[8] != 8 || h[9] != 2 || h[12] != 0 {
            return Err("only 8-bit RGB PNGs without interlace are drawn".into());
        }
        Ok(PngImage {
            width: size(0),
            height: size(4),
            zlib,
        })
    }
}

/// Greedy word wrap by characters (Helvetica at 10pt fits about 92 across A4 with margins).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// The standard fonts use WinAnsi (Windows-1252): map the few characters we use beyond
/// Latin-1 and replace anything else, so no text is ever silently garbled.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .flat_map(|c| match c {
            '→' => vec![b'-', b'>'],
            c => vec![win_ansi_byte(c)],
        })
        .collect()
}

fn win_ansi_byte(c: char) -> u8 {
    match c {
        '·' => 0xB7,
        '–' => 0x96,
        '—' => 0x97,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '✓' => b'v',
        c if (c as u32) < 0x80 => c as u8,
        c if (0xA0..=0xFF).contains(&(c as u32)) => c as u32 as u8,
        _ => b'?',
    }
}
