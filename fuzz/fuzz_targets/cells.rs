//! The cell parsers (numbers, money units, dates, header keys) over the bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    diaodu::ingest::fuzz::cells(data);
});
