//! `gort-bench report`: turns the raw lines collected by `bench/compare.sh`
//! into the markdown results table (median and min–max per peer, ratios of
//! gort to Go, tokio and may, the targets) and an SVG chart of the
//! ratio to Go per workload with the targets marked, drawn with `plotters`.
//!
//! Raw format, one measurement per line, space separated:
//! `rep procs peer name value unit` or `rep procs peer name skip|fail reason…`.

use plotters::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Peers in table order; `go` is the reference.
const COLUMNS: &[&str] = &["gort", "go", "tokio-mt", "tokio-ct", "may", "threads"];

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
];

/// The target for a metric, as (kind, value): a ratio gort/Go at most
/// `value`, or an absolute percentage at least `value`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// gort/Go ≤ value.
    RatioAtMost(f64),
    /// gort's value ≥ value (percent).
    AtLeast(f64),
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
        _ => return None,
    })
}

/// Whether larger values are better for a unit.
fn higher_is_better(unit: &str) -> bool {
    unit == "%"
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
        Some(Target::AtLeast(t)) => format!("≥ {t}%"),
        None => String::new(),
    }
}

/// Whether gort meets the target of a row, if it has one and gort ran.
fn target_met(name: &str, row: &Row) -> Option<bool> {
    match target(name)? {
        Target::RatioAtMost(t) => Some(ratio(row, "gort", "go")? <= t),
        Target::AtLeast(t) => Some(row.cells.get("gort")?.median()? >= t),
    }
}

/// The markdown report.
fn markdown(rows: &Rows, reps: usize) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "Median of {reps} interleaved run(s), (min–max) beside it. Lower is better except where the unit says ↑. \
         Ratios are gort's median over the peer's; \"gort/tokio\" is against tokio-mt.\n"
    );
    let _ = write!(md, "| workload | procs | unit |");
    for c in COLUMNS {
        let _ = write!(md, " {c} |");
    }
    let _ = writeln!(md, " gort/Go | gort/tokio | gort/may | target | met |");
    let _ = write!(md, "|---|---|---|");
    for _ in COLUMNS {
        let _ = write!(md, "---|");
    }
    let _ = writeln!(md, "---|---|---|---|---|");
    let mut notes = BTreeMap::<String, Vec<String>>::new();
    for ((_, procs), (name, row)) in rows {
        let unit = if higher_is_better(&row.unit) {
            format!("{} ↑", row.unit)
        } else {
            row.unit.clone()
        };
        let _ = write!(md, "| {name} | {procs} | {unit} |");
        for c in COLUMNS {
            let cell = row.cells.get(*c);
            let _ = write!(md, " {} |", cell_text(cell));
            if let Some(cell) = cell {
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
        for peer in ["go", "tokio-mt", "may"] {
            let r = ratio(row, "gort", peer)
                .map(sig3)
                .unwrap_or_else(|| "–".into());
            let _ = write!(md, " {r} |");
        }
        let met = match target_met(name, row) {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let _ = writeln!(md, " {} | {met} |", target_text(name));
    }
    if !notes.is_empty() {
        let _ = writeln!(md, "\nSkipped and failed cases:\n");
        for (what, wh) in notes {
            let _ = writeln!(md, "- {what} ({})", wh.join(", "));
        }
    }
    md
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
            Some(Target::RatioAtMost(t)) => Some(t),
            Some(Target::AtLeast(t)) => Some(t / go),
            None => None,
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
    .label("target (issue 4)")
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
}
