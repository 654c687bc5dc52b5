//! The sample data set (`sample-data/`), built into the binary so that `cscx demo` works from
//! any directory and from an installed binary. A test checks that this list and the folder
//! hold the same files.

use crate::cli::ImportFormat;

use super::source::{Source, format_of};

macro_rules! sample {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../sample-data/", $name)) as &[u8])),*]
    };
}

/// (file name, contents) of every data file of `sample-data/`.
pub const FILES: &[(&str, &[u8])] = sample!["workspaces.csv"];

/// The sample data as import sources, named `sample-data/FILE`.
pub fn sources() -> Vec<Source> {
    FILES
        .iter()
        .map(|(name, bytes)| {
            let format = format_of(name).unwrap_or(ImportFormat::Csv);
            Source::bytes(&format!("sample-data/{name}"), bytes, format)
        })
        .collect()
}
