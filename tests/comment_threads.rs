//! Comment threads: headers such as `Anna says:` or `Tom on May 3, 2021 at 4:12 pm said:`
//! only count in numbers. Three or more in a document are a thread: they are dropped as
//! `comment_form` and everything after the first one as `comment_section`, wherever the
//! thread starts. One or two are left alone — a lone `The minister says:` introduces a quote.
//! Pages written for these tests; the rules alone (no classifier), so every verdict here
//! comes from the rule stage.

mod common;

use common::{clean_with_rules_only as clean, verdict};
use polyclean::Document;

fn reason_of(doc: &Document, text: &str) -> Option<&'static str> {
    verdict(doc, text).map(|(reason, _)| reason)
}

const ARTICLE: &str = "\
Warum der Stadtpark neue Bäume braucht
Nach drei trockenen Sommern sind im Stadtpark mehr als vierzig alte Buchen abgestorben. Die Stadt will sie bis zum Frühjahr durch Eichen und Linden ersetzen, die Hitze besser vertragen.
Die Pflanzung kostet rund 120.000 Euro. Ein Teil davon soll über Baumpatenschaften finanziert werden, für die sich schon mehr als zweihundert Bürgerinnen und Bürger gemeldet haben.
";

#[test]
fn a_thread_of_comment_headers_is_dropped_with_everything_after_it() {
    let thread = "\
12 Kommentare
Anna Berger sagt:
3. März 2021 um 10:15 Uhr
Endlich passiert etwas! Ich habe selbst eine Patenschaft übernommen und freue mich auf die neuen Bäume.
Antworten
Thomas K. sagt:
3. März 2021 um 11:02 Uhr
Eichen brauchen Jahrzehnte, bis sie Schatten spenden. Warum nicht schnell wachsende Arten?
Antworten
Lena sagt:
4. März 2021 um 08:40 Uhr
Weil schnell wachsende Bäume oft nicht lange halten, das hat der Förster bei der Führung erklärt.
";
    let doc = clean(&format!("{ARTICLE}{thread}"));
    for header in ["Anna Berger sagt:", "Thomas K. sagt:", "Lena sagt:"] {
        assert_eq!(reason_of(&doc, header), Some("comment_form"), "{header}");
    }
    let body = "Eichen brauchen Jahrzehnte, bis sie Schatten spenden. Warum nicht schnell wachsende Arten?";
    let (reason, evidence) = verdict(&doc, body).expect("dropped");
    assert_eq!(reason, "comment_section");
    assert!(
        evidence.contains("the first of 3 comment headers"),
        "{evidence}"
    );
    for line in ARTICLE.lines() {
        assert_eq!(reason_of(&doc, line), None, "{line}");
    }
}

#[test]
fn a_long_thread_opens_the_comment_section_even_in_the_first_third() {
    // A two-paragraph post under a long discussion: its form marker and first comment header
    // sit in the first third of the page, where a lone marker would only drop itself.
    let mut page = String::from(
        "Open thread: questions for our research team\n\
         Every quarter we invite readers to ask our researchers anything about our charity reviews, and we answer in the comments below.\n\
         Comments\n",
    );
    let names = ["Priya", "Mark Osei", "Helen", "Jamal R.", "Chris"];
    for (i, name) in names.iter().enumerate() {
        page.push_str(&format!(
            "{name} on September {}, 2018 at {}:15 pm said:\n\
             Thank you for doing this again. I would like to know how you weigh the evidence from the newest trials against the older studies, and whether the answer changes the ranking of your top charities this year.\n",
            i + 10,
            i + 1
        ));
    }
    let doc = clean(&page);
    let first = "Priya on September 10, 2018 at 1:15 pm said:";
    assert_eq!(reason_of(&doc, first), Some("comment_form"));
    let swept = doc
        .paragraphs
        .iter()
        .filter(|p| p.verdict.drop_info().map(|d| d.reason.as_str()) == Some("comment_section"))
        .count();
    assert_eq!(swept, names.len(), "every comment body is swept");
    assert_eq!(
        reason_of(&doc, "Every quarter we invite readers to ask our researchers anything about our charity reviews, and we answer in the comments below."),
        None
    );
}

#[test]
fn one_or_two_headers_are_quotes_and_stay() {
    let text = "\
The council voted on the budget late on Tuesday night after a six-hour debate.
The mayor says:
\"We cannot keep cutting the library hours and expect people to read more.\"
Her deputy writes:
\"The numbers do not allow anything else this year.\"
The final vote was eleven to nine, with two abstentions from the opposition benches.
";
    let doc = clean(text);
    assert!(
        doc.paragraphs.iter().all(|p| p.verdict.is_kept()),
        "{:?}",
        doc.paragraphs
            .iter()
            .filter_map(|p| p.verdict.drop_info())
            .collect::<Vec<_>>()
    );
}
