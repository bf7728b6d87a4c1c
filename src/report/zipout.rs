//! The workbook's zip container, written by hand: the parts rust_xlsxwriter
//! made are copied in as they are (already compressed), and the long sheets
//! go in as raw deflate made of pieces compressed in parallel (see
//! [`deflate_piece`]). Zip64 records are written where a size or an offset
//! needs them, so a workbook of any size stays whole.

use std::io::{self, Write};

/// The largest size or offset a plain zip record holds.
const ZIP32_MAX: u64 = 0xFFFF_FFFF;

/// A piece of a raw deflate stream: `data` ends on a byte boundary (a sync
/// flush, or the final block), so pieces compressed apart join into one
/// stream; `crc` and `len` are those of the uncompressed bytes.
pub struct Piece {
    pub data: Vec<u8>,
    pub crc: crc32fast::Hasher,
    pub len: u64,
}

/// Compress `input` as a piece of a raw deflate stream (level 1: the speed
/// the workbook was always saved at). `last` ends the stream (a final
/// block); any other piece ends with a sync flush, so the next piece can
/// follow it byte for byte.
pub fn deflate_piece(input: &[u8], last: bool) -> io::Result<Piece> {
    Deflater::new().piece(input, last)
}

/// A compressor and its output buffer, kept from piece to piece (a thread
/// compresses many): neither is allocated and zeroed again for each.
pub struct Deflater {
    c: flate2::Compress,
    out: Vec<u8>,
}

impl Default for Deflater {
    fn default() -> Self {
        Deflater::new()
    }
}

impl Deflater {
    pub fn new() -> Self {
        Deflater {
            c: flate2::Compress::new(flate2::Compression::new(1), false),
            out: Vec::new(),
        }
    }

    /// [`deflate_piece`] with this compressor.
    pub fn piece(&mut self, input: &[u8], last: bool) -> io::Result<Piece> {
        use flate2::{FlushCompress, Status};
        let flush = if last {
            FlushCompress::Finish
        } else {
            FlushCompress::Sync
        };
        self.c.reset();
        self.out.clear();
        self.out.reserve(input.len() / 4 + 64);
        loop {
            let done = self.c.total_in() as usize;
            let status = self
                .c
                .compress_vec(&input[done..], &mut self.out, flush)
                .map_err(io::Error::other)?;
            let consumed = self.c.total_in() as usize == input.len();
            // The flush is complete once all input is in and output room is
            // left over (for the last piece: once the stream says it ended).
            let flushed = if last {
                status == Status::StreamEnd
            } else {
                self.out.len() < self.out.capacity()
            };
            if consumed && flushed {
                break;
            }
            self.out.reserve(self.out.capacity().max(4096));
        }
        let mut crc = crc32fast::Hasher::new();
        crc.update(input);
        Ok(Piece {
            data: self.out.clone(),
            crc,
            len: input.len() as u64,
        })
    }
}

struct Entry {
    name: String,
    method: u16,
    crc: u32,
    csize: u64,
    usize: u64,
    offset: u64,
}

/// A zip archive written front to back (no seeking): each entry's sizes and
/// checksum are known before it is written.
pub struct ZipOut<W: Write> {
    w: W,
    at: u64,
    entries: Vec<Entry>,
    /// Sizes and offsets from which zip64 records are used (lowered in tests).
    zip64_from: u64,
}

/// A writer that counts what goes through it.
struct Counting<'w, W: Write> {
    w: &'w mut W,
    n: u64,
}

impl<W: Write> Write for Counting<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.w.write(buf)?;
        self.n += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// The DOS date of every entry: 1980-01-01 00:00, as rust_xlsxwriter writes.
const DOS_TIME: u16 = 0;
const DOS_DATE: u16 = (1 << 5) | 1;

impl<W: Write> ZipOut<W> {
    pub fn new(w: W) -> Self {
        ZipOut {
            w,
            at: 0,
            entries: Vec::new(),
            zip64_from: ZIP32_MAX,
        }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// Add an entry whose data (`pieces`, in order) is already compressed
    /// with `method` (8 deflate, 0 stored); `usize` bytes uncompressed with
    /// checksum `crc`.
    pub fn add(
        &mut self,
        name: &str,
        method: u16,
        crc: u32,
        usize: u64,
        pieces: &[&[u8]],
    ) -> io::Result<()> {
        let csize: u64 = pieces.iter().map(|p| p.len() as u64).sum();
        self.add_with(name, method, (crc, usize, csize), |w| {
            pieces.iter().try_for_each(|p| w.write_all(p))
        })
    }

    /// [`ZipOut::add`] for data that `write` writes: `sizes` are its checksum,
    /// uncompressed and compressed sizes; writing any other number of bytes
    /// is an error.
    pub fn add_with(
        &mut self,
        name: &str,
        method: u16,
        (crc, usize, csize): (u32, u64, u64),
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let big = usize >= self.zip64_from || csize >= self.zip64_from;
        let mut h = Vec::with_capacity(64 + name.len());
        h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        h.extend_from_slice(&(if big { 45u16 } else { 20 }).to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&DOS_TIME.to_le_bytes());
        h.extend_from_slice(&DOS_DATE.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        let (c32, u32_) = if big {
            (ZIP32_MAX as u32, ZIP32_MAX as u32)
        } else {
            (csize as u32, usize as u32)
        };
        h.extend_from_slice(&c32.to_le_bytes());
        h.extend_from_slice(&u32_.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&(if big { 20u16 } else { 0 }).to_le_bytes());
        h.extend_from_slice(name.as_bytes());
        if big {
            h.extend_from_slice(&1u16.to_le_bytes());
            h.extend_from_slice(&16u16.to_le_bytes());
            h.extend_from_slice(&usize.to_le_bytes());
            h.extend_from_slice(&csize.to_le_bytes());
        }
        let offset = self.at;
        self.put(&h)?;
        let mut counted = Counting {
            w: &mut self.w,
            n: 0,
        };
        write(&mut counted)?;
        if counted.n != csize {
            return Err(io::Error::other(format!(
                "{name}: {} bytes written, {csize} announced",
                counted.n
            )));
        }
        self.at += csize;
        self.entries.push(Entry {
            name: name.to_string(),
            method,
            crc,
            csize,
            usize,
            offset,
        });
        Ok(())
    }

    /// Write the central directory; returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        let cd_start = self.at;
        let entries = std::mem::take(&mut self.entries);
        for e in &entries {
            let big_size = e.usize >= self.zip64_from || e.csize >= self.zip64_from;
            let big_offset = e.offset >= self.zip64_from;
            let mut extra = Vec::new();
            if big_size {
                extra.extend_from_slice(&e.usize.to_le_bytes());
                extra.extend_from_slice(&e.csize.to_le_bytes());
            }
            if big_offset {
                extra.extend_from_slice(&e.offset.to_le_bytes());
            }
            let mut h = Vec::with_capacity(80 + e.name.len());
            h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            let version = if extra.is_empty() { 20u16 } else { 45 };
            h.extend_from_slice(&version.to_le_bytes()); // made by
            h.extend_from_slice(&version.to_le_bytes()); // needed
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&DOS_TIME.to_le_bytes());
            h.extend_from_slice(&DOS_DATE.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            let clip = |v: u64, big: bool| if big { ZIP32_MAX as u32 } else { v as u32 };
            h.extend_from_slice(&clip(e.csize, big_size).to_le_bytes());
            h.extend_from_slice(&clip(e.usize, big_size).to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            let extra_len = if extra.is_empty() { 0 } else { extra.len() + 4 };
            h.extend_from_slice(&(extra_len as u16).to_le_bytes());
            h.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
            h.extend_from_slice(&0u32.to_le_bytes()); // external attributes
            h.extend_from_slice(&clip(e.offset, big_offset).to_le_bytes());
            h.extend_from_slice(e.name.as_bytes());
            if !extra.is_empty() {
                h.extend_from_slice(&1u16.to_le_bytes());
                h.extend_from_slice(&(extra.len() as u16).to_le_bytes());
                h.extend_from_slice(&extra);
            }
            self.put(&h)?;
        }
        let cd_size = self.at - cd_start;
        let n = entries.len() as u64;
        let big = n >= 0xFFFF || cd_start >= self.zip64_from || cd_size >= self.zip64_from;
        let mut t = Vec::with_capacity(100);
        if big {
            let record_at = self.at;
            t.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
            t.extend_from_slice(&44u64.to_le_bytes());
            t.extend_from_slice(&45u16.to_le_bytes());
            t.extend_from_slice(&45u16.to_le_bytes());
            t.extend_from_slice(&[0; 8]); // this disk, the directory's disk
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&n.to_le_bytes());
            t.extend_from_slice(&cd_size.to_le_bytes());
            t.extend_from_slice(&cd_start.to_le_bytes());
            t.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
            t.extend_from_slice(&0u32.to_le_bytes());
            t.extend_from_slice(&record_at.to_le_bytes());
            t.extend_from_slice(&1u32.to_le_bytes());
        }
        t.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        t.extend_from_slice(&[0; 4]); // this disk, the directory's disk
        let n16 = if big { 0xFFFF } else { n as u16 };
        t.extend_from_slice(&n16.to_le_bytes());
        t.extend_from_slice(&n16.to_le_bytes());
        let clip = |v: u64| if big { ZIP32_MAX as u32 } else { v as u32 };
        t.extend_from_slice(&clip(cd_size).to_le_bytes());
        t.extend_from_slice(&clip(cd_start).to_le_bytes());
        t.extend_from_slice(&0u16.to_le_bytes());
        self.put(&t)?;
        self.w.flush()?;
        Ok(self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn pieces_of(text: &[u8], at: &[usize]) -> Vec<Piece> {
        let mut out = Vec::new();
        let mut start = 0;
        for &end in at.iter().chain([&text.len()]) {
            out.push(deflate_piece(&text[start..end], end == text.len()).unwrap());
            start = end;
        }
        out
    }

    fn archive(zip64_from: u64) -> (Vec<u8>, Vec<u8>) {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("<row r=\"{i}\"><c>城关镇{i}</c></row>").into_bytes())
            .collect();
        let pieces = pieces_of(&text, &[0, 1000, 250_000, 250_001]);
        let mut crc = crc32fast::Hasher::new();
        for p in &pieces {
            crc.combine(&p.crc);
        }
        assert_eq!(pieces.iter().map(|p| p.len).sum::<u64>(), text.len() as u64);
        let mut z = ZipOut::new(Vec::new());
        z.zip64_from = zip64_from;
        z.add("a.txt", 0, crc32fast::hash(b"stored"), 6, &[b"stored"])
            .unwrap();
        let data: Vec<&[u8]> = pieces.iter().map(|p| p.data.as_slice()).collect();
        z.add(
            "xl/worksheets/sheet1.xml",
            8,
            crc.finalize(),
            text.len() as u64,
            &data,
        )
        .unwrap();
        (z.finish().unwrap(), text)
    }

    fn read_back(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        (0..z.len())
            .map(|i| {
                let mut f = z.by_index(i).unwrap();
                let mut data = Vec::new();
                f.read_to_end(&mut data).unwrap();
                (f.name().unwrap().to_string(), data)
            })
            .collect()
    }

    /// Pieces compressed apart (empty ones too) read back as one stream,
    /// checksum and all.
    #[test]
    fn pieces_join_into_one_entry() {
        let (bytes, text) = archive(ZIP32_MAX);
        let back = read_back(bytes);
        assert_eq!(back[0], ("a.txt".to_string(), b"stored".to_vec()));
        assert_eq!(back[1].0, "xl/worksheets/sheet1.xml");
        assert!(back[1].1 == text, "the joined pieces inflate to the text");
    }

    /// The zip64 records a workbook over 4 GiB needs, forced on a small one.
    #[test]
    fn zip64_records_read_back() {
        let (bytes, text) = archive(0);
        assert!(
            bytes.windows(4).any(|w| w == 0x0606_4b50u32.to_le_bytes()),
            "a zip64 end record"
        );
        let back = read_back(bytes);
        assert_eq!(back[0].1, b"stored");
        assert!(back[1].1 == text);
    }
}
