//! Hand-checked expectations on the four seed documents in `fixtures/`: every boilerplate
//! line the seeds contain is dropped with the right reason, and the content around it stays.

use std::collections::HashMap;

use assert_cmd::Command;
use serde_json::Value;

/// Run polyclean on `fixtures/` and return the output documents by id.
fn clean_fixtures() -> HashMap<String, Value> {
    let out = Command::cargo_bin("polyclean")
        .expect("binary")
        .args(["run", "fixtures", "-o", "-", "--quiet"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json line"))
        .map(|d| (d["id"].as_str().expect("id").to_string(), d))
        .collect()
}

/// The paragraph whose text starts with `start`.
fn para<'a>(doc: &'a Value, start: &str) -> &'a Value {
    doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .find(|p| p["text"].as_str().is_some_and(|t| t.starts_with(start)))
        .unwrap_or_else(|| panic!("no paragraph starting with {start:?}"))
}

fn assert_dropped(doc: &Value, start: &str, reason: &str) {
    let p = para(doc, start);
    assert_eq!(p["kept"], false, "{start:?} should be dropped: {p}");
    assert_eq!(p["reason"], reason, "{start:?}: {p}");
    assert!(
        p["evidence"].as_str().is_some_and(|e| !e.is_empty()),
        "{start:?} has no evidence"
    );
}

fn assert_kept(doc: &Value, start: &str) {
    let p = para(doc, start);
    assert_eq!(p["kept"], true, "{start:?} should be kept: {p}");
    assert!(p["reason"].is_null());
}

const DOC_000: &str = "000_707d7b5693acaa4b";
const DOC_001: &str = "001_58417c50f4542d7d";
const DOC_002: &str = "002_152597cfd6271e69";
const DOC_003: &str = "003_bef628bb8dccbd9d";

#[test]
fn document_languages() {
    let docs = clean_fixtures();
    assert_eq!(docs.len(), 4);
    for (id, lang) in [
        (DOC_000, "fr"),
        (DOC_001, "fr"),
        (DOC_002, "fr"),
        (DOC_003, "en"),
    ] {
        assert_eq!(docs[id]["lang"], lang, "{id}");
    }
}

#[test]
fn english_sentence_inside_french_article_is_english() {
    let docs = clean_fixtures();
    let p = para(&docs[DOC_001], "Kim Jong-un responded with insults");
    assert_eq!(p["lang"], "en");
    assert_eq!(p["lang_source"], "paragraph");
    assert_eq!(p["kept"], true);
}

#[test]
fn seed_000_ads_and_comment_form() {
    let docs = clean_fixtures();
    let doc = &docs[DOC_000];
    let ads: Vec<&Value> = doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .filter(|p| p["text"] == "Publicité")
        .collect();
    assert_eq!(ads.len(), 2);
    assert!(ads.iter().all(|p| p["reason"] == "ad"), "{ads:?}");
    assert_dropped(doc, "Laisser un commentaire", "comment_form");
    assert_dropped(
        doc,
        "Votre adresse e-mail ne sera pas publiée",
        "comment_form",
    );
    assert_kept(doc, "Corée du Nord : l’administration Trump");
    assert_kept(doc, "Trump et Kim, deux rencontres");
    assert_kept(doc, "Moscou, en médiateur ?");
    assert_kept(doc, "Aujourd’hui, les tensions");
}

#[test]
fn seed_001_media_tags_faq() {
    let docs = clean_fixtures();
    let doc = &docs[DOC_001];
    assert_dropped(doc, "![](https://", "media_embed");
    assert_dropped(doc, "Vidéos associées", "media_embed");
    assert_dropped(doc, "Archivé dans", "tags");
    assert_kept(doc, "Questions fréquentes sur les déclarations");
    assert_kept(doc, "Que dit Donald Trump sur ses relations");
    assert_kept(doc, "Quel pourrait être l'objectif de Trump");
    assert_kept(doc, "Quelle a été la relation entre Trump");
    assert_kept(doc, "Durante son premier mandat");
    assert_kept(doc, "Aun así, des mois plus tard");
}

#[test]
fn seed_002_breadcrumb_note_bio_and_kept_structure() {
    let docs = clean_fixtures();
    let doc = &docs[DOC_002];
    assert_dropped(doc, "InternationalPolitique", "breadcrumb");
    assert_dropped(doc, "(Note : Cet article dépasse", "generator_note");
    let bio = para(doc, "Passionné et dévoué");
    assert_eq!(bio["kept"], false);
    assert!(
        bio["reason"] == "author_bio" || bio["reason"] == "sponsoring",
        "{bio}"
    );
    // Title, subheadings, quote attributions, list items, table rows.
    for kept in [
        "Kim Jong Un Ignore Trump : Renforcé par Moscou",
        "Les Avances Ignorées de Trump en Asie",
        "Seong-Hyon Lee, expert à l’Université Harvard",
        "Soo Kim, ancienne analyste CIA",
        "Chronologie des rencontres :",
        "• 2018 : Premier sommet à Singapour",
        "• 2025 : Aucune réponse aux avances",
        "Partenaire Aides Principales Impact Stratégique",
        "Russie Troupes, technologies, énergie Contournement sanctions",
        "Chine Commerce, isolation brisée Stabilité économique",
        "Points clés à retenir :",
        "1. Alliances renforcées avec Russie et Chine",
        "4. Avances américaines comme victoire symbolique",
        "C’est une victoire silencieuse, mais retentissante.",
    ] {
        assert_kept(doc, kept);
    }
    let attribution = doc["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .find(|p| p["text"] == "Seong-Hyon Lee")
        .expect("short attribution");
    assert_eq!(attribution["kept"], true);
}

#[test]
fn seed_003_related_link_comment_form_captcha() {
    let docs = clean_fixtures();
    let doc = &docs[DOC_003];
    assert_dropped(doc, "” READ ALSO", "related_links");
    assert_dropped(doc, "Please enter your comment!", "comment_form");
    assert_dropped(doc, "Please enter your name here", "comment_form");
    assert_dropped(doc, "35", "captcha");
    assert_kept(doc, "Denuclearization of the peninsula");
    assert_kept(doc, "Kim Jong-un would have celebrated this Tuesday");
}

#[test]
fn every_paragraph_is_accounted_for_and_text_is_the_kept_ones() {
    for doc in clean_fixtures().values() {
        let paragraphs = doc["paragraphs"].as_array().expect("paragraphs");
        for (i, p) in paragraphs.iter().enumerate() {
            assert_eq!(p["index"], i);
            let kept = p["kept"].as_bool().expect("kept is a bool");
            assert_eq!(kept, p["reason"].is_null(), "{p}");
        }
        let kept: Vec<&str> = paragraphs
            .iter()
            .filter(|p| p["kept"] == true)
            .map(|p| p["text"].as_str().expect("text"))
            .collect();
        assert_eq!(doc["text"], kept.join("\n\n"));
    }
}

#[test]
fn offsets_point_into_the_original_file() {
    let docs = clean_fixtures();
    let raw = std::fs::read_to_string("fixtures/003_bef628bb8dccbd9d.txt").expect("fixture");
    let p = para(&docs[DOC_003], "Denuclearization of the peninsula");
    let (start, end) = (
        p["start"].as_u64().expect("start") as usize,
        p["end"].as_u64().expect("end") as usize,
    );
    assert_eq!(&raw[start..end], "Denuclearization of the peninsula");
}
