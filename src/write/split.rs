//! One output per document language, `DIR/<lang>.<ext>` (`fr.jsonl`, `en.jsonl`, `und.jsonl`
//! for documents whose language is undetermined), as OSCAR distributes its corpus.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::atomic::remove_temporaries;
use super::{FileWriter, OutputOptions, Sink};
use crate::document::{Document, UNDETERMINED};

/// A sink that routes each document to its language's file. Files are opened on a language's
/// first document (no empty files for absent languages) and appear together at `finish`:
/// every file is completed and synced before the first is renamed into place.
pub struct SplitByLang {
    dir: PathBuf,
    options: OutputOptions,
    files: BTreeMap<String, FileWriter>,
}

impl SplitByLang {
    /// A splitter writing into the existing directory `dir`.
    pub fn new(dir: &Path, options: OutputOptions) -> SplitByLang {
        SplitByLang {
            dir: dir.to_path_buf(),
            options,
            files: BTreeMap::new(),
        }
    }

    /// The file a language's documents go to.
    pub fn path_for(&self, lang: &str) -> PathBuf {
        self.dir
            .join(format!("{}.{}", file_key(lang), self.options.extension()))
    }
}

/// Remove the temporary files of language files (`.fr.jsonl.polyclean-XXXXXX.tmp`, any
/// `--split-format`) that killed runs left in `dir`; return their paths. Call it only while
/// holding the directory's lock ([`OutputLock::acquire_dir`](super::OutputLock::acquire_dir)).
pub fn clean_stale_split_temporaries(dir: &Path) -> io::Result<Vec<PathBuf>> {
    remove_temporaries(dir, is_language_file)
}

/// Whether `name` is a file `--split-by-lang` writes: `<code>.<jsonl|csv>[.gz|.zst]`.
fn is_language_file(name: &str) -> bool {
    let Some((key, ext)) = name.split_once('.') else {
        return false;
    };
    let ext = ext
        .strip_suffix(".gz")
        .or_else(|| ext.strip_suffix(".zst"))
        .unwrap_or(ext);
    file_key(key) == key && (ext == "jsonl" || ext == "csv")
}

/// The file name stem of a language: its code, or `und` for none. Codes are ASCII letters;
/// anything else is refused rather than trusted as a file name.
fn file_key(lang: &str) -> &str {
    let plain = !lang.is_empty()
        && lang.len() <= 8
        && lang
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if plain {
        lang
    } else {
        UNDETERMINED
    }
}

impl Sink for SplitByLang {
    fn write(&mut self, doc: &Document) -> io::Result<()> {
        let key = file_key(doc.lang.as_deref().unwrap_or(UNDETERMINED));
        if !self.files.contains_key(key) {
            let path = self.path_for(key);
            let writer = FileWriter::create(&path, &self.options).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot create {}: {e}", path.display()))
            })?;
            self.files.insert(key.to_string(), writer);
        }
        match self.files.get_mut(key) {
            Some(writer) => writer.write(doc),
            None => unreachable!("inserted above"),
        }
    }

    fn finish(self: Box<Self>) -> io::Result<()> {
        // Prepare all first: a failure here drops every temporary file, so no language's
        // file appears without the others.
        let prepared = self
            .files
            .into_values()
            .map(FileWriter::prepare)
            .collect::<io::Result<Vec<_>>>()?;
        prepared.into_iter().try_for_each(|p| p.commit())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::{Compression, Format};

    fn doc(id: &str, lang: Option<&str>) -> Document {
        let mut d = Document::new(id, "test", format!("text of {id}"));
        d.lang = lang.map(str::to_string);
        d
    }

    fn jsonl() -> OutputOptions {
        OutputOptions {
            format: Format::Jsonl,
            compression: Compression::None,
            neutralize_formulas: false,
            positions: false,
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn documents_go_to_their_language_file_and_undecided_to_und() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut sink: Box<dyn Sink> = Box::new(SplitByLang::new(dir.path(), jsonl()));
        for (id, lang) in [
            ("a", Some("fr")),
            ("b", None),
            ("c", Some("fr")),
            ("d", Some("en")),
        ] {
            sink.write(&doc(id, lang)).expect("write");
        }
        sink.finish().expect("finish");
        assert_eq!(names(dir.path()), ["en.jsonl", "fr.jsonl", "und.jsonl"]);
        let ids = |name: &str| -> Vec<String> {
            std::fs::read_to_string(dir.path().join(name))
                .expect("read")
                .lines()
                .map(|l| {
                    serde_json::from_str::<serde_json::Value>(l).expect("json")["id"].to_string()
                })
                .collect()
        };
        assert_eq!(ids("fr.jsonl"), ["\"a\"", "\"c\""]);
        assert_eq!(ids("und.jsonl"), ["\"b\""]);
    }

    #[test]
    fn nothing_appears_before_finish_and_nothing_after_a_failed_run() {
        let dir = tempfile::tempdir().expect("tmp");
        let mut sink = SplitByLang::new(dir.path(), jsonl());
        sink.write(&doc("a", Some("fr"))).expect("write");
        sink.write(&doc("b", Some("en"))).expect("write");
        assert!(names(dir.path()).iter().all(|n| n.ends_with(".tmp")));
        drop(sink);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn stale_split_temporaries_are_removed_and_other_files_kept() {
        let dir = tempfile::tempdir().expect("tmp");
        let stale = [
            ".fr.jsonl.polyclean-a1b2c3.tmp",
            ".und.csv.zst.polyclean-ZZZZZZ.tmp",
        ];
        let keep = [
            "fr.jsonl",
            ".polyclean.lock",
            ".notes.txt.polyclean-a1b2c3.tmp",
            ".fr.jsonl.polyclean-a1b2c3.tmp.old",
        ];
        for name in stale.iter().chain(&keep) {
            std::fs::write(dir.path().join(name), "x").expect("seed");
        }
        let removed = clean_stale_split_temporaries(dir.path()).expect("clean");
        assert_eq!(removed.len(), 2, "{removed:?}");
        let mut left = names(dir.path());
        left.sort();
        let mut expected: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(left, expected);
    }

    #[test]
    fn a_strange_language_code_is_not_used_as_a_file_name() {
        assert_eq!(file_key("../../etc/passwd"), UNDETERMINED);
        assert_eq!(file_key(""), UNDETERMINED);
        assert_eq!(file_key("fr"), "fr");
        assert_eq!(file_key("gsw"), "gsw");
    }
}
