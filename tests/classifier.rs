//! The content classifier on whole pages written for these tests in the shape scrapers
//! produce: a navigation menu, the article (title, lead, headings, a list, a table, quotes),
//! then a footer. Menus and footers go as `low_content`; every part of the article stays.

use polyclean::config::ClassifierOverrides;
use polyclean::{Config, Document, Paragraph, Pipeline};

fn clean(text: &str) -> Document {
    Pipeline::new(Config::default())
        .expect("rules")
        .clean("page", text)
}

/// The paragraph whose text is `text`.
fn paragraph<'a>(doc: &'a Document, text: &str) -> &'a Paragraph {
    doc.paragraphs
        .iter()
        .find(|p| p.text == text)
        .unwrap_or_else(|| panic!("no paragraph {text:?}"))
}

fn verdict(doc: &Document, text: &str) -> Option<&'static str> {
    paragraph(doc, text)
        .verdict
        .drop_info()
        .map(|d| d.reason.as_str())
}

/// Every paragraph longer than `bytes` is kept (the article's body).
fn assert_long_paragraphs_kept(doc: &Document, bytes: usize) {
    assert!(doc
        .paragraphs
        .iter()
        .filter(|p| p.text.len() > bytes)
        .all(|p| p.verdict.is_kept()));
}

const FRENCH_PAGE: &str = "\
Accueil
Actualités
Politique
Économie
Sport
Culture
Météo
Se connecter
Les maraîchers de la vallée face à la sécheresse
Après trois mois sans pluie, les exploitants de la vallée de la Durance cherchent des solutions pour sauver leurs récoltes. Certains ont déjà renoncé à planter les tomates d'été.
Sur les coteaux, les puits sont presque à sec. « On pompe la nuit pour limiter l'évaporation, mais ça ne suffira pas longtemps », explique Jeanne Roux, qui cultive quatre hectares de légumes depuis vingt ans.
Des mesures d'urgence
La préfecture a publié mardi un arrêté qui limite l'arrosage des jardins et interdit le remplissage des piscines privées jusqu'à la fin du mois d'août.
Les exploitants demandent trois choses :
un accès prioritaire aux réserves collinaires ;
une aide pour installer le goutte-à-goutte ;
un report des cotisations sociales.
Culture Surface Perte estimée
Tomates 120 ha 40 %
Courgettes 80 ha 25 %
La chambre d'agriculture estime que les pertes pourraient dépasser deux millions d'euros si la situation ne s'améliore pas avant septembre, et appelle l'État à débloquer un fonds d'urgence.
Jeanne Roux, maraîchère à Cavaillon
Mentions légales
Plan du site
Contact
Nous recruter
© 2024 Le Journal de la Vallée
";

#[test]
fn french_page_menu_and_footer_go_article_stays() {
    let doc = clean(FRENCH_PAGE);
    for menu in [
        "Accueil",
        "Actualités",
        "Politique",
        "Météo",
        "Se connecter",
    ] {
        assert!(verdict(&doc, menu).is_some(), "{menu} should be dropped");
    }
    for footer in ["Mentions légales", "Plan du site", "Nous recruter"] {
        assert!(
            verdict(&doc, footer).is_some(),
            "{footer} should be dropped"
        );
    }
    for kept in [
        "Les maraîchers de la vallée face à la sécheresse",
        "Des mesures d'urgence",
        "Les exploitants demandent trois choses :",
        "un accès prioritaire aux réserves collinaires ;",
        "un report des cotisations sociales.",
        "Culture Surface Perte estimée",
        "Tomates 120 ha 40 %",
        "Courgettes 80 ha 25 %",
    ] {
        assert_eq!(verdict(&doc, kept), None, "{kept} should be kept");
    }
    assert_long_paragraphs_kept(&doc, 150);
}

const GERMAN_PAGE: &str = "\
Startseite
Nachrichten
Region
Wirtschaft
Sport
Kultur
Abo
Suche
Neue Radwege für die Innenstadt
Der Stadtrat hat am Donnerstag beschlossen, bis 2026 insgesamt zwölf Kilometer neue Radwege zu bauen. Die Kosten von rund acht Millionen Euro trägt zur Hälfte das Land.
Vor allem die Verbindung zwischen Bahnhof und Universität soll sicherer werden. Dort kam es im vergangenen Jahr zu mehreren Unfällen, bei denen Radfahrer schwer verletzt wurden.
Was sich ändert
Auf der Hauptstraße fällt eine Autospur weg, dafür entsteht ein geschützter Radstreifen. Die Geschäftsleute hatten zunächst protestiert, weil sie um Parkplätze fürchten, haben sich aber mit der Stadt auf neue Lieferzonen geeinigt.
„Wir wollen, dass auch Kinder sicher mit dem Rad zur Schule fahren können“, sagte die Bürgermeisterin nach der Abstimmung.
Impressum
Datenschutz
Kontakt
Mediadaten
";

#[test]
fn german_page_menu_and_footer_go_article_stays() {
    let doc = clean(GERMAN_PAGE);
    for boiler in [
        "Startseite",
        "Nachrichten",
        "Wirtschaft",
        "Suche",
        "Impressum",
        "Datenschutz",
        "Mediadaten",
    ] {
        assert!(
            verdict(&doc, boiler).is_some(),
            "{boiler} should be dropped"
        );
    }
    for kept in ["Neue Radwege für die Innenstadt", "Was sich ändert"] {
        assert_eq!(verdict(&doc, kept), None, "{kept} should be kept");
    }
    assert_long_paragraphs_kept(&doc, 100);
}

#[test]
fn low_content_evidence_gives_the_score_and_features() {
    let doc = clean(GERMAN_PAGE);
    let p = doc
        .paragraphs
        .iter()
        .find(|p| p.text == "Startseite")
        .expect("menu line");
    let drop = p.verdict.drop_info().expect("dropped");
    if drop.reason.as_str() == "low_content" {
        assert!(
            drop.evidence.starts_with("classifier: score "),
            "{}",
            drop.evidence
        );
        assert!(
            drop.evidence
                .contains("most against (vs. the document's average paragraph): "),
            "{}",
            drop.evidence
        );
    }
}

#[test]
fn short_documents_are_left_to_the_rules() {
    let doc = clean("Une phrase courte.\n\nUne autre.");
    assert!(doc.paragraphs.iter().all(|p| p.verdict.is_kept()));
}

#[test]
fn a_rule_hit_between_content_paragraphs_stays_dropped_and_does_not_drag_them() {
    let doc = clean(
        "Le conseil municipal a voté jeudi soir le budget de la ville pour l'année prochaine, après un long débat.\n\
         Publicité\n\
         Les élus de l'opposition ont dénoncé une hausse des impôts locaux qu'ils jugent injustifiée.\n\
         Publicité\n\
         Le maire a promis de publier le détail des dépenses avant la fin du mois de juin.\n\
         La séance a duré plus de quatre heures et s'est terminée peu avant minuit.",
    );
    assert_eq!(verdict(&doc, "Publicité"), Some("ad"));
    assert_eq!(
        doc.paragraphs
            .iter()
            .filter(|p| p.verdict.is_kept())
            .count(),
        4
    );
}

const SPANISH_PAGE: &str = "\
Inicio
Noticias
Deportes
Economía
Opinión
Suscríbete
Iniciar sesión
El puerto amplía su terminal de contenedores
La autoridad portuaria presentó el lunes el proyecto para ampliar la terminal norte, que permitirá recibir buques de mayor calado a partir de 2027 y duplicar el tráfico actual.
Las obras costarán unos 120 millones de euros y se financiarán en parte con fondos europeos, según explicó el presidente del puerto en una rueda de prensa.
¿Qué cambia para los vecinos?
El tráfico de camiones se desviará por la nueva ronda sur, de modo que el paseo marítimo quedará libre de vehículos pesados durante la mayor parte del día.
Aviso legal
Política de privacidad
Contacto
";

const ENGLISH_PAGE: &str = "\
Home
World
Business
Tech
Sport
Podcasts
Sign in
Library opens its doors after two-year renovation
The central library reopened on Saturday after a renovation that added a children's wing, a rooftop reading garden and two hundred new study places for students.
Visitors queued from early morning, and by noon more than three thousand people had come through the doors, according to the city council.
What's new inside
The old reading room has kept its ceiling paintings, but the shelves have been moved to free space for exhibitions and evening talks.
About us
Careers
Advertise with us
Terms of use
";

#[test]
fn spanish_and_english_pages_menu_and_footer_go_article_stays() {
    for (page, boiler, kept) in [
        (
            SPANISH_PAGE,
            &[
                "Inicio",
                "Noticias",
                "Deportes",
                "Opinión",
                "Aviso legal",
                "Contacto",
            ][..],
            &[
                "El puerto amplía su terminal de contenedores",
                "¿Qué cambia para los vecinos?",
            ][..],
        ),
        (
            ENGLISH_PAGE,
            &[
                "Home",
                "World",
                "Business",
                "Sign in",
                "About us",
                "Careers",
                "Terms of use",
            ][..],
            &[
                "Library opens its doors after two-year renovation",
                "What's new inside",
            ][..],
        ),
    ] {
        let doc = clean(page);
        for b in boiler {
            assert!(verdict(&doc, b).is_some(), "{b} should be dropped");
        }
        for k in kept {
            assert_eq!(verdict(&doc, k), None, "{k} should be kept");
        }
        assert_long_paragraphs_kept(&doc, 100);
    }
}

/// An English article, a share bar the rules drop, then a "More from" teaser block written in
/// full sentences: the teasers score like content on their own, but sit apart from the article.
const ENGLISH_PAGE_WITH_TEASERS: &str = "\
Home
News
Local
Sport
Sign in
Harbour bridge to close for three months of repairs
The harbour bridge will close to all traffic from the first of March while engineers replace the bearings that carry its main span, the port authority said on Tuesday.
The work was planned for next year, but an inspection in the autumn found cracks in two of the steel bearings, and the engineers advised the city not to wait any longer.
Buses will be diverted over the old swing bridge, which adds about fifteen minutes to a journey from the northern suburbs to the centre at rush hour.
Ferry services will run every ten minutes instead of every twenty during the closure, and the tickets will cost the same as a single bus fare.
Shop owners on the waterfront fear a quiet spring. \"We lost a third of our customers the last time the bridge closed,\" said one café owner, who has run her business there for eleven years.
The city council has promised a campaign to bring visitors to the waterfront and free parking on weekends until the bridge reopens in early June.
Cyclists and pedestrians will be allowed to cross on a temporary walkway along the eastern side of the bridge, except on the three nights when the new bearings are lifted into place.
Share this article
Facebook
Twitter
WhatsApp
Email
Copy link
More from Local
Council approves new bus lanes on the ring road
The plan, first presented in spring, will cut journey times for commuters by up to ten minutes. Work on the first section starts in the summer holidays.
School meals to cost less from September
Parents of primary pupils will pay a pound less a day after the council found savings in its catering contract. The change applies to all thirty schools in the district.
Newsletter
Privacy
Contact us
";

/// A Spanish article, a share bar, then an author box: a heading and one sentence about the
/// author, in the page's language.
const SPANISH_PAGE_WITH_AUTHOR_BOX: &str = "\
Portada
Nacional
Internacional
Cultura
Entrar
El museo recupera un retablo del siglo XV
El Museo de Bellas Artes presentó este jueves un retablo gótico que permaneció casi cien años en una colección privada y que fue adquirido el pasado otoño por la diputación provincial.
La obra, de cinco metros de altura, estaba cubierta por capas de barniz oscurecido. Los restauradores han trabajado durante ocho meses para devolver a las tablas sus colores originales.
Según la directora del museo, el retablo se atribuye al taller de un pintor valenciano que trabajó en varias iglesias de la comarca entre 1460 y 1490.
El público podrá verlo a partir del sábado en la sala principal, donde se expondrá junto a una serie de dibujos preparatorios hallados durante la restauración.
Durante la limpieza aparecieron también las marcas de los carpinteros que montaron el retablo, lo que ha permitido reconstruir el orden original de las tablas centrales.
La entrada será gratuita durante el primer mes, y el museo organizará visitas guiadas los domingos por la mañana para grupos de hasta veinte personas.
La diputación estudia ahora un acuerdo con la parroquia de origen para que una copia digital de las tablas vuelva a la iglesia donde estuvieron hasta 1923.
Compartir
Facebook
Twitter
WhatsApp
Imprimir
Sobre la autora
Lucía Martín escribe sobre arte y patrimonio desde 2010. Antes trabajó en la radio pública regional y en varias revistas de historia del arte.
Aviso legal
Política de privacidad
";

/// A German article interrupted by a photo gallery: six dropped lines split it in two blocks,
/// and the second one holds enough of the article's sentences to stay.
const GERMAN_PAGE_WITH_GALLERY: &str = "\
Startseite
Politik
Wirtschaft
Anmelden
Hochwasser: Deiche an der Elbe halten
Die Pegelstände an der Elbe sind in der Nacht zum Montag langsamer gestiegen als befürchtet. Die Deiche zwischen Dresden und Magdeburg haben bislang gehalten, teilte das Umweltministerium am Morgen mit.
Hunderte Helfer hatten am Wochenende Sandsäcke gefüllt und die besonders gefährdeten Abschnitte verstärkt. In einigen Dörfern wurden die Bewohner vorsorglich gebeten, ihre Keller zu räumen.
Der Scheitel der Flutwelle wird für Dienstagabend erwartet. Bis dahin bleiben mehrere Fähren und zwei Brücken gesperrt.
Bildergalerie
Bild 1 von 12
Foto: dpa
Zurück
Weiter
Anzeige
Die Landwirte in der Region rechnen dennoch mit großen Schäden. Viele Felder stehen seit Tagen unter Wasser, und die Aussaat des Wintergetreides muss wohl verschoben werden.
Der Bauernverband fordert deshalb schnelle Hilfen vom Land. Ein Sprecher des Ministeriums sagte, man prüfe einen Härtefallfonds nach dem Vorbild des Jahres 2013.
Impressum
Datenschutz
Kontakt
";

fn evidence<'a>(doc: &'a Document, text: &str) -> &'a str {
    paragraph(doc, text)
        .verdict
        .drop_info()
        .map_or("", |d| d.evidence.as_str())
}

#[test]
fn teasers_apart_from_the_main_block_go_with_their_block() {
    let doc = clean(ENGLISH_PAGE_WITH_TEASERS);
    for text in [
        "Council approves new bus lanes on the ring road",
        "The plan, first presented in spring, will cut journey times for commuters by up to ten minutes. Work on the first section starts in the summer holidays.",
        "Parents of primary pupils will pay a pound less a day after the council found savings in its catering contract. The change applies to all thirty schools in the district.",
    ] {
        assert_eq!(verdict(&doc, text), Some("low_content"), "{text}");
        assert!(
            evidence(&doc, text).starts_with("classifier: apart from the main block (¶5–12"),
            "{text}: {}",
            evidence(&doc, text)
        );
    }
    let headline = "Harbour bridge to close for three months of repairs";
    let article: Vec<_> = doc
        .paragraphs
        .iter()
        .skip_while(|p| p.text != headline)
        .take_while(|p| p.text != "Share this article")
        .collect();
    assert_eq!(article.len(), 8);
    assert!(article.iter().all(|p| p.verdict.is_kept()));
}

#[test]
fn an_author_box_after_the_share_bar_goes() {
    let doc = clean(SPANISH_PAGE_WITH_AUTHOR_BOX);
    for text in [
        "Sobre la autora",
        "Lucía Martín escribe sobre arte y patrimonio desde 2010. Antes trabajó en la radio pública regional y en varias revistas de historia del arte.",
    ] {
        assert_eq!(verdict(&doc, text), Some("low_content"), "{text}");
    }
    let article = doc
        .paragraphs
        .iter()
        .skip_while(|p| p.text != "El museo recupera un retablo del siglo XV")
        .take_while(|p| p.text != "Compartir");
    assert_eq!(article.clone().count(), 8);
    assert!(article.clone().all(|p| p.verdict.is_kept()));

    // Without the block drop, the sequence alone drops the biography: the heading promoted
    // next to it does not carry promotion over the share bar.
    let doc = without_block_drop(SPANISH_PAGE_WITH_AUTHOR_BOX);
    let bio = "Lucía Martín escribe sobre arte y patrimonio desde 2010. Antes trabajó en la radio pública regional y en varias revistas de historia del arte.";
    assert_eq!(verdict(&doc, bio), Some("low_content"));
    assert!(!evidence(&doc, bio).contains("main block"));
}

/// The page cleaned with `block_keep_chars = 0`: no block is dropped as apart from the article.
fn without_block_drop(page: &str) -> Document {
    clean_with(
        ClassifierOverrides {
            block_keep_chars: Some(0),
            ..ClassifierOverrides::default()
        },
        page,
    )
}

/// The page cleaned with these classifier settings.
fn clean_with(classifier: ClassifierOverrides, page: &str) -> Document {
    let config = Config {
        classifier,
        ..Config::default()
    };
    Pipeline::new(config).expect("rules").clean("page", page)
}

#[test]
fn an_article_split_by_a_gallery_keeps_both_parts() {
    let doc = clean(GERMAN_PAGE_WITH_GALLERY);
    for kept in [
        "Hochwasser: Deiche an der Elbe halten",
        "Der Scheitel der Flutwelle wird für Dienstagabend erwartet. Bis dahin bleiben mehrere Fähren und zwei Brücken gesperrt.",
        "Der Bauernverband fordert deshalb schnelle Hilfen vom Land. Ein Sprecher des Ministeriums sagte, man prüfe einen Härtefallfonds nach dem Vorbild des Jahres 2013.",
    ] {
        assert_eq!(verdict(&doc, kept), None, "{kept} should be kept");
    }
    for gallery in ["Bild 1 von 12", "Zurück", "Impressum"] {
        assert!(verdict(&doc, gallery).is_some(), "{gallery} should go");
    }
}

#[test]
fn block_keep_chars_zero_switches_the_main_block_step_off() {
    let doc = without_block_drop(ENGLISH_PAGE_WITH_TEASERS);
    let teaser = "The plan, first presented in spring, will cut journey times for commuters by up to ten minutes. Work on the first section starts in the summer holidays.";
    assert_eq!(verdict(&doc, teaser), None, "{}", evidence(&doc, teaser));
}

/// An English article of five developed paragraphs, a share bar, then a "Most read" grid of
/// twelve headlines with a one-sentence summary each: the grid holds about 970 characters of
/// sentences against the article's 1,280, in short paragraphs.
const ENGLISH_PAGE_WITH_TEASER_GRID: &str = "\
Home
News
Sport
Culture
Sign in
Night trains return to the valley line after twelve years
The regional rail company will run a night train between the capital and the mountain towns again from December, twelve years after the last service was cut for lack of passengers, its director announced on Monday at a press conference in the main station.
The trains will leave the capital at eleven in the evening and reach the last stop in the valley shortly after four in the morning. Tickets for a seat will cost the same as a day ticket, while a bed in one of the four sleeping cars will cost about twice as much.
The company expects most travellers to be skiers and hikers who want to spend a full day in the mountains, but also students and workers who go home for the weekend. Several hotels in the valley have already offered discounts to guests who arrive by train.
The old carriages, bought second-hand from a neighbouring country, are being refurbished in the company's workshop. Each sleeping car will have twelve compartments, a shower and a small kitchen where the attendant prepares breakfast before arrival.
Environmental groups welcomed the decision and asked the government to support more night services. The transport minister said the state would pay for the first two winters and then decide, depending on the number of passengers, whether to keep the line.
Share this article
Facebook
Twitter
WhatsApp
Email
Most read
Bakery wins national prize
A family bakery from the old town won the prize for the best rye bread of the year.
Museum extends opening hours
The city museum will stay open until nine on Thursdays from next month onwards.
New cycle path opens
The path along the river now links the two bridges and the university campus.
Library gets a new roof
Repairs to the library roof will be finished before the first snow of the winter.
Choir seeks new singers
The cathedral choir is looking for tenors and basses for its spring concert.
Market moves to the square
The weekly farmers' market will be held on the cathedral square during the works.
Pool closes for cleaning
The outdoor pool will close for one week in August for its yearly cleaning and checks.
Zoo welcomes two cubs
Two snow leopard cubs were born at the zoo and can be seen by visitors from May.
School builds a garden
Pupils of the primary school planted vegetables and flowers in their new garden.
Theatre sells out its season
All performances of the theatre's autumn season were sold out within three days.
Stadium gets solar panels
The football club has covered the roof of its stadium with four thousand solar panels.
Bridge repainted in red
The footbridge near the harbour has been repainted in its original red colour.
Privacy
Contact us
";

#[test]
fn a_grid_of_short_teasers_weighs_less_than_an_article_of_developed_paragraphs() {
    let summary = "The city museum will stay open until nine on Thursdays from next month onwards.";
    let doc = clean(ENGLISH_PAGE_WITH_TEASER_GRID);
    assert_eq!(verdict(&doc, summary), Some("low_content"));
    assert!(
        evidence(&doc, summary).starts_with("classifier: apart from the main block (¶5–10"),
        "{}",
        evidence(&doc, summary)
    );
    assert_long_paragraphs_kept(&doc, 200);

    // Counted in full, the grid's sentences hold 75 % of the article's and over 1,000
    // characters: the grid stays.
    let doc = clean_with(
        ClassifierOverrides {
            block_full_chars: Some(0),
            ..ClassifierOverrides::default()
        },
        ENGLISH_PAGE_WITH_TEASER_GRID,
    );
    assert_eq!(verdict(&doc, summary), None, "{}", evidence(&doc, summary));
}
