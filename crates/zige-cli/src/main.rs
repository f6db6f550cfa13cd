//! `zige`: the command line of Zige. It reads the built-in catalogue (or a
//! file given to it), runs the pure core, and prints tables or JSON.
//! Exit status: 0 success, 2 rejected input (with one line naming the
//! field, the value and what is allowed), 1 anything else.

mod editions;
mod ops;
mod table;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::json;
use zige_catalog::{Bilingual, Catalog, CatalogDiff, Entry, Lang, TitleLevel};
use zige_search::{Filters, Searcher};

#[derive(Parser)]
#[command(
    name = "zige",
    version,
    about = "Zige 资格: Beijing's catalogue of recognised overseas professional qualifications — search it, read it, check what a qualification brings."
)]
struct Cli {
    /// Language of human output: zh or en (default: from LANG, else en).
    #[arg(long, global = true, value_name = "zh|en")]
    lang: Option<String>,
    /// Edition to use, e.g. beijing/3.0 (default: the newest built in).
    #[arg(long, global = true, value_name = "JURISDICTION/VERSION")]
    catalog: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List entries, optionally filtered.
    List {
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        src: editions::SourceArgs,
    },
    /// Show one entry by id, or by list code such as U1 or G31.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        src: editions::SourceArgs,
    },
    /// Search in Chinese or English.
    Search {
        /// The query (several words are joined).
        #[arg(required = true, num_args = 1.., allow_hyphen_values = true)]
        query: Vec<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        src: editions::SourceArgs,
    },
    /// Decide what a qualification brings a holder in Beijing, and why.
    Check(CheckArgs),
    /// Validate an official text and print it as a structured catalogue.
    Import {
        file: PathBuf,
        /// Jurisdiction whose overlay the text is read with.
        #[arg(long, default_value = "beijing")]
        jurisdiction: String,
        /// Version of the edition (default: read from the title).
        #[arg(long)]
        version: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Compare two editions: files of official text, or built-in versions like beijing/3.0.
    Diff {
        a: String,
        b: String,
        #[arg(long)]
        json: bool,
    },
    /// Serve the bilingual pages and the JSON API.
    Serve(ServeArgs),
    /// Print configuration: `--default` prints a commented config file.
    Config {
        #[arg(long)]
        default: bool,
    },
    /// Catalogue editions: import a new official text as a draft, publish it from a date, discard it, list editions.
    #[command(subcommand)]
    Catalog(editions::CatalogCommand),
    /// Apply the database migrations (serve does this at start-up too).
    Migrate(ops::StoreArgs),
    /// Accounts: create the first admin, reviewers.
    #[command(subcommand)]
    Admin(ops::AdminCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(ops::AuditCommand),
    /// Evidence files: remove those no record refers to.
    #[command(subcommand)]
    Blobs(ops::BlobsCommand),
    /// Write a consistent backup (database and evidence) while the server runs.
    Backup {
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        store: ops::StoreArgs,
    },
    /// Restore a backup into an empty data directory or database.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        store: ops::StoreArgs,
    },
    /// Check a downloaded decision's signature offline.
    Verify {
        file: PathBuf,
        /// The public keys (the JSON of /api/v1/keys); default: those in the local database.
        #[arg(long)]
        keys: Option<PathBuf>,
        #[command(flatten)]
        store: ops::StoreArgs,
    },
    /// Export the catalogue as open data.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Output file (default: standard output).
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        #[command(flatten)]
        src: editions::SourceArgs,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [env: ZIGE_ADDR] [default: 127.0.0.1:8080].
    #[arg(long)]
    addr: Option<String>,
    /// Data directory for the embedded SQLite database [env: ZIGE_DATA_DIR] [default: ./zige-data].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://user@host/db [env: ZIGE_DATABASE_URL].
    #[arg(long)]
    database_url: Option<String>,
    /// text or json request logs [env: ZIGE_LOG_FORMAT].
    #[arg(long)]
    log_format: Option<String>,
    /// Evidence in S3-compatible storage: s3://bucket/prefix [env: ZIGE_BLOB_URL].
    #[arg(long)]
    blob_url: Option<String>,
    /// The address people reach the service at, for verification links [env: ZIGE_PUBLIC_URL].
    #[arg(long)]
    public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-For names the client: addresses or
    /// CIDR ranges, repeatable [env: ZIGE_TRUSTED_PROXY, comma-separated].
    #[arg(long = "trusted-proxy", value_name = "CIDR", num_args = 1..)]
    trusted_proxy: Vec<String>,
    /// A TOML configuration file (see `zige config --default`) [env: ZIGE_CONFIG].
    #[arg(long)]
    config: Option<PathBuf>,
    /// Evidence files per application [env: ZIGE_MAX_EVIDENCE_FILES] [default: 20].
    #[arg(long)]
    max_evidence_files: Option<String>,
    /// Open (unsubmitted) drafts per account [env: ZIGE_MAX_OPEN_DRAFTS] [default: 20].
    #[arg(long)]
    max_open_drafts: Option<String>,
    /// Megabytes of evidence per account [env: ZIGE_MAX_STORAGE_MB] [default: 200].
    #[arg(long)]
    max_storage_mb: Option<String>,
    /// Seconds before an evidence file no record refers to is removed [env: ZIGE_BLOB_GRACE_SECS] [default: 3600].
    #[arg(long)]
    blob_grace_secs: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    Jsonld,
}

#[derive(Args, Default)]
struct FilterArgs {
    /// urgent or general.
    #[arg(long = "list", value_name = "urgent|general")]
    list: Option<String>,
    /// Field key, Chinese or English name (e.g. finance, 金融).
    #[arg(long)]
    field: Option<String>,
    /// Region ISO code or name (e.g. GB, 英国), or "international".
    #[arg(long)]
    region: Option<String>,
    /// intermediate or deputy_senior.
    #[arg(long, value_name = "intermediate|deputy_senior")]
    title: Option<String>,
    /// Years of experience the entry requires (0 = none).
    #[arg(long, value_name = "YEARS")]
    experience: Option<u8>,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    src: editions::SourceArgs,
    /// Entry: U1..U7, G1..G115 or a stable id.
    #[arg(long, required_unless_present = "profile")]
    entry: Option<String>,
    /// A profile as JSON (file, or - for standard input).
    #[arg(long, conflicts_with = "entry")]
    profile: Option<String>,
    #[arg(long)]
    level: Option<String>,
    #[arg(long, value_name = "N")]
    experience_years: Option<String>,
    #[arg(long, value_name = "N")]
    age: Option<String>,
    #[arg(long, value_name = "foreign|chinese|hmt")]
    nationality: Option<String>,
    #[arg(long, value_name = "doctorate|master|bachelor|associate|none")]
    education: Option<String>,
    #[arg(long, value_name = "true|false")]
    beijing_employer: Option<String>,
    #[arg(long)]
    high_end_industry: bool,
    #[arg(long, value_name = "universal-studios")]
    project: Option<String>,
    #[arg(long)]
    json: bool,
}

/// A failure: rejected input (exit 2) or anything else (exit 1).
pub(crate) enum Failure {
    Input(String),
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.into())
    }
}

pub(crate) type Out = Result<(), Failure>;

/// Blocks of 4 MiB and more (an argon2id hash takes 19 MiB) are mapped
/// and unmapped one by one. Without this, glibc raises its threshold after
/// the first such block is freed and keeps later ones on its heaps, so every
/// password hash left about 10 MB resident (263 MB after 20 sign-ins).
fn return_large_blocks_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
}

fn main() -> ExitCode {
    return_large_blocks_to_the_system();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("zige: {msg}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("zige: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn lang_of(flag: Option<&str>) -> Result<Lang, Failure> {
    if let Some(f) = flag {
        return Lang::parse(f).ok_or_else(|| {
            Failure::Input(format!("invalid value '{f}' for --lang: allowed zh, en"))
        });
    }
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    Ok(if env.starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    })
}

fn pick_catalog(flag: Option<&str>) -> Result<&'static Catalog, Failure> {
    let builtin = zige_catalog::builtin();
    match flag {
        None => Ok(zige_catalog::default_catalog()),
        Some(s) => {
            let id = zige_catalog::CatalogId::parse(s).map_err(Failure::Input)?;
            builtin.iter().find(|c| c.id == id).ok_or_else(|| {
                let known: Vec<String> = builtin.iter().map(|c| c.id.to_string()).collect();
                Failure::Input(format!(
                    "unknown catalog '{s}' for --catalog: allowed {}",
                    known.join(", ")
                ))
            })
        }
    }
}

fn run(cli: Cli) -> Out {
    let lang = lang_of(cli.lang.as_deref())?;
    let flag = cli.catalog.as_deref();
    match cli.command {
        Command::List { filters, json, src } => {
            list(editions::pick(flag, &src)?, &filters.parse()?, json, lang)
        }
        Command::Show { id, json, src } => show(editions::pick(flag, &src)?, &id, json, lang),
        Command::Search {
            query,
            limit,
            filters,
            json,
            src,
        } => search(
            editions::pick(flag, &src)?,
            &query.join(" "),
            limit,
            &filters.parse()?,
            json,
            lang,
        ),
        Command::Check(args) => check(editions::pick(flag, &args.src)?, args, lang),
        Command::Import {
            file,
            jurisdiction,
            version,
            json,
        } => import(&file, &jurisdiction, version.as_deref(), json, lang),
        Command::Diff { a, b, json } => diff(&a, &b, json, lang),
        Command::Export {
            format,
            output,
            src,
        } => export(editions::pick(flag, &src)?, format, output),
        Command::Catalog(c) => editions::run(c, lang),
        Command::Serve(args) => serve(args),
        Command::Blobs(cmd) => ops::blobs_cmd(cmd),
        Command::Migrate(a) => ops::migrate(a),
        Command::Admin(c) => ops::admin(c),
        Command::Audit(c) => ops::audit(c),
        Command::Backup { out, store } => ops::backup(out, store),
        Command::Restore { file, store } => ops::restore(file, store),
        Command::Verify { file, keys, store } => ops::verify(file, keys, store),
        Command::Config { default } => {
            if !default {
                return Err(Failure::Input(
                    "zige config takes --default (print a commented configuration file)".into(),
                ));
            }
            print!("{}", zige_web::config::DEFAULT_FILE);
            Ok(())
        }
    }
}

impl FilterArgs {
    fn parse(self) -> Result<Filters, Failure> {
        let title = match self.title.as_deref() {
            None => None,
            Some(t) => Some(TitleLevel::parse(t).ok_or_else(|| {
                Failure::Input(format!(
                    "invalid value '{t}' for --title: allowed intermediate, deputy_senior"
                ))
            })?),
        };
        if let Some(l) = &self.list {
            let ok = ["urgent", "general", "u", "g"].contains(&l.to_ascii_lowercase().as_str());
            if !ok {
                return Err(Failure::Input(format!(
                    "invalid value '{l}' for --list: allowed urgent, general"
                )));
            }
        }
        Ok(Filters {
            list: self.list,
            field: self.field,
            region: self.region,
            title,
            experience: self.experience,
        })
    }
}

fn print_json(v: &impl serde::Serialize) -> Out {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}

fn t<'a>(b: &'a Bilingual, lang: Lang) -> &'a str {
    b.get(lang)
}

pub(crate) fn pick<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn list(catalog: &Catalog, filters: &Filters, json: bool, lang: Lang) -> Out {
    let entries: Vec<&Entry> = catalog
        .entries
        .iter()
        .filter(|e| filters.accepts(catalog, e))
        .collect();
    if json {
        return print_json(&zige_export::catalog_json(catalog, &entries));
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let name = match lang {
                Lang::Zh => e.name.zh.clone(),
                Lang::En => e.name.en.clone(),
            };
            let issuer = e
                .issuers
                .iter()
                .map(|i| {
                    i.abbr
                        .clone()
                        .unwrap_or_else(|| t(&i.name, lang).to_string())
                })
                .collect::<Vec<_>>()
                .join("; ");
            let region = if e.regions.is_empty() {
                pick(lang, "国际", "international").to_string()
            } else {
                e.regions
                    .iter()
                    .map(|r| t(&r.name, lang))
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let title = e
                .title
                .map(|x| t(&x.name(), lang).to_string())
                .unwrap_or_else(|| "—".into());
            vec![e.code.clone(), name, issuer, region, title]
        })
        .collect();
    let header = match lang {
        Lang::Zh => ["编号", "名称", "颁发机构", "国家（地区）", "对应职称"],
        Lang::En => ["code", "name", "issuer", "region", "title"],
    };
    print!("{}", table::render(&header, &rows, 48));
    println!(
        "{}",
        match lang {
            Lang::Zh => format!("共{}项 · {}", entries.len(), catalog.title.zh),
            Lang::En => format!("{} entries · {}", entries.len(), catalog.title.en),
        }
    );
    Ok(())
}

fn find<'c>(catalog: &'c Catalog, id: &str) -> Result<&'c Entry, Failure> {
    catalog.find(id).ok_or_else(|| {
        let near: Vec<String> = catalog.suggest(id).iter().map(|e| format!("{} ({})", e.code, e.name.en)).collect();
        Failure::Input(format!(
            "unknown entry '{}' for ID: allowed a stable id or a list code U1..U{} / G1..G{}; nearest: {}",
            id,
            catalog.entries_of("urgent").count(),
            catalog.entries_of("general").count(),
            near.join(", ")
        ))
    })
}

fn show(catalog: &Catalog, id: &str, json: bool, lang: Lang) -> Out {
    let e = find(catalog, id)?;
    if json {
        return print_json(e);
    }
    print!("{}", render_entry(catalog, e, lang));
    Ok(())
}

fn render_entry(catalog: &Catalog, e: &Entry, lang: Lang) -> String {
    let mut o = String::new();
    let (first, second) = match lang {
        Lang::Zh => (&e.name.zh, &e.name.en),
        Lang::En => (&e.name.en, &e.name.zh),
    };
    let list_name = catalog
        .list(&e.list)
        .map(|l| t(&l.name, lang).to_string())
        .unwrap_or_default();
    o += &format!("{}  {first}\n    {second}\n\n", e.code);
    let mut line = |label: (&str, &str), value: String| {
        if !value.is_empty() {
            o += &format!(
                "{:<14} {value}\n",
                format!("{}:", pick(lang, label.0, label.1))
            );
        }
    };
    line(
        ("目录", "Catalogue"),
        format!("{} · {} · {}", t(&catalog.title, lang), list_name, e.id),
    );
    line(
        ("别名", "Also known as"),
        e.all_aliases().cloned().collect::<Vec<_>>().join(", "),
    );
    line(
        ("颁发机构", "Issued by"),
        e.issuers
            .iter()
            .map(|i| match &i.abbr {
                Some(a) => format!("{} ({a})", t(&i.name, lang)),
                None => t(&i.name, lang).to_string(),
            })
            .collect::<Vec<_>>()
            .join("; "),
    );
    line(
        ("国家（地区）", "Region"),
        if e.regions.is_empty() {
            pick(lang, "国际组织", "international body").to_string()
        } else {
            e.regions
                .iter()
                .map(|r| t(&r.name, lang))
                .collect::<Vec<_>>()
                .join(", ")
        },
    );
    line(
        ("领域", "Fields"),
        e.fields
            .iter()
            .map(|f| t(&f.name, lang))
            .collect::<Vec<_>>()
            .join(pick(lang, "、", ", ")),
    );
    line(("从业范围", "Scope of work"), t(&e.scope, lang).to_string());
    line(
        ("对应职称", "Title"),
        match e.title {
            Some(x) => match lang {
                Lang::Zh => format!(
                    "{}（需符合相应职称系列的学历、年限等基本条件）",
                    x.name().zh
                ),
                Lang::En => format!(
                    "{} (subject to the education and years conditions of the title series)",
                    x.name().en
                ),
            },
            None => pick(lang, "无", "none").to_string(),
        },
    );
    line(
        ("工作经验", "Experience"),
        match &e.experience {
            Some(x) => t(&x.text, lang)
                .trim_matches(|c| c == '（' || c == '）')
                .to_string(),
            None => pick(lang, "目录未作要求", "not required by the catalogue").to_string(),
        },
    );
    if let Some(l) = &e.levels {
        let codes = l
            .codes
            .iter()
            .map(|c| format!("{} ({})", c.code, t(&c.label, lang)))
            .collect::<Vec<_>>();
        let text = match (&l.minimum, lang) {
            (Some(m), Lang::Zh) => format!("{}；最低认可 {m}", codes.join(" < ")),
            (Some(m), Lang::En) => format!("{}; recognised from {m}", codes.join(" < ")),
            (None, Lang::Zh) => format!("认可：{}", codes.join("、")),
            (None, Lang::En) => format!("recognised: {}", codes.join(", ")),
        };
        let not = l
            .not_recognised
            .iter()
            .map(|c| c.code.clone())
            .collect::<Vec<_>>();
        let text = if not.is_empty() {
            text
        } else {
            format!(
                "{text}{}{}",
                pick(lang, "；不认可：", "; not recognised: "),
                not.join(", ")
            )
        };
        line(("等级", "Levels"), text);
    }
    for x in &e.obligations {
        line(("义务", "Obligation"), t(&x.text, lang).to_string());
    }
    for x in &e.exemptions {
        line(("免考", "Exemption"), t(&x.text, lang).to_string());
    }
    for x in &e.waivers {
        line(("特别规定", "Waiver"), t(&x.text, lang).to_string());
    }
    for x in &e.notes {
        line(("说明", "Note"), t(x, lang).to_string());
    }
    o += &format!(
        "\n{}\n  {}\n",
        pick(lang, "备注原文：", "Remark (official text, translated):"),
        t(&e.remark, lang)
    );
    o
}

fn search(
    catalog: &Catalog,
    query: &str,
    limit: usize,
    filters: &Filters,
    json: bool,
    lang: Lang,
) -> Out {
    if limit == 0 || limit > 200 {
        return Err(Failure::Input(format!(
            "invalid value '{limit}' for --limit: allowed 1..200"
        )));
    }
    let searcher = Searcher::new(catalog, zige_catalog::places());
    let result = searcher.search(query, filters, limit);
    if json {
        return print_json(&result);
    }
    if let Some(m) = &result.message {
        println!("{}", t(m, lang));
    }
    if !result.hits.is_empty() {
        let rows: Vec<Vec<String>> = result
            .hits
            .iter()
            .map(|h| {
                let (a, b) = match lang {
                    Lang::Zh => (&h.name.zh, &h.name.en),
                    Lang::En => (&h.name.en, &h.name.zh),
                };
                vec![h.code.clone(), a.clone(), b.clone()]
            })
            .collect();
        let header = match lang {
            Lang::Zh => ["编号", "名称", "英文名称"],
            Lang::En => ["code", "name", "Chinese name"],
        };
        print!("{}", table::render(&header, &rows, 56));
    }
    for s in &result.suggestions {
        println!("{} {s}", pick(lang, "您是不是要找：", "Did you mean:"));
    }
    Ok(())
}

fn check(catalog: &Catalog, a: CheckArgs, lang: Lang) -> Out {
    use zige_rules::{
        decide, parse_bool, parse_education, parse_nationality, parse_project, Policy, Profile,
    };
    let input = |e: zige_rules::InputError| Failure::Input(e.to_string());
    let profile = match &a.profile {
        Some(src) => {
            let text = if src == "-" {
                let mut s = String::new();
                std::io::stdin().read_to_string(&mut s).map_err(|e| {
                    Failure::Input(format!(
                        "could not read the profile from standard input: {e}"
                    ))
                })?;
                s
            } else {
                std::fs::read_to_string(src).map_err(|e| {
                    Failure::Input(format!("could not read profile file '{src}': {e}"))
                })?
            };
            Profile::from_json(&text).map_err(input)?
        }
        None => {
            let num = |field: &str, v: &Option<String>| -> Result<Option<u8>, Failure> {
                match v {
                    None => Ok(None),
                    Some(s) => s.trim().parse::<u8>().map(Some).map_err(|_| {
                        Failure::Input(format!(
                            "invalid value '{s}' for {field}: allowed a whole number"
                        ))
                    }),
                }
            };
            Profile {
                entry: a.entry.clone().unwrap_or_default(),
                level: a.level.clone(),
                experience_years: num("experience_years", &a.experience_years)?,
                age: num("age", &a.age)?,
                nationality: a
                    .nationality
                    .as_deref()
                    .map(parse_nationality)
                    .transpose()
                    .map_err(input)?,
                education: a
                    .education
                    .as_deref()
                    .map(parse_education)
                    .transpose()
                    .map_err(input)?,
                beijing_employer: a
                    .beijing_employer
                    .as_deref()
                    .map(|v| parse_bool("beijing_employer", v))
                    .transpose()
                    .map_err(input)?,
                high_end_industry: a.high_end_industry,
                project: a
                    .project
                    .as_deref()
                    .map(parse_project)
                    .transpose()
                    .map_err(input)?,
            }
        }
    };
    profile.validate().map_err(input)?;
    let decision = decide(catalog, Policy::builtin(), &profile).map_err(input)?;
    if a.json {
        return print_json(&decision);
    }
    print!("{}", decision.render(lang));
    Ok(())
}

fn load_text(
    path: &std::path::Path,
    jurisdiction: &str,
    version: Option<&str>,
) -> Result<(Catalog, Vec<zige_catalog::Problem>), Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("could not read '{}': {e}", path.display())))?;
    zige_catalog::import_text(&bytes, jurisdiction, version, None).map_err(|diags| {
        let lines: Vec<String> = diags
            .iter()
            .map(|d| {
                format!(
                    "{}:{}:{}: {} [{}] «{}»",
                    path.display(),
                    d.line,
                    d.column,
                    d.message.en,
                    d.code,
                    d.text
                )
            })
            .collect();
        Failure::Input(format!(
            "{} problem(s) in the text:\n{}",
            diags.len(),
            lines.join("\n")
        ))
    })
}

fn import(
    path: &std::path::Path,
    jurisdiction: &str,
    version: Option<&str>,
    json: bool,
    lang: Lang,
) -> Out {
    let (catalog, problems) = load_text(path, jurisdiction, version)?;
    if json {
        let entries: Vec<&Entry> = catalog.entries.iter().collect();
        let mut v = zige_export::catalog_json(&catalog, &entries);
        v["problems"] = json!(problems);
        return print_json(&v);
    }
    match lang {
        Lang::Zh => println!(
            "{}：文本有效，{}个清单，共{}项。",
            catalog.title.zh,
            catalog.lists.len(),
            catalog.entries.len()
        ),
        Lang::En => println!(
            "{}: the text is valid: {} lists, {} entries.",
            catalog.title.en,
            catalog.lists.len(),
            catalog.entries.len()
        ),
    }
    for l in &catalog.lists {
        println!("  {} {}: {}", l.letter, t(&l.name, lang), l.declared);
    }
    if !problems.is_empty() {
        println!(
            "{}",
            pick(
                lang,
                "需要人工补充的对照信息：",
                "Overlay work left for a person:"
            )
        );
        for p in &problems {
            println!("  {}: {}", p.at, p.message);
        }
    }
    Ok(())
}

fn load_any(spec: &str) -> Result<Catalog, Failure> {
    let path = std::path::Path::new(spec);
    if path.exists() {
        return Ok(load_text(path, "beijing", None)?.0);
    }
    if spec.contains('/') && !spec.contains(std::path::MAIN_SEPARATOR)
        || zige_catalog::CatalogId::parse(spec).is_ok()
    {
        return pick_catalog(Some(spec)).cloned();
    }
    Err(Failure::Input(format!(
        "'{spec}' is neither a readable file nor a known catalog such as beijing/3.0"
    )))
}

fn diff(a: &str, b: &str, json: bool, lang: Lang) -> Out {
    let (ca, cb) = (load_any(a)?, load_any(b)?);
    let d = zige_catalog::diff(&ca, &cb);
    if json {
        return print_json(&d);
    }
    print!("{}", render_diff(&d, lang));
    Ok(())
}

pub(crate) fn render_diff(d: &CatalogDiff, lang: Lang) -> String {
    let mut o = match lang {
        Lang::Zh => format!(
            "{} → {}：新增{}项，删除{}项，变更{}项，仅序号变化{}项，未变{}项\n",
            d.from,
            d.to,
            d.added.len(),
            d.removed.len(),
            d.changed.len(),
            d.renumbered,
            d.unchanged
        ),
        Lang::En => format!(
            "{} → {}: {} added, {} removed, {} changed, {} renumbered only, {} unchanged\n",
            d.from,
            d.to,
            d.added.len(),
            d.removed.len(),
            d.changed.len(),
            d.renumbered,
            d.unchanged
        ),
    };
    for e in &d.added {
        o += &format!("+ {} {}\n", e.code, t(&e.name, lang));
    }
    for e in &d.removed {
        o += &format!("- {} {}\n", e.code, t(&e.name, lang));
    }
    for c in &d.changed {
        o += &format!(
            "~ {} → {} {}\n",
            c.from.code,
            c.to.code,
            t(&c.to.name, lang)
        );
        for f in &c.changes {
            o += &format!("    {}: «{}» → «{}»\n", f.field, f.from, f.to);
        }
    }
    o
}

fn export(catalog: &Catalog, format: ExportFormat, output: Option<PathBuf>) -> Out {
    let fmt = match format {
        ExportFormat::Json => zige_export::Format::Json,
        ExportFormat::Csv => zige_export::Format::Csv,
        ExportFormat::Xlsx => zige_export::Format::Xlsx,
        ExportFormat::Jsonld => zige_export::Format::JsonLd,
    };
    let bytes = zige_export::export(catalog, fmt)?;
    match output {
        Some(p) => std::fs::write(&p, &bytes)
            .map_err(|e| Failure::Input(format!("could not write '{}': {e}", p.display())))?,
        None => {
            if fmt == zige_export::Format::Xlsx && std::io::stdout().is_terminal() {
                return Err(Failure::Input(
                    "refusing to write a binary XLSX to the terminal: give -o FILE or redirect"
                        .into(),
                ));
            }
            std::io::stdout().lock().write_all(&bytes)?;
        }
    }
    Ok(())
}

fn serve(a: ServeArgs) -> Out {
    use zige_web::config::Layer;
    let flags = Layer {
        addr: a.addr,
        data_dir: a.data_dir,
        database_url: a.database_url,
        log_format: a.log_format,
        blob_url: a.blob_url,
        public_url: a.public_url,
        max_evidence_files: a.max_evidence_files,
        max_open_drafts: a.max_open_drafts,
        max_storage_mb: a.max_storage_mb,
        blob_grace_secs: a.blob_grace_secs,
        trusted_proxies: (!a.trusted_proxy.is_empty()).then_some(a.trusted_proxy),
    };
    let config = ops::resolve(flags, a.config)?;
    zige_web::init_logging(&config.log_format);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(zige_web::serve(config))
        .map_err(|e| Failure::Other(e.into()))
}
