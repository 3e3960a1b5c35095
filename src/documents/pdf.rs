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
}

impl PdfDoc {
    pub fn new(title: &str) -> Self {
        let mut doc = Self {
            title: title.to_string(),
            pages: Vec::new(),
            y: 0.0,
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
            resources.finish();
            page.finish();
            pdf.stream(content_id, &content.finish());
        }
        pdf.finish()
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
