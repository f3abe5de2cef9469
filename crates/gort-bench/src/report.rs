//! `gort-bench report`: turns the raw lines collected by `bench/compare.sh`
//! into the markdown results tables (median and min–max per peer, ratios of
//! gort to Go, tokio and may, the issues' targets: one table for the
//! in-process workloads, one for the network workloads, each with the peer
//! columns that have figures) and an SVG chart of the ratio to Go per
//! workload with the targets marked, drawn with `plotters`.
//!
//! Raw format, one measurement per line, space separated:
//! `rep procs peer name value unit` or `rep procs peer name skip|fail reason…`.

use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Peers in table order; `go` is the reference (in the network table, Go's
/// raw `net` server; `go-nethttp` is Go's `net/http`).
pub(crate) const COLUMNS: &[&str] = &[
    "gort",
    "go",
    "go-nethttp",
    "tokio-mt",
    "tokio-ct",
    "tokio-hyper",
    "may",
    "may-minihttp",
    "threads",
];

/// Row order of the table: metric names as printed by the peers.
const ORDER: &[&str] = &[
    "spawn",
    "skynet",
    "pingpong",
    "locked_pingpong_one",
    "locked_pingpong_both",
    "yield",
    "chan_buffered",
    "select4",
    "parked_mem_100k",
    "parked_mem_1m",
    "sleepers",
    "sleepers_threads",
    "sleepers_mean",
    "sleepers_p50",
    "sleepers_p99",
    "syscall_handoff_wrapped",
    "syscall_handoff_plain",
    "scale",
    "sleep_under_load_p50",
    "sleep_under_load_p99",
    "sleep_under_load_max",
    "wired_sleep_under_load_p50",
    "wired_sleep_under_load_p99",
    "wired_sleep_under_load_max",
    "wired_roundtrip_under_load_p50",
    "wired_roundtrip_under_load_p99",
    "wired_roundtrip_under_load_max",
    "mutex_under_load_p50",
    "mutex_under_load_p99",
    "mutex_under_load_max",
    "wake_from_thread_under_load_p50",
    "wake_from_thread_under_load_p99",
    "wake_from_thread_under_load_max",
    "tracer_under_load_p50",
    "tracer_under_load_p99",
    "tracer_under_load_max",
    "tracer_under_load_done",
    "tracer_under_load_roundtrip_p50",
    "tracer_under_load_roundtrip_p99",
    "tracer_under_load_roundtrip_max",
    "tracer_under_load_yield_p50",
    "tracer_under_load_yield_p99",
    "tracer_under_load_yield_max",
    "echo_1",
    "echo_1_p50",
    "echo_1_p99",
    "echo_1_cpu",
    "echo_100",
    "echo_100_p50",
    "echo_100_p99",
    "echo_100_cpu",
    "echo_100_deadline",
    "echo_100_deadline_p50",
    "echo_100_deadline_p99",
    "echo_100_deadline_cpu",
    "echo_10k",
    "echo_10k_p50",
    "echo_10k_p99",
    "echo_10k_cpu",
    "echo_10k_rss",
    "idle_10k_cpu",
    "idle_10k_rss",
    "http_c64",
    "http_c64_p99",
    "http_c64_cpu",
    "http_c256",
    "http_c256_p99",
    "http_c256_cpu",
];

/// Whether a metric belongs to the network workloads (issue 15).
fn is_network(name: &str) -> bool {
    ["echo_", "idle_", "http_"]
        .iter()
        .any(|p| name.starts_with(p))
}

/// The issues' target for a metric: a ratio gort/Go, an absolute bound on
/// gort's value, or a bound relative to another of gort's rows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// gort/Go ≤ value.
    RatioAtMost(f64),
    /// gort/Go ≥ value.
    RatioAtLeast(f64),
    /// gort's value ≥ value (percent).
    AtLeast(f64),
    /// gort's value ≤ value (in the row's unit).
    AtMost(f64),
    /// gort's value at least (1 - frac) × gort's value in the named row, at
    /// the same procs.
    WithinOf(&'static str, f64),
}

/// The target of a metric, if the issue sets one.
pub fn target(name: &str) -> Option<Target> {
    Some(match name {
        "spawn" | "skynet" | "yield" => Target::RatioAtMost(0.5),
        "pingpong" => Target::RatioAtMost(0.25),
        "locked_pingpong_one" | "locked_pingpong_both" => Target::RatioAtMost(0.1),
        "chan_buffered" => Target::RatioAtMost(1.0),
        "parked_mem_100k" | "parked_mem_1m" => Target::RatioAtMost(1.6),
        "syscall_handoff_wrapped" | "syscall_handoff_plain" => Target::AtLeast(90.0),
        n if n.ends_with("_under_load_p50") || n.ends_with("_under_load_p99") => {
            Target::RatioAtMost(1.0)
        }
        "echo_1" => Target::RatioAtLeast(1.0),
        "echo_1_p99" | "echo_10k_p99" => Target::RatioAtMost(1.0),
        "echo_100" => Target::RatioAtLeast(1.15),
        "echo_100_cpu" => Target::RatioAtMost(0.85),
        "echo_10k" => Target::RatioAtLeast(1.1),
        "echo_10k_rss" => Target::RatioAtMost(1.6),
        "echo_100_deadline" => Target::WithinOf("echo_100", 0.10),
        "http_c64" | "http_c256" => Target::RatioAtLeast(1.2),
        "idle_10k_cpu" => Target::AtMost(1.0),
        _ => return None,
    })
}

/// Whether larger values are better for a unit.
fn higher_is_better(unit: &str) -> bool {
    matches!(unit, "%" | "rt/s" | "req/s" | "requests")
}

/// All samples of one peer for one row.
#[derive(Default, Debug)]
struct Cell {
    values: Vec<f64>,
    skip: Option<String>,
    fail: Option<String>,
}

impl Cell {
    fn median(&self) -> Option<f64> {
        median(&self.values)
    }
}

/// Median of samples (mean of the middle two for an even count).
pub fn median(v: &[f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let m = s.len() / 2;
    Some(if s.len() % 2 == 1 {
        s[m]
    } else {
        (s[m - 1] + s[m]) / 2.0
    })
}

/// One table row: a metric at a processor count.
#[derive(Default, Debug)]
struct Row {
    unit: String,
    cells: BTreeMap<String, Cell>,
}

type Rows = BTreeMap<(usize, usize), (String, Row)>;

fn row_key(name: &str, procs: usize) -> (usize, usize) {
    let i = ORDER.iter().position(|n| *n == name).unwrap_or(ORDER.len());
    (i, procs)
}

/// Parses the raw lines.
fn parse(raw: &str) -> Rows {
    let mut rows = Rows::new();
    for line in raw.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 5 {
            continue;
        }
        let Ok(procs) = f[1].parse::<usize>() else {
            continue;
        };
        let (peer, name, value) = (f[2], f[3], f[4]);
        let rest = f[5..].join(" ");
        let (_, row) = rows
            .entry(row_key(name, procs))
            .or_insert_with(|| (name.to_string(), Row::default()));
        let cell = row.cells.entry(peer.to_string()).or_default();
        match value {
            "skip" => cell.skip = Some(rest),
            "fail" => cell.fail = Some(rest),
            v => {
                if let Ok(x) = v.parse::<f64>() {
                    cell.values.push(x);
                    row.unit = rest;
                }
            }
        }
    }
    rows
}

/// Three significant digits, no exponent.
fn sig3(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

fn cell_text(c: Option<&Cell>) -> String {
    let Some(c) = c else {
        return "–".into();
    };
    if let Some(m) = c.median() {
        let lo = c.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = c.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mut s = if c.values.len() > 1 {
            format!("{} ({}–{})", sig3(m), sig3(lo), sig3(hi))
        } else {
            sig3(m)
        };
        if c.fail.is_some() {
            s.push_str(" (some fail)");
        }
        s
    } else if c.fail.is_some() {
        "fail".into()
    } else if c.skip.is_some() {
        "skip".into()
    } else {
        "–".into()
    }
}

fn ratio(row: &Row, a: &str, b: &str) -> Option<f64> {
    let x = row.cells.get(a)?.median()?;
    let y = row.cells.get(b)?.median()?;
    (y != 0.0).then(|| x / y)
}

fn target_text(name: &str) -> String {
    match target(name) {
        Some(Target::RatioAtMost(t)) => format!("≤ {t}"),
        Some(Target::RatioAtLeast(t)) => format!("≥ {t}"),
        Some(Target::AtLeast(t)) => format!("≥ {t}%"),
        Some(Target::AtMost(t)) => format!("gort ≤ {t}"),
        Some(Target::WithinOf(other, f)) => format!("gort ≥ {} × {other}", 1.0 - f),
        None => String::new(),
    }
}

/// Whether gort meets the target of a row, if it has one and gort ran.
fn target_met(name: &str, procs: usize, row: &Row, rows: &Rows) -> Option<bool> {
    let gort = || row.cells.get("gort")?.median();
    match target(name)? {
        Target::RatioAtMost(t) => Some(ratio(row, "gort", "go")? <= t),
        Target::RatioAtLeast(t) => Some(ratio(row, "gort", "go")? >= t),
        Target::AtLeast(t) => Some(gort()? >= t),
        Target::AtMost(t) => Some(gort()? <= t),
        Target::WithinOf(other, f) => {
            let (_, base) = rows.get(&row_key(other, procs))?;
            Some(gort()? >= (1.0 - f) * base.cells.get("gort")?.median()?)
        }
    }
}

/// The markdown report: the in-process table, then the network table.
fn markdown(rows: &Rows, reps: usize) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "Median of {reps} interleaved run(s), (min–max) beside it. Lower is better except where the unit says ↑. \
         Ratios are gort's median over the peer's; \"gort/tokio\" is against tokio-mt.\n"
    );
    let mut notes = BTreeMap::<String, Vec<String>>::new();
    // A row no peer has a figure for (a case every peer skipped or failed,
    // named after the case rather than a metric) lives in the notes alone.
    let has_figure = |r: &Row| r.cells.values().any(|c| !c.values.is_empty());
    let core: Vec<_> = rows
        .iter()
        .filter(|(_, (n, r))| !is_network(n) && has_figure(r))
        .collect();
    let net: Vec<_> = rows
        .iter()
        .filter(|(_, (n, r))| is_network(n) && has_figure(r))
        .collect();
    if !core.is_empty() {
        table(&mut md, &core, rows, false, &mut notes);
    }
    for ((_, procs), (name, row)) in rows.iter().filter(|(_, (_, r))| !has_figure(r)) {
        note_skips(name, *procs, row, &mut notes);
    }
    if !net.is_empty() {
        if !core.is_empty() {
            md.push('\n');
        }
        let _ = writeln!(
            md,
            "Network (loopback): procs 1 = the server pinned to one CPU with one scheduler thread, \
             the client on the other; procs 2 = nothing pinned, two scheduler threads. \
             \"go\" is Go's raw `net` server, the reference of the ratios.\n"
        );
        table(&mut md, &net, rows, true, &mut notes);
    }
    if !notes.is_empty() {
        let _ = writeln!(md, "\nSkipped and failed cases:\n");
        for (what, wh) in notes {
            let _ = writeln!(md, "- {what} ({})", wh.join(", "));
        }
    }
    md
}

/// Adds a row's skipped and failed cells to `notes`.
fn note_skips(name: &str, procs: usize, row: &Row, notes: &mut BTreeMap<String, Vec<String>>) {
    for c in COLUMNS {
        if let Some(cell) = row.cells.get(*c) {
            for (kind, why) in [("skip", &cell.skip), ("fail", &cell.fail)] {
                if let Some(w) = why {
                    notes
                        .entry(format!("{c} {kind}: {w}"))
                        .or_default()
                        .push(format!("{name}@{procs}"));
                }
            }
        }
    }
}

type RowRef<'a> = (&'a (usize, usize), &'a (String, Row));

/// One markdown table of `section`'s rows, with the peer columns that have
/// at least one figure there; skips and failures go to `notes`.
fn table(
    md: &mut String,
    section: &[RowRef<'_>],
    rows: &Rows,
    ahead_column: bool,
    notes: &mut BTreeMap<String, Vec<String>>,
) {
    let columns: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| {
            section
                .iter()
                .any(|(_, (_, r))| r.cells.get(*c).is_some_and(|cell| !cell.values.is_empty()))
        })
        .collect();
    let _ = write!(md, "| workload | procs | unit |");
    for c in &columns {
        let _ = write!(md, " {c} |");
    }
    let _ = write!(md, " gort/Go | gort/tokio | gort/may | target | met |");
    if ahead_column {
        let _ = write!(md, " ahead of tokio and may |");
    }
    let _ = write!(md, "\n|---|---|---|");
    for _ in &columns {
        let _ = write!(md, "---|");
    }
    let _ = writeln!(
        md,
        "---|---|---|---|---|{}",
        if ahead_column { "---|" } else { "" }
    );
    for ((_, procs), (name, row)) in section {
        let unit = if higher_is_better(&row.unit) {
            format!("{} ↑", row.unit)
        } else {
            row.unit.clone()
        };
        let _ = write!(md, "| {name} | {procs} | {unit} |");
        for c in &columns {
            let _ = write!(md, " {} |", cell_text(row.cells.get(*c)));
        }
        note_skips(name, *procs, row, notes);
        for peer in ["go", "tokio-mt", "may"] {
            let r = ratio(row, "gort", peer)
                .map(sig3)
                .unwrap_or_else(|| "–".into());
            let _ = write!(md, " {r} |");
        }
        let met = match target_met(name, *procs, row, rows) {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let _ = write!(md, " {} | {met} |", target_text(name));
        if ahead_column {
            let ahead = match ahead_of_tokio_and_may(row) {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            };
            let _ = write!(md, " {ahead} |");
        }
        md.push('\n');
    }
}

/// Whether gort's median is better than both tokio-mt's and may's (higher
/// or lower as the unit says), where all three ran.
fn ahead_of_tokio_and_may(row: &Row) -> Option<bool> {
    let g = row.cells.get("gort")?.median()?;
    let mut ahead = true;
    for peer in ["tokio-mt", "may"] {
        let v = row.cells.get(peer)?.median()?;
        ahead &= if higher_is_better(&row.unit) {
            g > v
        } else {
            g < v
        };
    }
    Some(ahead)
}

/// Draws the ratio-to-Go chart.
fn chart(rows: &Rows, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    struct Bar {
        label: String,
        gort: Option<f64>,
        others: Vec<(usize, f64)>,
        target: Option<f64>,
    }
    let others = ["tokio-mt", "tokio-ct", "may", "threads"];
    let mut bars = Vec::new();
    for ((_, procs), (name, row)) in rows {
        let Some(go) = row.cells.get("go").and_then(Cell::median) else {
            continue;
        };
        if go == 0.0 {
            continue;
        }
        let o: Vec<(usize, f64)> = others
            .iter()
            .enumerate()
            .filter_map(|(i, p)| Some((i, row.cells.get(*p)?.median()? / go)))
            .collect();
        let gort = row.cells.get("gort").and_then(Cell::median).map(|g| g / go);
        if gort.is_none() && o.is_empty() {
            continue;
        }
        let target = match target(name) {
            Some(Target::RatioAtMost(t) | Target::RatioAtLeast(t)) => Some(t),
            Some(Target::AtLeast(t) | Target::AtMost(t)) => Some(t / go),
            Some(Target::WithinOf(..)) | None => None,
        };
        let arrow = if higher_is_better(&row.unit) {
            " ↑"
        } else {
            ""
        };
        bars.push(Bar {
            label: format!("{name} p{procs}{arrow}"),
            gort,
            others: o,
            target,
        });
    }
    let n = bars.len().max(1);
    let (lo, hi) = (0.01f64, 100f64);
    let clamp = |v: f64| v.clamp(lo * 1.01, hi / 1.01);
    let root = SVGBackend::new(path, (140 + 60 * n as u32, 720)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut ch = ChartBuilder::on(&root)
        .caption(
            "gort / Go 1.19 per workload (log scale; bars below 1 = faster or smaller than Go, except ↑)",
            ("sans-serif", 18),
        )
        .margin(12)
        .x_label_area_size(190)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.5f64..n as f64 - 0.5, (lo..hi).log_scale())?;
    ch.configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("ratio to Go (median)")
        .y_label_formatter(&|v| format!("{v}"))
        .draw()?;
    // Parity line.
    ch.draw_series(LineSeries::new(
        [(-0.5, 1.0), (n as f64 - 0.5, 1.0)],
        BLACK.mix(0.4),
    ))?;
    let blue = RGBColor(40, 90, 200);
    ch.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let x = i as f64;
        b.gort
            .map(|g| Rectangle::new([(x - 0.3, 1.0), (x + 0.3, clamp(g))], blue.filled()))
    }))?
    .label("gort")
    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], blue.filled()));
    let red = RGBColor(220, 30, 30);
    ch.draw_series(bars.iter().enumerate().filter_map(|(i, b)| {
        let x = i as f64;
        b.target.map(|t| {
            PathElement::new(
                vec![(x - 0.42, clamp(t)), (x + 0.42, clamp(t))],
                red.stroke_width(3),
            )
        })
    }))?
    .label("target (issues 4 and 15)")
    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], red.stroke_width(3)));
    let styles: [RGBColor; 4] = [
        RGBColor(0, 150, 80),
        RGBColor(120, 200, 120),
        RGBColor(230, 140, 0),
        RGBColor(120, 120, 120),
    ];
    for (pi, peer) in others.iter().enumerate() {
        let c = styles[pi];
        let off = -0.22 + 0.15 * pi as f64;
        ch.draw_series(bars.iter().enumerate().flat_map(|(i, b)| {
            b.others
                .iter()
                .filter(|(p, _)| *p == pi)
                .map(move |(_, v)| Circle::new((i as f64 + off, clamp(*v)), 4, c.filled()))
                .collect::<Vec<_>>()
        }))?
        .label(format!("{peer} / Go"))
        .legend(move |(x, y)| Circle::new((x + 6, y), 4, c.filled()));
    }
    ch.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    // Category labels, rotated, under the plot.
    let font = ("sans-serif", 13)
        .into_font()
        .transform(FontTransform::Rotate90);
    for (i, b) in bars.iter().enumerate() {
        ch.draw_series(std::iter::once(
            EmptyElement::at((i as f64, lo)) + Text::new(b.label.clone(), (-6, 8), font.clone()),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// Entry point of `gort-bench report`.
pub fn main(mut args: impl Iterator<Item = String>) -> Result<(), String> {
    let (mut raw, mut md_out, mut svg_out) = (None, None, None);
    while let Some(flag) = args.next() {
        let v = args.next().ok_or(format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--raw" => raw = Some(v),
            "--md" => md_out = Some(v),
            "--svg" => svg_out = Some(v),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let raw = raw.ok_or("--raw is required")?;
    let text = std::fs::read_to_string(&raw).map_err(|e| format!("{raw}: {e}"))?;
    let reps = text
        .lines()
        .filter_map(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .max()
        .unwrap_or(0);
    let rows = parse(&text);
    let md = markdown(&rows, reps);
    print!("{md}");
    if let Some(p) = md_out {
        std::fs::write(&p, &md).map_err(|e| format!("{p}: {e}"))?;
    }
    if let Some(p) = svg_out {
        chart(&rows, &p).map_err(|e| format!("chart {p}: {e}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RAW: &str = "\
1 2 go pingpong 400 ns/op
1 2 gort pingpong 100 ns/op
1 2 may select4 skip may has no select
2 2 go pingpong 500 ns/op
2 2 gort pingpong 120 ns/op
1 1 gort syscall_handoff_plain 95 %
1 1 go syscall_handoff_plain 57 %
1 2 may parked_mem_1m fail killed by signal 6
";

    #[test]
    fn medians_and_ratios() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0]), Some(1.5));
        let rows = parse(RAW);
        let md = markdown(&rows, 2);
        assert!(md.contains("| pingpong | 2 | ns/op | 110 (100–120) | 450 (400–500) |"));
        assert!(md.contains("| 0.244 |"), "{md}");
        assert!(md.contains("% ↑"));
        assert!(md.contains("may skip: may has no select (select4@2)"));
        assert!(md.contains("may fail: killed by signal 6 (parked_mem_1m@2)"));
        let dir = std::env::temp_dir().join(format!("gort-bench-chart-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("c.svg");
        chart(&rows, p.to_str().unwrap()).unwrap();
        let svg = std::fs::read_to_string(&p).unwrap();
        assert!(svg.contains("<svg") && svg.contains("pingpong p2"));
        std::fs::remove_dir_all(dir).unwrap();
    }

    const NET_RAW: &str = "\
1 1 gort echo_100 120000 rt/s
1 1 go echo_100 100000 rt/s
1 1 gort echo_100_deadline 100000 rt/s
1 1 go echo_100_deadline 90000 rt/s
1 1 gort echo_100_cpu 8 us/rt
1 1 go echo_100_cpu 10 us/rt
1 2 gort idle_10k_cpu 0.5 %cpu
1 1 tokio-hyper http_c64 50000 req/s
1 1 go http_c64 40000 req/s
1 1 gort http_c64 49000 req/s
1 1 threads echo_10k skip needs 10000 OS threads
1 2 gort echo_1 90000 rt/s
1 2 tokio-mt echo_1 80000 rt/s
1 2 may echo_1 95000 rt/s
1 2 gort echo_1_p99 10 us
1 2 tokio-mt echo_1_p99 12 us
1 2 may echo_1_p99 11 us
";

    #[test]
    fn network_rows_get_their_own_table_columns_and_targets() {
        let md = markdown(&parse(NET_RAW), 1);
        let net = &md[md.find("Network (loopback)").expect("network section")..];
        assert!(
            net.contains("| gort | go | tokio-mt | tokio-hyper | may |"),
            "{md}"
        );
        assert!(!net.contains("| threads |"), "threads has no figure: {md}");
        // 120000 / 100000 = 1.2 ≥ 1.15; CPU 8 / 10 = 0.8 ≤ 0.85.
        assert!(net.contains("| echo_100 | 1 | rt/s ↑ |"), "{md}");
        let line = |name: &str| {
            net.lines()
                .find(|l| l.starts_with(&format!("| {name} |")))
                .unwrap_or_else(|| panic!("no {name} row: {md}"))
                .to_string()
        };
        assert!(line("echo_100").ends_with("| ≥ 1.15 | yes |  |"), "{md}");
        assert!(
            line("echo_100_cpu").ends_with("| ≤ 0.85 | yes |  |"),
            "{md}"
        );
        // The deadline row is held to gort's own echo_100: 100000 < 0.9 × 120000.
        assert!(line("echo_100_deadline").ends_with("| **no** |  |"), "{md}");
        assert!(
            line("idle_10k_cpu").ends_with("| gort ≤ 1 | yes |  |"),
            "{md}"
        );
        // 49000 / 40000 = 1.225 ≥ 1.2.
        assert!(line("http_c64").ends_with("| ≥ 1.2 | yes |  |"), "{md}");
        assert!(md.contains("threads skip: needs 10000 OS threads (echo_10k@1)"));
        // Ahead of tokio and may: higher round trips and lower latency than both.
        assert!(line("echo_1").ends_with("| **no** |"), "behind may: {md}");
        assert!(line("echo_1_p99").ends_with("| yes |"), "{md}");
        assert!(
            !md[..md.find("Network").unwrap()].contains("ahead of"),
            "{md}"
        );
        assert!(!md.contains("| spawn |"));
    }
}
