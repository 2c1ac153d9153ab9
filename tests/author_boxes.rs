//! Author boxes headed by a name (`About Jane Doe`, `Über Erika Mustermann`): rules marked
//! `subject_heading` only drop the heading together with the paragraph after it, and only
//! when that paragraph names the heading's subject. `About This Recipe`, `Sobre nós` (a stop
//! word in the "name") and an `About …` heading over unrelated text are left alone.
//! Pages written for these tests; the rules alone (no classifier), so every verdict here
//! comes from the rule stage.

mod common;

use common::{clean_with_rules_only as clean, verdict};

const ARTICLE: &str = "\
The night buses are back
After two years without a night service, the city's buses will run again on Friday and Saturday nights from March, on four lines that link the station with the outer districts.
The council expects about 2,000 passengers a night and will review the timetable in the autumn.
";

#[test]
fn a_heading_and_the_bio_that_names_its_subject_are_dropped() {
    let cases = [
        (
            "About Jane Doe",
            "Jane is a transport reporter who has covered the city council since 2015. She lives by the river with her two cats.",
        ),
        (
            "Über Erika Mustermann",
            "Erika Mustermann ist Redakteurin für Stadtentwicklung und Verkehr. Vorher arbeitete sie als Lokalredakteurin in Kassel.",
        ),
        (
            "À propos de Jeanne Dupont",
            "Journaliste depuis vingt ans, Jeanne couvre la politique locale et les transports pour notre rédaction.",
        ),
        (
            "Sobre Maria Silva",
            "Maria Silva é jornalista e escreve sobre mobilidade urbana desde 2016.",
        ),
        (
            "Informazioni su Maria Rossi",
            "Maria Rossi è giornalista e si occupa di trasporti e ambiente dal 2014.",
        ),
    ];
    for (heading, bio) in cases {
        let doc = clean(&format!("{ARTICLE}{heading}\n{bio}\nRead more\n"));
        let (reason, evidence) = verdict(&doc, heading).expect("heading dropped");
        assert_eq!(reason, "author_bio", "{heading}");
        assert!(evidence.contains("the next paragraph names"), "{evidence}");
        let (reason, evidence) = verdict(&doc, bio).expect("bio dropped");
        assert_eq!(reason, "author_bio", "{bio}");
        assert!(
            evidence.contains("the subject of the heading in paragraph 3"),
            "{evidence}"
        );
        for line in ARTICLE.lines() {
            assert_eq!(verdict(&doc, line), None, "{line}");
        }
    }
}

#[test]
fn an_about_heading_stays_when_no_person_is_named() {
    let cases = [
        // The next paragraph does not name the heading's subject.
        (
            "About Jane Doe",
            "The timetable for the new lines will be published on the council's website in February.",
        ),
        // A stop word in the "name": a section of the page, not a person.
        (
            "About This Recipe",
            "This recipe comes from my grandmother, who baked it every Sunday with apples from her own garden.",
        ),
        (
            "Sobre Nós Mesmos",
            "Nós somos uma pequena editora independente fundada em 2010 em Lisboa.",
        ),
        // A digit in the "name": a product's section.
        (
            "Über Galaxy S21 Ultra",
            "Das Galaxy S21 Ultra hat ein 6,8 Zoll großes Display und vier Kameras auf der Rückseite.",
        ),
        // One word only: a place or a company as often as a person.
        (
            "Über Berlin",
            "Berlin ist mit 3,8 Millionen Einwohnern die größte Stadt Deutschlands.",
        ),
    ];
    for (heading, next) in cases {
        let doc = clean(&format!("{ARTICLE}{heading}\n{next}\n"));
        assert_eq!(verdict(&doc, heading), None, "{heading}");
        assert_eq!(verdict(&doc, next), None, "{next}");
    }
}

#[test]
fn a_long_section_under_the_heading_is_no_author_box() {
    let section = format!(
        "Jane Doe {}",
        "founded the cycling club in 1998 and led it for twenty years. ".repeat(15)
    );
    let doc = clean(&format!("{ARTICLE}About Jane Doe\n{}\n", section.trim()));
    assert_eq!(verdict(&doc, "About Jane Doe"), None);
    assert_eq!(verdict(&doc, section.trim()), None);
}
