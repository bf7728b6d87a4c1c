//! The 通报's two charts as pictures: horizontal bar charts drawn into a
//! PNG at print resolution, their text set in a Chinese font found on the
//! machine (黑体 or 微软雅黑 on Windows, 文泉驿 or Noto CJK on Linux,
//! 苹方 on a Mac, or the file diaodu.toml's `chart_font` names).
//!
//! A chart is described once ([`BarChart`]: rows of a label, coloured
//! segments and a figure, an axis, an optional marker line) and drawn either
//! here as a picture or, where no font covers its text, by the document as
//! shaded bars in a table. Nothing here computes a figure: the rows come
//! from the assessment.

use crate::config::ChartFontChoice;
use ab_glyph::{Font, FontVec, GlyphId, PxScale, ScaleFont};
use std::path::{Path, PathBuf};

/// An RGB colour.
pub type Rgb = [u8; 3];

/// Parse "C00000" into an RGB colour (black on anything else).
pub fn rgb(hex: &str) -> Rgb {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    [(v >> 16) as u8, (v >> 8) as u8, v as u8]
}

/// How the axis labels its ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    /// Fractions shown as percentages (0.25 → "25%").
    Percent,
    /// Whole counts.
    Count,
}

/// One bar: its label on the left, its segments stacked from zero, and the
/// figure written after it.
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    /// (length on the axis, colour as "RRGGBB").
    pub segments: Vec<(f64, &'static str)>,
    pub figure: String,
}

/// A horizontal bar chart.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub rows: Vec<BarRow>,
    /// What a full bar stands for: the end of a percentage axis, and the
    /// scale of the table bars ([`Axis::Count`] pictures run to their
    /// longest bar instead).
    pub max: f64,
    pub axis: Axis,
    /// A dashed vertical line across the bars at a value, with its label
    /// (the time progress on the rate chart).
    pub marker: Option<(f64, String)>,
}

impl BarChart {
    /// Every character the picture writes.
    pub fn text(&self) -> String {
        let mut s: String = self
            .rows
            .iter()
            .flat_map(|r| [r.label.as_str(), r.figure.as_str()])
            .collect();
        if let Some((_, m)) = &self.marker {
            s.push_str(m);
        }
        s.push_str("0123456789%");
        s
    }
}

/// A font the charts can be drawn in, and where it was found.
pub struct ChartFont {
    font: FontVec,
    pub path: PathBuf,
}

impl std::fmt::Debug for ChartFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChartFont")
            .field("path", &self.path)
            .finish()
    }
}

impl ChartFont {
    /// Load the first face of a .ttf/.otf/.ttc file.
    pub fn load(path: &Path) -> Option<ChartFont> {
        // A font file is a few MB (a .ttc of 微软雅黑 about 20): anything much
        // larger is not one.
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > 64 << 20 {
            return None;
        }
        let data = std::fs::read(path).ok()?;
        let font = FontVec::try_from_vec_and_index(data, 0).ok()?;
        Some(ChartFont {
            font,
            path: path.to_path_buf(),
        })
    }

    /// Whether every character of `text` other than spaces has a glyph.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| self.font.glyph_id(c) != GlyphId(0))
    }
}

/// Font files that hold Chinese, by platform, in the order they are tried:
/// a 黑体-like face first (it prints clearest small).
fn system_candidates() -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut windows_dirs = Vec::new();
    if let Some(w) = std::env::var_os("WINDIR") {
        windows_dirs.push(PathBuf::from(w).join("Fonts"));
    }
    windows_dirs.push(PathBuf::from(r"C:\Windows\Fonts"));
    if let Some(l) = std::env::var_os("LOCALAPPDATA") {
        windows_dirs.push(PathBuf::from(l).join(r"Microsoft\Windows\Fonts"));
    }
    for d in &windows_dirs {
        for f in [
            "simhei.ttf",
            "msyh.ttc",
            "msyh.ttf",
            "Deng.ttf",
            "simsun.ttc",
            "simfang.ttf",
            "simkai.ttf",
        ] {
            v.push(d.join(f));
        }
    }
    for f in [
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
        "/System/Library/Fonts/PingFang.ttc",
        "/System/Library/Fonts/STHeiti Medium.ttc",
        "/System/Library/Fonts/Hiragino Sans GB.ttc",
        "/Library/Fonts/Arial Unicode.ttf",
    ] {
        v.push(PathBuf::from(f));
    }
    v
}

/// Why the charts are drawn as table bars rather than pictures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoFont {
    /// diaodu.toml says `chart_font = "none"`.
    TurnedOff,
    /// diaodu.toml names a file that is not a font covering the text.
    Configured(PathBuf),
    /// No Chinese font on this machine covers the text.
    NotFound,
}

impl NoFont {
    /// What the run's findings say, or None when it was asked for.
    pub fn message(&self) -> Option<String> {
        match self {
            NoFont::TurnedOff => None,
            NoFont::Configured(p) => Some(format!(
                "通报文档的两幅图以表格中的色条绘出:diaodu.toml 中 chart_font 指定的 {} 不是可用的中文字体文件(或缺少单位名称中的字);请改为一个 .ttf/.ttc 字体文件,例如 C:\\Windows\\Fonts\\simhei.ttf",
                p.display()
            )),
            NoFont::NotFound => Some(
                "通报文档的两幅图以表格中的色条绘出:本机未找到含单位名称全部字的中文字体(黑体、微软雅黑、文泉驿等);可在 diaodu.toml 中以 chart_font 指定一个 .ttf/.ttc 字体文件"
                    .to_string(),
            ),
        }
    }
}

/// The font the charts are drawn in: the configured file, none when turned
/// off, else the first system font that covers `text`.
pub fn find_font(choice: &ChartFontChoice, text: &str) -> Result<ChartFont, NoFont> {
    find_font_in(choice, text, &system_candidates())
}

fn find_font_in(
    choice: &ChartFontChoice,
    text: &str,
    candidates: &[PathBuf],
) -> Result<ChartFont, NoFont> {
    match choice {
        ChartFontChoice::Off => Err(NoFont::TurnedOff),
        ChartFontChoice::File(p) => ChartFont::load(p)
            .filter(|f| f.covers(text))
            .ok_or_else(|| NoFont::Configured(p.clone())),
        ChartFontChoice::Found => candidates
            .iter()
            .filter(|p| p.is_file())
            .filter_map(|p| ChartFont::load(p))
            .find(|f| f.covers(text))
            .ok_or(NoFont::NotFound),
    }
}

/// Resolution of the pictures: 200 dots per inch, so they print sharp at
/// their own size.
pub const DPI: f64 = 200.0;
/// Text in the pictures: 9 pt.
const TEXT_PT: f64 = 9.0;

fn px_of_pt(pt: f64) -> f64 {
    pt / 72.0 * DPI
}

/// A white RGB canvas.
struct Canvas {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Canvas {
    fn new(w: usize, h: usize) -> Canvas {
        Canvas {
            w,
            h,
            px: vec![255; w * h * 3],
        }
    }

    /// Blend `color` into one pixel with coverage `a` (0–1).
    fn blend(&mut self, x: i64, y: i64, color: Rgb, a: f32) {
        if x < 0 || y < 0 || x as usize >= self.w || y as usize >= self.h || a <= 0.0 {
            return;
        }
        let i = (y as usize * self.w + x as usize) * 3;
        let a = a.min(1.0);
        for (k, c) in color.iter().enumerate() {
            let old = self.px[i + k] as f32;
            self.px[i + k] = (old + (*c as f32 - old) * a).round() as u8;
        }
    }

    fn fill(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, color: Rgb) {
        let (x0, x1) = (x0.round().max(0.0) as i64, x1.round() as i64);
        let (y0, y1) = (y0.round().max(0.0) as i64, y1.round() as i64);
        for y in y0..y1 {
            for x in x0..x1 {
                self.blend(x, y, color, 1.0);
            }
        }
    }

    /// Write `text` with its baseline at `y`, starting at `x`.
    fn text(&mut self, font: &ChartFont, size: f64, x: f64, y: f64, text: &str, color: Rgb) {
        let scale = PxScale::from(size as f32);
        let (placed, _) = layout(font, size, text);
        for (id, at) in placed {
            let glyph = id.with_scale_and_position(scale, ab_glyph::point(x as f32 + at, y as f32));
            if let Some(outline) = font.font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|gx, gy, c| {
                    self.blend(
                        b.min.x as i64 + gx as i64,
                        b.min.y as i64 + gy as i64,
                        color,
                        c,
                    )
                });
            }
        }
    }

    fn png(&self) -> Vec<u8> {
        encode_png(self.w as u32, self.h as u32, &self.px)
    }
}

/// An 8-bit RGB image as a PNG (ISO/IEC 15948): the signature, IHDR, pHYs
/// (the resolution, so a viewer shows it at its printed size), the rows
/// deflated in one IDAT (each row with filter 0: flat colours compress well
/// without prediction), IEND. Written here with the flate2 and crc32fast the
/// workbook's writer already uses, rather than the `png` crate, whose
/// dependencies would change the features of those the rest of the tree
/// shares.
fn encode_png(w: u32, h: u32, rgb: &[u8]) -> Vec<u8> {
    use std::io::Write;
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    // Depth 8, colour type 2 (RGB), deflate, filter method 0, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let ppm = (DPI / 0.0254).round() as u32;
    let mut phys = Vec::with_capacity(9);
    phys.extend_from_slice(&ppm.to_be_bytes());
    phys.extend_from_slice(&ppm.to_be_bytes());
    phys.push(1); // per metre
    chunk(&mut out, b"pHYs", &phys);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let stride = w as usize * 3;
    for row in rgb.chunks(stride.max(1)).take(h as usize) {
        // Writing into a Vec cannot fail.
        let _ = z.write_all(&[0]);
        let _ = z.write_all(row);
    }
    let idat = z.finish().unwrap_or_default();
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// Width of `text` at `size` pixels.
fn text_width(font: &ChartFont, size: f64, text: &str) -> f64 {
    layout(font, size, text).1 as f64
}

/// Each glyph of `text` at `size` pixels with its pen position from the
/// start (kerned), and the whole width.
fn layout(font: &ChartFont, size: f64, text: &str) -> (Vec<(GlyphId, f32)>, f32) {
    let sf = font.font.as_scaled(PxScale::from(size as f32));
    let mut pen = 0.0f32;
    let mut prev: Option<GlyphId> = None;
    let mut placed = Vec::with_capacity(text.len());
    for ch in text.chars() {
        let id = font.font.glyph_id(ch);
        if let Some(p) = prev {
            pen += sf.kern(p, id);
        }
        placed.push((id, pen));
        pen += sf.h_advance(id);
        prev = Some(id);
    }
    (placed, pen)
}

/// `text` cut with "…" to fit `max` pixels.
fn fit(font: &ChartFont, size: f64, text: &str, max: f64) -> String {
    if text_width(font, size, text) <= max {
        return text.to_string();
    }
    let mut s: String = text.to_string();
    while !s.is_empty() && text_width(font, size, &format!("{s}…")) > max {
        s.pop();
    }
    format!("{s}…")
}

/// A drawn chart: the PNG and its size in pixels at [`DPI`].
pub struct Picture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Where the axis runs, in pixels from the left: 0 at `plot.0`, the
    /// axis's end at `plot.1` (for tests that measure the bars).
    pub plot: (f64, f64),
    /// The vertical middle of each row's bar, in pixels from the top.
    pub row_mid: Vec<f64>,
}

/// Ticks of an axis from 0 to `max`: a step of 1, 2 or 5 × 10^k giving
/// at most 6 intervals.
fn ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0];
    }
    let raw = max / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    (0..)
        .map(|i| i as f64 * step)
        .take_while(|v| *v <= max * (1.0 + 1e-9))
        .collect()
}

fn tick_label(axis: Axis, v: f64) -> String {
    match axis {
        Axis::Percent => format!("{}%", (v * 100.0).round() as i64),
        Axis::Count => format!("{}", v.round() as i64),
    }
}

const WHITE: Rgb = [0xFF, 0xFF, 0xFF];
const INK: Rgb = [0x26, 0x26, 0x26];
const GRID: Rgb = [0xD9, 0xD9, 0xD9];
const MARKER: Rgb = [0x1F, 0x4E, 0x79];

/// Draw `chart` `width_px` wide.
pub fn draw(chart: &BarChart, font: &ChartFont, width_px: u32) -> Picture {
    let size = px_of_pt(TEXT_PT);
    let row_h = (size * 1.55).round();
    let pad = (size * 0.5).round();
    let w = width_px as f64;
    let label_w = chart
        .rows
        .iter()
        .map(|r| text_width(font, size, &r.label))
        .fold(0.0, f64::max)
        .min(w * 0.28);
    let figure_w = chart
        .rows
        .iter()
        .map(|r| text_width(font, size, &r.figure))
        .fold(text_width(font, size, "100%"), f64::max);
    let x0 = pad + label_w + pad;
    let x1 = w - pad - figure_w - pad;
    let top = if chart.marker.is_some() {
        row_h * 1.3
    } else {
        pad
    };
    let rows_h = row_h * chart.rows.len() as f64;
    let axis_y = top + rows_h;
    let h = axis_y + row_h * 1.3;
    let mut c = Canvas::new(width_px as usize, h.ceil() as usize);
    // A count axis runs to the longest bar (at least 4); a percentage axis
    // to the chart's maximum.
    let longest = chart
        .rows
        .iter()
        .map(|r| r.segments.iter().map(|(l, _)| l.max(0.0)).sum::<f64>())
        .fold(0.0, f64::max);
    let max = match chart.axis {
        Axis::Count => longest.max(4.0),
        Axis::Percent if chart.max > 0.0 => chart.max,
        Axis::Percent => 1.0,
    };
    let at = |v: f64| x0 + (v.clamp(0.0, max) / max) * (x1 - x0);

    // Grid lines and tick labels.
    for t in ticks(max) {
        let x = at(t);
        c.fill(x - 1.0, top, x + 1.0, axis_y, GRID);
        let label = tick_label(chart.axis, t);
        let lw = text_width(font, size, &label);
        c.text(font, size, x - lw / 2.0, axis_y + size * 1.15, &label, INK);
    }
    // The marker behind the bars: a dashed line, its label above them.
    if let Some((v, label)) = &chart.marker {
        let x = at(*v);
        let dash = (size * 0.4).round();
        let mut y = top - pad * 0.5;
        while y < axis_y {
            c.fill(x - 2.0, y, x + 2.0, (y + dash).min(axis_y), MARKER);
            y += dash * 2.0;
        }
        let lw = text_width(font, size, label);
        let lx = (x - lw / 2.0).clamp(pad, w - pad - lw);
        c.text(font, size, lx, top - pad * 0.9, label, MARKER);
    }
    // The bars, each unit's name before and its figure after its bar, the
    // figure on white where it crosses a grid or the marker line.
    let ascent = size * 0.8;
    let mut row_mid = Vec::with_capacity(chart.rows.len());
    for (i, r) in chart.rows.iter().enumerate() {
        let y = top + row_h * i as f64;
        let mid = y + row_h / 2.0;
        row_mid.push(mid);
        let label = fit(font, size, &r.label, label_w);
        let lw = text_width(font, size, &label);
        c.text(font, size, x0 - pad - lw, mid + ascent / 2.0, &label, INK);
        let mut from = 0.0;
        for (len, color) in &r.segments {
            let to = from + len.max(0.0);
            c.fill(
                at(from),
                mid - row_h * 0.32,
                at(to),
                mid + row_h * 0.32,
                rgb(color),
            );
            from = to;
        }
        let fx = at(from) + pad * 0.6;
        let fw = text_width(font, size, &r.figure);
        c.fill(
            fx - 2.0,
            mid - size * 0.6,
            fx + fw + 2.0,
            mid + size * 0.6,
            WHITE,
        );
        c.text(font, size, fx, mid + ascent / 2.0, &r.figure, INK);
    }
    // The axis lines.
    c.fill(x0 - 1.0, top, x0 + 1.0, axis_y + 1.0, INK);
    c.fill(x0, axis_y - 1.0, x1, axis_y + 1.0, INK);
    Picture {
        png: c.png(),
        width: width_px,
        height: c.h as u32,
        plot: (x0, x1),
        row_mid,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn font() -> Option<ChartFont> {
        let f = find_font(&ChartFontChoice::Found, "单位时间进度");
        if f.is_err() {
            eprintln!("skipped: no Chinese font on this machine to draw a chart with");
        }
        f.ok()
    }

    /// The PNG [`encode_png`] writes, read back chunk by chunk (checking
    /// every CRC): width, height and the RGB rows.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        use std::io::Read;
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (mut at, mut w, mut h, mut idat) = (8, 0, 0, Vec::new());
        let mut kinds = Vec::new();
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc, crc32fast::hash(&png[at + 4..at + 8 + len]));
            kinds.push(String::from_utf8_lossy(kind).into_owned());
            match kind {
                b"IHDR" => {
                    w = u32::from_be_bytes(data[..4].try_into().unwrap());
                    h = u32::from_be_bytes(data[4..8].try_into().unwrap());
                    assert_eq!(&data[8..], &[8, 2, 0, 0, 0]);
                }
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            at += 12 + len;
        }
        assert_eq!(kinds, ["IHDR", "pHYs", "IDAT", "IEND"]);
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..])
            .read_to_end(&mut raw)
            .unwrap();
        let stride = w as usize * 3 + 1;
        assert_eq!(raw.len(), stride * h as usize);
        let px = raw
            .chunks(stride)
            .flat_map(|r| {
                assert_eq!(r[0], 0, "filter 0");
                r[1..].to_vec()
            })
            .collect();
        (w, h, px)
    }

    #[test]
    fn ticks_are_round_steps_up_to_the_maximum() {
        let labels = |max: f64, axis: Axis| -> Vec<String> {
            ticks(max)
                .into_iter()
                .map(|t| tick_label(axis, t))
                .collect()
        };
        assert_eq!(
            labels(1.2, Axis::Percent),
            ["0%", "20%", "40%", "60%", "80%", "100%", "120%"]
        );
        assert_eq!(
            labels(0.5, Axis::Percent),
            ["0%", "10%", "20%", "30%", "40%", "50%"]
        );
        assert_eq!(labels(7.0, Axis::Count), ["0", "2", "4", "6"]);
        assert_eq!(labels(4.0, Axis::Count), ["0", "1", "2", "3", "4"]);
        assert_eq!(ticks(0.0), vec![0.0]);
    }

    #[test]
    fn no_font_when_turned_off_or_the_configured_file_is_not_one() {
        assert_eq!(
            find_font_in(&ChartFontChoice::Off, "单位", &[]).unwrap_err(),
            NoFont::TurnedOff
        );
        assert_eq!(NoFont::TurnedOff.message(), None);
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("x.ttf");
        std::fs::write(&bad, b"not a font").unwrap();
        assert_eq!(
            find_font_in(&ChartFontChoice::File(bad.clone()), "单位", &[]).unwrap_err(),
            NoFont::Configured(bad.clone())
        );
        assert!(NoFont::Configured(bad).message().unwrap().contains("x.ttf"));
        assert_eq!(
            find_font_in(
                &ChartFontChoice::Found,
                "单位",
                &[dir.path().join("missing.ttc")]
            )
            .unwrap_err(),
            NoFont::NotFound
        );
    }

    #[test]
    fn a_bar_ends_where_its_value_falls_on_the_axis() {
        let Some(font) = font() else { return };
        let chart = BarChart {
            rows: vec![
                BarRow {
                    label: "东湖街道".into(),
                    segments: vec![(0.5, "70AD47")],
                    figure: "50.0%".into(),
                },
                BarRow {
                    label: "河口镇".into(),
                    segments: vec![(0.25, "C00000"), (0.25, "FFC000")],
                    figure: "红1 黄1".into(),
                },
            ],
            max: 1.0,
            axis: Axis::Percent,
            marker: Some((0.75, "时间进度75.0%".into())),
        };
        assert!(font.covers(&chart.text()));
        let pic = draw(&chart, &font, 1200);
        let (w, h, buf) = decode(&pic.png);
        assert_eq!((w, h), (pic.width, pic.height));
        let at = |x: f64, y: f64| {
            let i = (y.round() as usize * w as usize + x.round() as usize) * 3;
            [buf[i], buf[i + 1], buf[i + 2]]
        };
        let (x0, x1) = pic.plot;
        let half = x0 + (x1 - x0) * 0.5;
        let quarter = x0 + (x1 - x0) * 0.25;
        // Row 1: green up to half the axis, white (or grid) after it.
        assert_eq!(at(half - 4.0, pic.row_mid[0]), rgb("70AD47"));
        assert_ne!(at(half + 30.0, pic.row_mid[0]), rgb("70AD47"));
        // Row 2: red to a quarter, yellow to half.
        assert_eq!(at(quarter - 4.0, pic.row_mid[1]), rgb("C00000"));
        assert_eq!(at(quarter + 4.0, pic.row_mid[1]), rgb("FFC000"));
        assert_ne!(at(half + 30.0, pic.row_mid[1]), rgb("FFC000"));
        // Text was drawn left of the axis (the labels): dark pixels there.
        let dark = (0..x0 as usize)
            .filter(|&x| at(x as f64, pic.row_mid[0]).iter().all(|&v| v < 128))
            .count();
        assert!(dark > 3, "no label drawn");
    }
}
