//! Command-line arguments. With no subcommand `cscx` opens the dashboard; every subcommand is
//! headless and never touches the terminal's screen.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::import::Format;
use crate::import::export::ExportFormat;
use crate::store::write_bulk::OnConflict;

const EXAMPLES: &str = "\
Examples:
  cscx demo                          fresh demo database from sample-data/, then the dashboard
  cscx                               the dashboard on the default database
  cscx --db book.db import exports/  load a folder of CSV/JSON/XLSX files
  cscx --db book.db explain \"Acme\"   why Acme's health score is what it is
  CSCX_DB=/tmp/x.db cscx generate --customers 1000
";

#[derive(Debug, Parser)]
#[command(
    name = "cscx",
    version,
    about = "A terminal console for Customer Success Managers",
    long_about = "A terminal console for Customer Success Managers: customers, health, deals, calls and \
                  agent approvals over a local SQLite database.\n\nWith no command, opens the dashboard.",
    after_help = EXAMPLES
)]
pub struct Cli {
    /// The database file [default: cscx.db in the platform data directory]
    #[arg(long, env = "CSCX_DB", global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Act as this user (email): recorded on every write
    #[arg(long, env = "CSCX_USER", global = true, value_name = "EMAIL")]
    pub user: Option<String>,

    /// Confine every read and write to this workspace
    #[arg(long, env = "CSCX_WORKSPACE", global = true, value_name = "NAME")]
    pub workspace: Option<String>,

    // The dashboard's options. Not global (unlike --db, --user, --workspace): a global
    // option is listed in every command's --help, and these mean nothing to `import` or
    // `schema`. `demo`, which opens the dashboard, has its own copy; given before any
    // command (`cscx --theme light import ...`, as an alias would) they are accepted and
    // only the commands that open or time the dashboard use them.
    #[command(flatten)]
    pub ui: UiOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Dashboard options: for `cscx` with no command and for `demo`, which opens it.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Dashboard options")]
pub struct UiOptions {
    /// Show only customers whose CSM is me (--user)
    #[arg(long)]
    pub mine: bool,

    /// Do not capture the mouse
    #[arg(long)]
    pub no_mouse: bool,

    /// Colour theme [default: from the config file, else dark]
    #[arg(long, value_enum)]
    pub theme: Option<ThemeName>,
}

impl UiOptions {
    /// These options given after a command (`cscx demo --mine`) with those given before it
    /// (`cscx --mine demo`): either sets a switch, and the later theme wins.
    pub fn with(&self, later: &UiOptions) -> UiOptions {
        UiOptions {
            mine: self.mine || later.mine,
            no_mouse: self.no_mouse || later.no_mouse,
            theme: later.theme.or(self.theme),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeName {
    Dark,
    Light,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a fresh database from sample-data/ and open the dashboard
    #[command(after_help = "Examples:\n  cscx demo\n  cscx --db /tmp/demo.db demo --force")]
    Demo(DemoArgs),

    /// Fill the database with deterministic synthetic data, for demos and benchmarks
    #[command(
        after_help = "Examples:\n  cscx --db /tmp/x.db generate --customers 200\n  cscx --db big.db generate --customers 100000 --seed 7\n  cscx --db fixed.db generate --as-of 2026-01-31 --force\n\nThe same --seed and --as-of always give the same data. The database is built in\nPATH.tmp and renamed over PATH when complete."
    )]
    Generate(GenerateArgs),

    /// Import CSV, TSV, JSON, NDJSON or XLSX files (or folders of them)
    #[command(
        after_help = "Examples:\n  cscx import sample-data/\n  cscx import accounts.csv calls.csv --dry-run\n  cscx import kpis.xlsx --customer \"Acme\"\n  cscx import calls.csv --reject-file rejects.csv"
    )]
    Import(ImportArgs),

    /// Export tables to CSV, JSON or NDJSON files
    #[command(
        after_help = "Examples:\n  cscx export --out backup/\n  cscx export --table customers --table calls --format json --out out/"
    )]
    Export(ExportArgs),

    /// Recompute every health score from scratch, or check that stored scores are current
    #[command(
        after_help = "Examples:\n  cscx recompute\n  cscx recompute --check\n  cscx recompute --customer \"Acme\""
    )]
    Recompute(RecomputeArgs),

    /// Explain a customer's health score: components, weights, contributions, movers
    #[command(
        after_help = "Examples:\n  cscx explain Acme\n  cscx explain 0190b0c4-3d1e-7c2a-9f00-5b1d2e3f4a5b"
    )]
    Explain(ExplainArgs),

    /// Evaluate every customer's playbook triggers, or check that nothing should have fired
    #[command(
        after_help = "Examples:\n  cscx playbooks --check\n  cscx playbooks\n  cscx playbooks --check --customer \"Acme\""
    )]
    Playbooks(PlaybooksArgs),

    /// Mine an event log: cases, variants, cycle times, happy path, bottlenecks (docs/mining.md)
    #[command(
        after_help = "Examples:\n  cscx mine --source journey\n  cscx mine --source events\n  cscx mine --source events --analysis 0190b0c4-3d1e-7c2a-9f00-5b1d2e3f4a5b --success \"Receive Payment\""
    )]
    Mine(MineArgs),

    /// Print the seed map: where each column of the five seed documents lives (CSV)
    #[command(
        after_help = "Examples:\n  cscx schema > seed-map.csv\n  cscx schema | grep calls\n  cscx schema --postgres | psql -d cscx   (docs/postgres.md)\n  cscx schema --postgres --copy-from book/ | psql -d cscx"
    )]
    Schema(SchemaArgs),

    /// Measure performance (see docs/benchmarks.md)
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the PostgreSQL schema instead: tables, types, keys, CHECK sets, triggers, search
    /// indexes and the access policy as row-level security (one transaction, for `psql`)
    #[arg(long)]
    pub postgres: bool,

    /// With --postgres: print instead the psql script that loads the CSV files of
    /// `cscx export --format csv --keep-formulas --out DIR` into those tables (`\copy`)
    #[arg(long, value_name = "DIR", requires = "postgres")]
    pub copy_from: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Replace an existing database without asking
    #[arg(long)]
    pub force: bool,

    /// Load the demo database and print a summary, without opening the dashboard
    #[arg(long)]
    pub no_open: bool,

    #[command(flatten)]
    pub ui: UiOptions,
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of customers (every other table scales with it)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..))]
    pub customers: u64,

    /// Random seed: the same seed gives the same data
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Replace the database file if it already holds data
    #[arg(long)]
    pub force: bool,

    /// Place every date relative to this day (YYYY-MM-DD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<chrono::NaiveDate>,

    /// How much to generate per customer
    #[arg(long, value_enum, default_value_t = GenerateDetail::Full)]
    pub detail: GenerateDetail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateDetail {
    /// Every table of the schema, as a real book of business would fill it
    Full,
    /// Only what the customer list and the portfolio need (customers, a primary
    /// stakeholder, contracts, 3 KPIs over 12 months, a few agent sessions with approvals):
    /// about a tenth of the size, for benchmarks at a million customers
    Lean,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files or folders to import
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// File format [default: from the file extension]
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Target table (or seed table) [default: from the file name]
    #[arg(long)]
    pub table: Option<String>,

    /// The customer a KPI workbook belongs to (id or unique name prefix)
    #[arg(long)]
    pub customer: Option<String>,

    /// Ignore columns that no table knows instead of failing
    #[arg(long)]
    pub ignore_unknown: bool,

    /// Validate everything, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// What to do with a row whose key already exists
    #[arg(long, value_enum, default_value_t = OnConflict::Abort)]
    pub on_conflict: OnConflict,

    /// Write bad rows with their reasons to this file and load the rest
    #[arg(long, value_name = "FILE")]
    pub reject_file: Option<PathBuf>,

    /// Replace the reject file if it exists
    #[arg(long)]
    pub force: bool,

    /// Stop listing problems after this many (the rest are counted)
    #[arg(long, default_value_t = 50)]
    pub max_errors: usize,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Tables to export [default: every table]
    #[arg(long = "table", value_name = "TABLE", conflicts_with = "as_seed")]
    pub tables: Vec<String>,

    /// Write a seed table in its own name and columns (`workspan_core.partner_scores`,
    /// `004:users`), for loading back into the seed's system; repeatable
    #[arg(long = "as-seed", value_name = "SEED_TABLE")]
    pub as_seed: Vec<String>,

    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,

    /// Folder to write into (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Replace files that already exist in the folder
    #[arg(long)]
    pub force: bool,

    /// Write CSV cells that start with = + - @ as they are, not marked as text with a '
    /// (they run as formulas when the file is opened in a spreadsheet)
    #[arg(long)]
    pub keep_formulas: bool,
}

#[derive(Debug, Args)]
pub struct RecomputeArgs {
    /// Compare instead of writing; exit 1 if any stored score differs
    #[arg(long)]
    pub check: bool,

    /// Only this customer (id or unique name prefix)
    #[arg(long)]
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct PlaybooksArgs {
    /// Compare instead of writing; exit 1 if a customer should have a playbook it lacks
    #[arg(long)]
    pub check: bool,

    /// Only this customer (id or unique name prefix)
    #[arg(long)]
    pub customer: Option<String>,
}

#[derive(Debug, Args)]
pub struct MineArgs {
    /// Which event log to mine
    #[arg(long, value_enum, default_value_t = crate::store::mine::Source::Journey)]
    pub source: crate::store::mine::Source,

    /// With --source events: the analysis whose events to mine [default: the newest with events]
    #[arg(long, value_name = "ID")]
    pub analysis: Option<String>,

    /// The activity that makes a case successful [default: journey `stage:renewal`; events:
    /// the activity most cases end with]
    #[arg(long, value_name = "ACTIVITY")]
    pub success: Option<String>,

    /// An activity that makes a case unsuccessful [default: journey `stage:churned`]
    #[arg(long, value_name = "ACTIVITY")]
    pub failure: Option<String>,

    /// How many bottlenecks to keep
    #[arg(long, default_value_t = 5)]
    pub bottlenecks: usize,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Customer id or unique name prefix
    pub customer: String,

    /// Print the explanation as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Health recompute: one customer (median, p99) and everyone (customers/s)
    Health(BenchHealthArgs),
    /// Dashboard, driven headless: first frame and key-to-frame latencies, memory
    Ui(BenchUiArgs),
    /// Import of a large calls CSV against sqlite3's .import of the same file
    Import(BenchImportArgs),
    /// Search everything, driven headless: key-to-results latency typing words of the book
    Search(BenchSearchArgs),
    /// What playbook trigger evaluation adds to one edit (median, p99)
    Playbooks(BenchPlaybooksArgs),
    /// cscx mine over a synthetic log of N events: events/s, seconds, peak memory
    Mine(BenchMineArgs),
    /// The table browser: first page and page down by keyset, per indexed sort (median, p99)
    Browse(BenchBrowseArgs),
    /// Several writers on one book at once (SQLite or PostgreSQL): writes/s, lost updates
    Writers(BenchWritersArgs),
}

#[derive(Debug, Args)]
pub struct BenchWritersArgs {
    /// Writers at once, each on a connection of its own
    #[arg(long, default_value_t = 8)]
    pub writers: usize,
    /// How long they write
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
}

#[derive(Debug, Args)]
pub struct BenchBrowseArgs {
    /// Pages to read down each sort (and pagedown keys in the dashboard)
    #[arg(long, default_value_t = 200)]
    pub pages: usize,
    /// Tables to page through (the first is also paged in the dashboard)
    #[arg(long, value_delimiter = ',', default_values_t = ["activity_log".to_owned(), "events".to_owned(), "customers".to_owned(), "calls".to_owned()])]
    pub tables: Vec<String>,
}

#[derive(Debug, Args)]
pub struct BenchMineArgs {
    /// Events in the synthetic log (written into --db if it has no events yet)
    #[arg(long, default_value_t = 10_000_000)]
    pub events: u64,
}

#[derive(Debug, Args)]
pub struct BenchSearchArgs {
    /// Words and fragments to type, each a key at a time
    #[arg(long, default_value_t = 100)]
    pub words: usize,
}

#[derive(Debug, Args)]
pub struct BenchPlaybooksArgs {
    /// Edits to time
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
}

#[derive(Debug, Args)]
pub struct BenchHealthArgs {
    /// Single-customer recomputes to time
    #[arg(long, default_value_t = 1000)]
    pub samples: usize,
}

#[derive(Debug, Args)]
pub struct BenchUiArgs {
    /// Key presses to time per action
    #[arg(long, default_value_t = 200)]
    pub samples: usize,

    /// Show only customers whose CSM is me (--user), as `cscx --mine` does
    // no --theme or --no-mouse: the headless dashboard has neither colours nor a mouse to time
    #[arg(long)]
    pub mine: bool,
}

#[derive(Debug, Args)]
pub struct BenchImportArgs {
    /// Rows in the generated calls file
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: u64,
    /// Against psql's \copy on this PostgreSQL server instead (a database URL or key=value
    /// string whose role may create databases: two scratch ones are made and dropped)
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
}
