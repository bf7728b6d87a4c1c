//! A sheet made from the bytes, its tables found, mapped and validated.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    diaodu::ingest::fuzz::headers(data);
});
