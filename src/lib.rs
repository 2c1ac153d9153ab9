//! polyclean: turn scraped, multilingual web text into clean, language-tagged data.
//!
//! The pipeline, one module per stage, over one data model ([`document`]):
//!
//! ```text
//! read ─▶ segment ─▶ normalize ─▶ lang ─▶ boilerplate ─▶ lang (document) ─▶ write
//! (I/O)   paragraphs  Unicode     per       drop with      elect by          (I/O)
//!                                 paragraph  a reason       kept letters
//! ```
//!
//! Library use:
//!
//! ```
//! use polyclean::{Config, Pipeline};
//!
//! let pipeline = Pipeline::new(Config::default()).expect("built-in rules are valid");
//! let doc = pipeline.clean("doc-1", "Le gouvernement a présenté mardi son projet de budget.\n\nPublicité\n");
//! assert_eq!(doc.clean_text(), "Le gouvernement a présenté mardi son projet de budget.");
//! let dropped = doc.paragraphs[1].verdict.drop_info().expect("dropped");
//! assert_eq!(dropped.reason.as_str(), "ad");
//! ```

pub mod boilerplate;
pub mod config;
pub mod corpus_stats;
pub mod dedup;
pub mod document;
pub mod lang;
pub mod normalize;
pub mod pipeline;
pub mod quality;
pub mod read;
pub mod report;
pub mod segment;
pub mod shard;
pub mod state;
pub mod stats;
pub mod table_file;
pub mod write;

pub use boilerplate::Reason;
pub use config::UserConfig;
pub use document::{Document, LangLabel, LangSource, Paragraph, Position, Verdict};
pub use pipeline::{BatchLimits, Config, Monitor, Pipeline};
pub use stats::RunStats;
