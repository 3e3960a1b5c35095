//! `stats`, `report`, `document` and `export`: the partnership's figures, the termly report
//! and a case's paper records.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::output::Output;
use super::Who;
use crate::domain::{input, CaseRef, Refusal};
use crate::service::reports::DocumentKind;
use crate::service::{Service, ServiceError};
use crate::stats::{self, Period};

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub who: Who,
    /// First day of the period (default: 1 September of this school year).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day of the period (default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// Also draw the chart to this PNG file.
    #[arg(long)]
    pub chart: Option<PathBuf>,
    /// Replace the chart file if it exists.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub who: Who,
    /// The term, e.g. autumn-2026 (default: this term, or the last one finished).
    #[arg(long)]
    pub term: Option<String>,
    /// The version for sharing beyond the partnership: counts under 5 read "<5", no case
    /// references.
    #[arg(long)]
    pub public: bool,
    /// Folder for the .pdf and .csv.
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
    /// Replace the files if they exist.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct DocumentArgs {
    pub case: String,
    /// agreement, parent-copy, notice (off-site direction), midpoint or final
    pub kind: String,
    #[command(flatten)]
    pub who: Who,
    /// Where to write the PDF (default: the file name the bot would use, here).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// notice only: the start it states (default: the agreed start).
    #[arg(long)]
    pub start: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    pub case: String,
    #[command(flatten)]
    pub who: Who,
    /// Folder for the .txt and .json record.
    #[arg(long, default_value = ".")]
    pub out_dir: PathBuf,
    /// Replace the files if they exist.
    #[arg(long)]
    pub force: bool,
}

pub async fn stats(
    args: StatsArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let p = service.partnership();
    let period = Period::parse(
        p.today(service.now()),
        args.from.as_deref(),
        args.to.as_deref(),
    )?;
    let figures = service.stats(&actor, period).await?;
    if let Some(path) = &args.chart {
        let png = stats::render_png(&figures, p).map_err(|e| {
            tracing::error!(error = %e, "chart failed");
            ServiceError::Internal {
                reference: "E-chart".into(),
            }
        })?;
        write(path, &png, args.force)?;
    }
    if out.is_json() {
        Ok(out.json(&serde_json::json!({ "ok": true, "stats": figures })))
    } else {
        Ok(out.line(figures.summary(p).trim_end()))
    }
}

pub async fn report(
    args: ReportArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let files = service
        .term_report(&actor, args.term.as_deref(), args.public)
        .await?;
    // Both files or neither: a name already taken is refused before anything is written.
    let paths = [&files.pdf, &files.csv].map(|d| args.out_dir.join(&d.filename));
    if let Some(taken) = paths.iter().find(|p| !args.force && p.exists()) {
        return Err(Refusal::invalid_owned(
            "out",
            format!("{} exists; add --force to replace it.", taken.display()),
        )
        .into());
    }
    let mut written = Vec::new();
    for doc in [files.pdf, files.csv] {
        let path = args.out_dir.join(&doc.filename);
        write(&path, &doc.bytes, args.force)?;
        written.push(path.display().to_string());
    }
    if out.is_json() {
        Ok(out.json(&serde_json::json!({ "ok": true, "files": written, "report": files.table })))
    } else {
        Ok(out.line(&format!("Wrote {}.", written.join(" and "))))
    }
}

pub async fn document(
    args: DocumentArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let kind = match args.kind.trim().to_ascii_lowercase().as_str() {
        "agreement" => DocumentKind::Agreement,
        "parent-copy" => DocumentKind::ParentCopy,
        "notice" => DocumentKind::Notice(
            args.start
                .as_deref()
                .map(|d| input::date("start", d))
                .transpose()?,
        ),
        other => DocumentKind::Review(input::review_kind(other).map_err(|_| {
            Refusal::invalid(
                "kind",
                "The document is agreement, parent-copy, notice, midpoint or final.",
            )
        })?),
    };
    let doc = service
        .document(&actor, CaseRef::parse(&args.case)?, kind)
        .await?;
    let path = args.out.unwrap_or_else(|| PathBuf::from(&doc.filename));
    write(&path, &doc.bytes, args.force)?;
    Ok(out.line(&format!("Wrote {}.", path.display())))
}

pub async fn export(
    args: ExportArgs,
    service: &Service,
    out: &Output,
) -> Result<ExitCode, ServiceError> {
    let actor = args.who.actor(service)?;
    let (text, json) = service.export(&actor, CaseRef::parse(&args.case)?).await?;
    let mut written = Vec::new();
    for doc in [text, json] {
        let path = args.out_dir.join(&doc.filename);
        write(&path, &doc.bytes, args.force)?;
        written.push(path.display().to_string());
    }
    Ok(out.line(&format!("Wrote {}.", written.join(" and "))))
}

/// A new private file (0600); an existing one only with --force. Pupils' records must not
/// be readable by everyone on the machine, nor replace a file by surprise.
fn write(path: &std::path::Path, bytes: &[u8], force: bool) -> Result<(), ServiceError> {
    super::guards::write_private(path, bytes, force).map_err(|e| {
        Refusal::invalid_owned("out", format!("Cannot write {}: {e}", path.display())).into()
    })
}
