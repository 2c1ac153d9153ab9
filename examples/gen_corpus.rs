//! A deterministic multilingual benchmark corpus shaped like scraped news pages.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- 200 > /tmp/bench-200.jsonl   # 200 MB, JSONL
//! ```
//!
//! Every document is one JSONL record `{"id", "text"}`: an article in French, English, Spanish,
//! German, Italian or Portuguese (prose sampled from the word-frequency lists in
//! `rules/words/`, so function words and rare words come at their real rates), wrapped in the
//! boilerplate scrapers keep — menus, share bars, ads, "read also" links, image markdown, cookie
//! banners, comment forms, copyright lines — with some paragraphs mixing two languages, site
//! templates repeated across documents, and both layouts: blank lines between paragraphs, or one
//! paragraph per line with hard-wrapped prose. The same size argument always gives the same bytes.

use std::io::{self, BufWriter, Write};

/// The languages of the corpus and their word lists (Zipf frequency, then words, per line).
const LANGUAGES: &[(&str, &str)] = &[
    ("fr", include_str!("../rules/words/fr.txt")),
    ("en", include_str!("../rules/words/en.txt")),
    ("es", include_str!("../rules/words/es.txt")),
    ("de", include_str!("../rules/words/de.txt")),
    ("it", include_str!("../rules/words/it.txt")),
    ("pt", include_str!("../rules/words/pt.txt")),
];

/// Share of documents per language, in the order of `LANGUAGES` (French-heavy, like the seeds).
const LANGUAGE_WEIGHTS: &[u64] = &[35, 25, 15, 10, 8, 7];

/// Boilerplate lines a scraper keeps, per language (generic shapes, not any site's text).
const BOILERPLATE: &[(&str, &[&str])] = &[
    (
        "fr",
        &[
            "Publicité",
            "Partager sur Facebook Partager sur Twitter Envoyer par e-mail",
            "LIRE AUSSI : {title}",
            "Accueil > Actualités > Société",
            "Laisser un commentaire",
            "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
            "Nous utilisons des cookies pour améliorer votre expérience. Accepter Refuser",
            "© 2024 Le Journal. Tous droits réservés.",
        ],
    ),
    (
        "en",
        &[
            "Advertisement",
            "Share on Facebook Share on Twitter Email",
            "READ ALSO: {title}",
            "Home | News | Politics | Sport | Contact",
            "Leave a Reply",
            "Your email address will not be published. Required fields are marked *",
            "We use cookies to improve your experience. Accept Decline",
            "© 2024 The Daily Paper. All rights reserved.",
        ],
    ),
    (
        "es",
        &[
            "Publicidad",
            "Compartir en Facebook Compartir en Twitter",
            "LEE TAMBIÉN: {title}",
            "Inicio > Noticias > Sociedad",
            "Deja una respuesta",
            "Tu dirección de correo electrónico no será publicada.",
            "Utilizamos cookies para mejorar tu experiencia. Aceptar Rechazar",
            "© 2024 El Diario. Todos los derechos reservados.",
        ],
    ),
    (
        "de",
        &[
            "Anzeige",
            "Auf Facebook teilen Auf Twitter teilen",
            "LESEN SIE AUCH: {title}",
            "Startseite > Nachrichten > Politik",
            "Schreibe einen Kommentar",
            "Deine E-Mail-Adresse wird nicht veröffentlicht.",
            "Wir verwenden Cookies, um Ihr Erlebnis zu verbessern. Akzeptieren Ablehnen",
            "© 2024 Die Zeitung. Alle Rechte vorbehalten.",
        ],
    ),
    (
        "it",
        &[
            "Pubblicità",
            "Condividi su Facebook Condividi su Twitter",
            "LEGGI ANCHE: {title}",
            "Home > Notizie > Politica",
            "Lascia un commento",
            "Il tuo indirizzo email non sarà pubblicato.",
            "Utilizziamo i cookie per migliorare la tua esperienza. Accetta Rifiuta",
            "© 2024 Il Giornale. Tutti i diritti riservati.",
        ],
    ),
    (
        "pt",
        &[
            "Publicidade",
            "Partilhar no Facebook Partilhar no Twitter",
            "LEIA TAMBÉM: {title}",
            "Início > Notícias > Sociedade",
            "Deixe um comentário",
            "O seu endereço de email não será publicado.",
            "Usamos cookies para melhorar a sua experiência. Aceitar Recusar",
            "© 2024 O Jornal. Todos os direitos reservados.",
        ],
    ),
];

/// SplitMix64: a small, fast generator whose sequence is fixed by its seed on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// An index drawn by `cumulative` weights (ascending, last = total).
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(1).max(1);
        let x = self.below(total);
        cumulative.partition_point(|&c| c <= x)
    }
}

/// One language's vocabulary, sampled by word frequency.
struct Vocabulary {
    code: &'static str,
    words: Vec<&'static str>,
    cumulative: Vec<u64>,
}

impl Vocabulary {
    fn parse(code: &'static str, text: &'static str) -> Vocabulary {
        let mut words = Vec::new();
        let mut cumulative = Vec::new();
        let mut total = 0u64;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split_whitespace();
            let Some(zipf) = fields.next().and_then(|z| z.parse::<f64>().ok()) else {
                continue;
            };
            // Zipf 3 = one per million words; weights in occurrences per billion.
            let weight = 10f64.powf(zipf).max(1.0) as u64;
            for word in fields {
                total += weight;
                words.push(word);
                cumulative.push(total);
            }
        }
        Vocabulary {
            code,
            words,
            cumulative,
        }
    }

    fn sentence(&self, rng: &mut Rng) -> String {
        let n = rng.between(6, 24);
        let mut words: Vec<String> = (0..n)
            .map(|_| self.words[rng.weighted(&self.cumulative)].to_string())
            .collect();
        if let Some(first) = words.first_mut() {
            *first = capitalise(first);
        }
        let end = if rng.chance(8) { "?" } else { "." };
        format!("{}{end}", words.join(" "))
    }

    fn paragraph(&self, rng: &mut Rng) -> String {
        let n = rng.between(2, 6);
        (0..n)
            .map(|_| self.sentence(rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn title(&self, rng: &mut Rng) -> String {
        let s = self.sentence(rng);
        let words: Vec<&str> = s.trim_end_matches(['.', '?']).split(' ').take(8).collect();
        words.join(" ")
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Break `text` into lines of at most `width` characters (a scraper's hard wrap).
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if line_len > 0 && line_len + 1 + len > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += len;
    }
    out
}

/// The generator's state: vocabularies, and the site templates repeated across documents.
struct Corpus {
    vocabularies: Vec<Vocabulary>,
    language_cumulative: Vec<u64>,
    templates: Vec<String>,
}

impl Corpus {
    fn new(rng: &mut Rng) -> Corpus {
        let vocabularies: Vec<Vocabulary> = LANGUAGES
            .iter()
            .map(|(code, text)| Vocabulary::parse(code, text))
            .collect();
        let language_cumulative = LANGUAGE_WEIGHTS
            .iter()
            .scan(0, |sum, w| {
                *sum += w;
                Some(*sum)
            })
            .collect();
        // Site templates: the same footer prose on many pages of one site.
        let templates = (0..40)
            .map(|i| vocabularies[i % vocabularies.len()].paragraph(rng))
            .collect();
        Corpus {
            vocabularies,
            language_cumulative,
            templates,
        }
    }

    fn boilerplate(&self, code: &str, vocabulary: &Vocabulary, rng: &mut Rng) -> String {
        let lines = BOILERPLATE
            .iter()
            .find(|(c, _)| *c == code)
            .map_or(&[][..], |(_, lines)| lines);
        if lines.is_empty() || rng.chance(15) {
            return format!(
                "![image](https://example.org/img/{}.jpg)",
                rng.below(100_000)
            );
        }
        let line = lines[rng.below(lines.len() as u64) as usize];
        line.replace("{title}", &vocabulary.title(rng))
    }

    /// One document's text.
    fn document(&self, rng: &mut Rng) -> String {
        let lang = rng.weighted(&self.language_cumulative);
        let vocabulary = &self.vocabularies[lang];
        let mut paragraphs = Vec::new();
        for _ in 0..rng.between(1, 4) {
            paragraphs.push(self.boilerplate(vocabulary.code, vocabulary, rng));
        }
        paragraphs.push(vocabulary.title(rng));
        let wrapped = rng.chance(30);
        for _ in 0..rng.between(3, 12) {
            let mut p = vocabulary.paragraph(rng);
            if rng.chance(10) {
                // A quotation or fragment in another language inside the paragraph.
                let other = &self.vocabularies[rng.below(self.vocabularies.len() as u64) as usize];
                p = format!("{p} {}", other.sentence(rng));
            }
            paragraphs.push(if wrapped { hard_wrap(&p, 78) } else { p });
            if rng.chance(20) {
                paragraphs.push(self.boilerplate(vocabulary.code, vocabulary, rng));
            }
        }
        for _ in 0..rng.between(1, 4) {
            paragraphs.push(self.boilerplate(vocabulary.code, vocabulary, rng));
        }
        if rng.chance(40) {
            let t = rng.below(self.templates.len() as u64) as usize;
            paragraphs.push(self.templates[t].clone());
        }
        // Blank lines between paragraphs, or one paragraph per line.
        let separator = if rng.chance(60) { "\n\n" } else { "\n" };
        paragraphs.join(separator)
    }
}

fn main() -> io::Result<()> {
    let megabytes: u64 = match std::env::args().nth(1).map(|a| a.parse()) {
        Some(Ok(mb)) => mb,
        None => 100,
        Some(Err(_)) => {
            eprintln!("usage: gen_corpus [MEGABYTES]   (default 100; JSONL on stdout)");
            std::process::exit(2);
        }
    };
    let target = megabytes * 1_000_000;
    let mut rng = Rng(0x706F_6C79_636C_6561); // "polyclea"
    let corpus = Corpus::new(&mut rng);
    let mut out = BufWriter::with_capacity(1 << 20, io::stdout().lock());
    let mut written = 0u64;
    let mut id = 0u64;
    while written < target {
        let text = corpus.document(&mut rng);
        let line = serde_json::json!({ "id": format!("doc-{id:08}"), "text": text }).to_string();
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
        written += line.len() as u64 + 1;
        id += 1;
    }
    out.flush()
}
