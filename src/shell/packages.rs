//! Package-manager commands read once for every rule: which manager, what the command does, the
//! packages it names (name, version, word range) and the options it gives (with their values);
//! and, as data ([`CACHES`]), what each manager caches, where, and what removes or reads it.
//!
//! [`action`] reads one [`Command`]; [`Script::actions`](super::Script::actions) keeps the
//! actions of a RUN, so the rules and the converter share one reading. The reading is
//! conservative:
//! - a word that depends on a variable is never guessed at: a package named by one has no name
//!   ([`Source::Unknown`]); a literal name with a variable version (`curl=${CURL_VERSION}`)
//!   keeps its name, and the version as written;
//! - an option takes a value only where the manager's table says so (`--virtual .build`,
//!   `-t bookworm-backports`, `-o Dpkg::Options::=--force-confold`, `--repository URL`);
//!   short options given together (`-qy`) are read one by one;
//! - a version is split off only where the manager's syntax is unambiguous (`curl=7.1`,
//!   `flask==2.0`, `express@4`, `rails:7.0`, `vendor/pkg:^1.2`, `vim>=9`); dnf and yum's
//!   `pkg-1.2` stays whole, since `-` also joins the words of a name (`python3-devel`).

use super::{basename, Command, ShellWord};
use crate::model::Scope;
use crate::source::TextRange;

/// A package manager (a family of programs that read the same command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Manager {
    /// `apt-get`, `apt`, `aptitude`.
    Apt,
    Apk,
    /// `pip`, `pip3`, `pip2`, `python -m pip`.
    Pip,
    Npm,
    Yarn,
    Pnpm,
    /// `dnf`, `yum`, `microdnf`, `dnf5`, `tdnf`.
    Dnf,
    Zypper,
    Gem,
    /// `bundle`, `bundler`.
    Bundler,
    /// `composer`, `composer.phar`.
    Composer,
    /// `go install`, `go get`: Go's module commands, which fetch and build packages.
    Go,
}

/// What a package-manager command does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Installs packages (`apt-get install`, `apk add`, `npm ci`, `composer require`, bare `yarn`).
    Install,
    /// Refreshes the package index only (`apt-get update`, `apk update`, `dnf makecache`).
    UpdateIndex,
    /// Upgrades installed packages (`apt-get upgrade`, `dnf update`, `npm update`).
    Upgrade,
    /// Removes packages (`apt-get remove`, `apk del`, `pip uninstall`).
    Remove,
    /// Removes packages with their configuration (`apt-get purge`).
    Purge,
    /// Removes the manager's caches (`apt-get clean`, `dnf clean all`, `pip cache purge`).
    Clean,
    /// Anything else (`apt-cache`-like queries, `pip download`, `npm run`, an unknown or
    /// variable subcommand).
    Other,
}

/// Where a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// The manager's repositories, by name.
    Registry,
    /// A local file or directory (`./x.deb`, `/tmp/app.whl`, `.`).
    Path,
    /// A URL or a VCS reference (`https://...`, `git+https://...`, `github:user/repo`).
    Url,
    /// The word depends on a variable (`$PKGS`): nothing is known.
    Unknown,
}

/// A package a command names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The word as written.
    pub word: ShellWord,
    /// The package name (`curl`, `@types/node`, `vendor/pkg`); for a path or URL the whole word;
    /// `None` when the word depends on a variable.
    pub name: Option<String>,
    /// The version constraint as written after the name: an exact pin without its operator
    /// (`curl=7.1` -> `7.1`, `flask==2.0` -> `2.0`, `express@4` -> `4`), other constraints
    /// with theirs (`flask>=2`, `vim<9` -> `>=2`, `<9`). A gem's `-v 7.0` counts when the
    /// command names one gem; composer's `vendor/pkg ^1.2` takes the next word.
    pub version: Option<String>,
    pub source: Source,
}

impl Package {
    /// The range of the word that names it.
    pub fn range(&self) -> &TextRange {
        &self.word.range
    }

    /// Whether the package is named literally (not by a variable).
    pub fn is_known(&self) -> bool {
        self.source != Source::Unknown
    }
}

/// An option on a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opt {
    /// As the program reads it: `--virtual`, `-t`, `-y` (each option of a cluster `-qy` apart).
    pub name: String,
    /// Its value (`--virtual .build`, `--virtual=.build`, `-t.build`, `-q=2`); `None` when it
    /// takes none or the value depends on a variable.
    pub value: Option<String>,
    /// The option or its value depends on a variable (`--cache-dir "$DIR"`, `--opt=$X`).
    pub variable: bool,
    /// The words it spans, the value's included.
    pub range: TextRange,
}

/// What a package-manager command does, read from its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub manager: Manager,
    /// The program as named (`apt-get`, `yum`, `pip3`; `pip` for `python -m pip`).
    pub program: String,
    pub kind: Kind,
    /// The first word that is not an option (`install`); `None` for a bare `yarn`.
    pub subcommand: Option<ShellWord>,
    /// The words after the subcommand that are not options or option values (`cache purge`'s
    /// `purge`, the package words).
    pub operands: Vec<ShellWord>,
    /// The packages an install, upgrade, remove or purge names (nothing for other kinds).
    pub packages: Vec<Package>,
    /// The options, in order, wherever they are given.
    pub options: Vec<Opt>,
    /// Variables set for the command: `NAME=v cmd` and `env NAME=v cmd`.
    pub env: Vec<(String, Option<String>)>,
}

impl Action {
    /// The subcommand's text, when it is literal.
    pub fn sub(&self) -> Option<&str> {
        self.subcommand.as_ref()?.value.as_deref()
    }

    /// Whether the option `name` is given (`--no-install-recommends`, `-y`, `--virtual`), alone,
    /// with `=value` or in a cluster of short options.
    pub fn has_option(&self, name: &str) -> bool {
        self.option(name).is_some()
    }

    /// Whether any of the options is given.
    pub fn has_any_option(&self, names: &[&str]) -> bool {
        self.options
            .iter()
            .any(|o| names.contains(&o.name.as_str()))
    }

    /// The first occurrence of the option `name`.
    pub fn option(&self, name: &str) -> Option<&Opt> {
        self.options.iter().find(|o| o.name == name)
    }

    /// The literal value of the first option `name` that has one (`--virtual .build`).
    pub fn option_value(&self, name: &str) -> Option<&str> {
        self.options
            .iter()
            .filter(|o| o.name == name)
            .find_map(|o| o.value.as_deref())
    }

    /// Whether the command answers yes to the manager's prompts: `-y`, `--yes`, `--assume-yes`
    /// or apt's quiet level 2 (`-qq`, `-q=2`) and `-o APT::Get::Assume-Yes=true`; dnf and yum's
    /// `--assumeyes`; zypper's `-n`, `--non-interactive`, `--no-confirm`; composer's `-n`,
    /// `--no-interaction`; yarn's `--non-interactive`. Managers that have no such option
    /// (apk, pnpm, gem, bundler) never answer yes.
    pub fn assume_yes(&self) -> bool {
        if self.has_any_option(syntax(self.manager).yes) {
            return true;
        }
        if self.manager != Manager::Apt {
            return false;
        }
        let mut quiet = 0;
        for o in &self.options {
            match (o.name.as_str(), o.value.as_deref()) {
                ("-q" | "--quiet", None) if !o.variable => quiet += 1,
                ("-q" | "--quiet", Some(v)) => quiet += v.parse::<u32>().unwrap_or(0),
                ("-o" | "--option", Some(v)) => {
                    let (key, value) = v.split_once('=').unwrap_or((v, ""));
                    if key.eq_ignore_ascii_case("APT::Get::Assume-Yes")
                        && matches!(value.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        quiet >= 2
    }

    /// A variable set for the command: `Some(None)` when its value depends on expansions.
    pub fn env(&self, name: &str) -> Option<Option<&str>> {
        self.env
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref())
    }
}

/// How a manager writes versions after package names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Versions {
    /// `curl=7.1`, also `curl:amd64=7.1` (the architecture stays in the name).
    Apt,
    /// `curl=7.1-r0`, `curl>7`, `curl~7.1`.
    Apk,
    /// PEP 508: `flask==2.0`, `flask[async]>=2`, `name @ https://...`.
    Pip,
    /// `express@4`, `@types/node@20`, `github:user/repo`.
    Npm,
    /// `rails:7.0`, or `-v 7.0`.
    Gem,
    /// `vendor/pkg:^1.2`, `vendor/pkg=1.2`, `"vendor/pkg 1.2"`, `vendor/pkg 1.2`.
    Composer,
    /// `vim=9.0`, `vim>=9`.
    Zypper,
    /// `example.com/cmd/x@v1.2.3`: the module query after the last `@`.
    Go,
    /// Never split: dnf and yum's `pkg-1.2` is ambiguous.
    Whole,
}

/// How one manager's command line reads.
struct Syntax {
    manager: Manager,
    programs: &'static [&'static str],
    /// Options that take a value, wherever they are given.
    values: &'static [&'static str],
    /// Options that take a value only before the subcommand (zypper's global `-C DIR`) and only
    /// after it (zypper install's `-t TYPE`, where a global `-t` would be a flag).
    values_before: &'static [&'static str],
    values_after: &'static [&'static str],
    /// What each subcommand does.
    kinds: &'static [(&'static str, Kind)],
    /// Subcommands whose first operand says what they do (`apk cache clean`, `dnf group
    /// install`, `yarn global add`).
    nested: &'static [(&'static str, &'static [(&'static str, Kind)])],
    /// What the program does without a subcommand (bare `yarn` installs), unless it is asked
    /// for its version or help.
    bare: Kind,
    /// Options that answer yes to prompts.
    yes: &'static [&'static str],
    versions: Versions,
    /// File names that are packages on disk (`.deb`).
    files: &'static [&'static str],
}

use Kind::{Clean, Install, Other, Purge, Remove, UpdateIndex, Upgrade};

const DNF_GROUP: &[(&str, Kind)] = &[
    ("install", Install),
    ("remove", Remove),
    ("erase", Remove),
    ("update", Upgrade),
    ("upgrade", Upgrade),
];

#[rustfmt::skip]
const SYNTAX: &[Syntax] = &[
    Syntax {
        manager: Manager::Apt,
        programs: &["apt-get", "apt", "aptitude"],
        values: &[
            "-o", "--option", "-c", "--config-file", "-t", "--target-release",
            "--default-release", "-a", "--host-architecture", "-P", "--build-profiles",
            // aptitude
            "-F", "--display-format", "-w", "--width", "-O", "--sort", "-S",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("reinstall", Install), ("remove", Remove),
            ("autoremove", Remove), ("purge", Purge), ("autopurge", Purge),
            ("update", UpdateIndex), ("upgrade", Upgrade), ("dist-upgrade", Upgrade),
            ("full-upgrade", Upgrade), ("safe-upgrade", Upgrade), ("clean", Clean),
            ("autoclean", Clean), ("dist-clean", Clean), ("distclean", Clean),
        ],
        nested: &[],
        bare: Other,
        yes: &["-y", "--yes", "--assume-yes"],
        versions: Versions::Apt,
        files: &[".deb"],
    },
    Syntax {
        manager: Manager::Apk,
        programs: &["apk"],
        values: &[
            "-X", "--repository", "-t", "--virtual", "-p", "--root", "--repositories-file",
            "--keys-dir", "--cache-dir", "--arch", "--cache-max-age", "--wait", "--timeout",
            "--progress-fd",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("add", Install), ("del", Remove), ("update", UpdateIndex), ("upgrade", Upgrade),
        ],
        nested: &[("cache", &[("clean", Clean), ("purge", Clean)])],
        bare: Other,
        yes: &[],
        versions: Versions::Apk,
        files: &[".apk"],
    },
    Syntax {
        manager: Manager::Pip,
        programs: &["pip", "pip3", "pip2"],
        values: &[
            "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i",
            "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
            "--prefix", "--root", "--src", "--upgrade-strategy", "--platform",
            "--python-version", "--implementation", "--abi", "--no-binary", "--only-binary",
            "-C", "--config-settings", "--global-option", "--install-option", "--build-option",
            "--progress-bar", "--root-user-action", "--report", "-d", "--dest", "-w",
            "--wheel-dir", "--cache-dir", "--log", "--proxy", "--retries", "--timeout",
            "--exists-action", "--trusted-host", "--cert", "--client-cert", "--python",
            "--use-feature", "--use-deprecated", "--keyring-provider", "--format",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[("install", Install), ("uninstall", Remove)],
        nested: &[("cache", &[("purge", Clean), ("remove", Clean)])],
        bare: Other,
        yes: &["-y", "--yes"],
        versions: Versions::Pip,
        files: &[".whl", ".tar.gz", ".tgz", ".zip", ".tar.bz2"],
    },
    Syntax {
        manager: Manager::Npm,
        programs: &["npm"],
        values: &[
            "--prefix", "-C", "--cache", "--registry", "--tag", "--omit", "--include",
            "--workspace", "-w", "--loglevel", "--userconfig", "--globalconfig", "--save-prefix",
            "--install-strategy", "--before", "--proxy", "--https-proxy", "--scope", "--otp",
            "--location", "--fetch-retries", "--fetch-timeout", "--only", "--also",
            "--script-shell",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("i", Install), ("in", Install), ("ins", Install),
            ("inst", Install), ("insta", Install), ("instal", Install), ("isnt", Install),
            ("isnta", Install), ("isntal", Install), ("isntall", Install), ("add", Install),
            ("ci", Install), ("clean-install", Install), ("ic", Install),
            ("install-clean", Install), ("isntall-clean", Install), ("install-test", Install),
            ("it", Install), ("uninstall", Remove), ("unlink", Remove), ("remove", Remove),
            ("rm", Remove), ("r", Remove), ("un", Remove), ("update", Upgrade),
            ("up", Upgrade), ("upgrade", Upgrade), ("udpate", Upgrade),
        ],
        nested: &[("cache", &[("clean", Clean)])],
        bare: Other,
        yes: &["-y", "--yes"],
        versions: Versions::Npm,
        files: &[".tgz", ".tar.gz", ".tar"],
    },
    Syntax {
        manager: Manager::Yarn,
        programs: &["yarn"],
        values: &[
            "--cache-folder", "--modules-folder", "--network-timeout", "--mutex",
            "--global-folder", "--cwd", "--registry", "--link-folder", "--network-concurrency",
            "--use-yarnrc",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("add", Install), ("remove", Remove), ("upgrade", Upgrade),
            ("up", Upgrade),
        ],
        nested: &[
            ("cache", &[("clean", Clean)]),
            ("global", &[("add", Install), ("remove", Remove), ("upgrade", Upgrade)]),
        ],
        bare: Install,
        yes: &["--non-interactive"],
        versions: Versions::Npm,
        files: &[".tgz", ".tar.gz", ".tar"],
    },
    Syntax {
        manager: Manager::Pnpm,
        programs: &["pnpm"],
        values: &[
            "--store-dir", "--dir", "-C", "--filter", "-F", "--reporter", "--virtual-store-dir",
            "--modules-dir", "--registry", "--loglevel", "--network-concurrency",
            "--child-concurrency",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("i", Install), ("add", Install), ("remove", Remove),
            ("rm", Remove), ("uninstall", Remove), ("un", Remove), ("update", Upgrade),
            ("up", Upgrade), ("upgrade", Upgrade),
        ],
        nested: &[("store", &[("prune", Clean)])],
        bare: Other,
        yes: &[],
        versions: Versions::Npm,
        files: &[".tgz", ".tar.gz", ".tar"],
    },
    Syntax {
        manager: Manager::Dnf,
        programs: &["dnf", "yum", "microdnf", "dnf5", "tdnf"],
        values: &[
            "-c", "--config", "--installroot", "--releasever", "--repo", "--repoid",
            "--enablerepo", "--disablerepo", "-x", "--exclude", "--setopt", "-d",
            "--debuglevel", "-e", "--errorlevel", "--forcearch", "--downloaddir", "--destdir",
            "--rpmverbosity", "--color", "--comment", "--advisory", "--bz", "--cve",
            "--sec-severity", "--repofrompath", "--disableplugin", "--enableplugin",
            "--disableexcludes", "--module-platform-id", "-R",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("in", Install), ("localinstall", Install),
            ("groupinstall", Install), ("reinstall", Install), ("remove", Remove),
            ("erase", Remove), ("rm", Remove), ("autoremove", Remove), ("groupremove", Remove),
            ("update", Upgrade), ("upgrade", Upgrade), ("up", Upgrade), ("distro-sync", Upgrade),
            ("dsync", Upgrade), ("update-minimal", Upgrade), ("upgrade-minimal", Upgrade),
            ("groupupdate", Upgrade), ("makecache", UpdateIndex), ("mc", UpdateIndex),
            ("clean", Clean),
        ],
        nested: &[("group", DNF_GROUP), ("groups", DNF_GROUP), ("module", DNF_GROUP)],
        bare: Other,
        yes: &["-y", "--assumeyes"],
        versions: Versions::Whole,
        files: &[".rpm"],
    },
    Syntax {
        manager: Manager::Zypper,
        programs: &["zypper"],
        values: &[],
        values_before: &[
            "-R", "--root", "-D", "--reposd-dir", "-C", "--cache-dir", "-c", "--config",
            "--raw-cache-dir", "--solv-cache-dir", "--pkg-cache-dir", "--userdata",
            "--installroot",
        ],
        values_after: &["-t", "--type", "-r", "--repo", "--from", "--download"],
        kinds: &[
            ("install", Install), ("in", Install), ("remove", Remove), ("rm", Remove),
            ("refresh", UpdateIndex), ("ref", UpdateIndex), ("update", Upgrade),
            ("up", Upgrade), ("dist-upgrade", Upgrade), ("dup", Upgrade), ("patch", Upgrade),
            ("clean", Clean), ("cc", Clean),
        ],
        nested: &[],
        bare: Other,
        yes: &["-n", "--non-interactive", "-y", "--no-confirm"],
        versions: Versions::Zypper,
        files: &[".rpm"],
    },
    Syntax {
        manager: Manager::Gem,
        programs: &["gem"],
        values: &[
            "-v", "--version", "-i", "--install-dir", "-n", "--bindir", "-s", "--source",
            "-p", "--http-proxy", "--platform", "-P", "--trust-policy", "--build-root",
            "--without", "--target-rbconfig",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[("install", Install), ("uninstall", Remove), ("update", Upgrade)],
        nested: &[],
        bare: Other,
        yes: &[],
        versions: Versions::Gem,
        files: &[".gem"],
    },
    Syntax {
        manager: Manager::Bundler,
        programs: &["bundle", "bundler"],
        values: &[
            "-j", "--jobs", "--retry", "--path", "--without", "--with", "--gemfile", "-v",
            "--version", "--group", "-g", "--source", "-s", "--git", "--branch", "--ref",
            "--github", "--glob", "--require",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("add", Install), ("update", Upgrade), ("remove", Remove),
        ],
        nested: &[],
        bare: Install,
        yes: &[],
        versions: Versions::Gem,
        files: &[".gem"],
    },
    Syntax {
        manager: Manager::Composer,
        programs: &["composer", "composer.phar"],
        values: &[
            "-d", "--working-dir", "--prefer-install", "--ignore-platform-req",
            "--apcu-autoloader-prefix", "-s", "--stability", "--repository",
            "--repository-url", "--add-repository", "--audit-format",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[
            ("install", Install), ("i", Install), ("require", Install), ("r", Install),
            ("create-project", Install), ("update", Upgrade), ("u", Upgrade),
            ("upgrade", Upgrade), ("remove", Remove), ("rm", Remove), ("uninstall", Remove),
            ("clear-cache", Clean), ("clearcache", Clean), ("cc", Clean),
        ],
        nested: &[],
        bare: Other,
        yes: &["-n", "--no-interaction"],
        versions: Versions::Composer,
        files: &[],
    },
    // Go's flags are single-dash words (`-ldflags`): `action` reads them as `--ldflags`.
    Syntax {
        manager: Manager::Go,
        programs: &["go"],
        values: &[
            "--o", "--p", "--C", "--ldflags", "--gcflags", "--asmflags", "--tags", "--mod",
            "--modfile", "--buildmode", "--pkgdir", "--toolexec", "--compiler", "--gccgoflags",
            "--installsuffix", "--overlay", "--pgo", "--exec", "--covermode", "--coverpkg",
            "--buildvcs", "--modcacherw", "--workfile",
        ],
        values_before: &[],
        values_after: &[],
        kinds: &[("install", Install), ("get", Install), ("clean", Clean)],
        nested: &[],
        bare: Other,
        yes: &[],
        versions: Versions::Go,
        files: &[],
    },
];

fn syntax(m: Manager) -> &'static Syntax {
    SYNTAX
        .iter()
        .find(|s| s.manager == m)
        .expect("every manager has a syntax")
}

impl Manager {
    /// The manager a program belongs to (`/usr/bin/apt-get` -> apt).
    pub fn of(program: &str) -> Option<Manager> {
        let p = basename(program);
        SYNTAX
            .iter()
            .find(|s| s.programs.contains(&p))
            .map(|s| s.manager)
    }

    /// The programs of the manager (`apt-get`, `apt`, `aptitude`).
    pub fn programs(self) -> &'static [&'static str] {
        syntax(self).programs
    }
}

/// The package-manager action of a command, or `None` when it runs no package manager.
/// Wrappers (`sudo`, `env X=1`) are seen through, and `python -m pip` is pip.
pub fn action(cmd: &Command) -> Option<Action> {
    let argv = cmd.argv();
    let name = cmd.name()?;
    let value = |i: usize| argv.get(i).and_then(|w| w.value.as_deref());
    let (program, start) =
        if name.starts_with("python") && value(1) == Some("-m") && value(2) == Some("pip") {
            ("pip", 3)
        } else {
            (name, 1)
        };
    let syntax = SYNTAX.iter().find(|s| s.programs.contains(&program))?;
    let args = &argv[start.min(argv.len())..];
    let go_args;
    let args = if syntax.manager == Manager::Go {
        go_args = go_long_flags(args);
        &go_args[..]
    } else {
        args
    };
    let (options, mut operands) = read_args(args, |name, before| {
        syntax.values.contains(&name)
            || if before {
                syntax.values_before.contains(&name)
            } else {
                syntax.values_after.contains(&name)
            }
    });
    let subcommand = (!operands.is_empty()).then(|| operands.remove(0));
    let asks_about_itself = options
        .iter()
        .any(|o| matches!(o.name.as_str(), "--version" | "-v" | "--help" | "-h"));
    // Operands before the packages: the verb of a nested subcommand (`cache` `purge`).
    let mut skip = 0;
    let kind = match subcommand.as_ref().map(|w| w.value.as_deref()) {
        None if asks_about_itself => Other,
        None => syntax.bare,
        Some(None) => Other,
        Some(Some(sub)) => match syntax.nested.iter().find(|(n, _)| *n == sub) {
            Some((_, verbs)) => {
                skip = 1;
                let verb = operands.first().and_then(|w| w.value.as_deref());
                lookup(verbs, verb).unwrap_or(Other)
            }
            None => lookup(syntax.kinds, Some(sub)).unwrap_or(Other),
        },
    };
    let mut packages = Vec::new();
    if matches!(kind, Install | Upgrade | Remove | Purge) {
        // `composer create-project vendor/pkg [directory] [version]`.
        let create_project = syntax.manager == Manager::Composer
            && subcommand.as_ref().and_then(|w| w.value.as_deref()) == Some("create-project");
        let words = &operands[skip.min(operands.len())..];
        let words = if create_project {
            &words[..words.len().min(1)]
        } else {
            words
        };
        for w in words {
            let p = package(w, syntax);
            // composer pairs a name with the next word when that is a version.
            if syntax.versions == Versions::Composer {
                if let Some(last) = packages.last_mut() {
                    if takes_composer_version(last, &p) {
                        last.version = p.word.value.clone();
                        continue;
                    }
                }
            }
            packages.push(p);
        }
        if create_project {
            if let (Some(p), Some(v)) = (packages.first_mut(), operands.get(2)) {
                if p.version.is_none() {
                    p.version = v.value.clone();
                }
            }
        }
        // `gem install rails -v 7.0`: the version of the one gem named.
        if syntax.versions == Versions::Gem && packages.len() == 1 {
            let v = options
                .iter()
                .filter(|o| o.name == "-v" || o.name == "--version")
                .find_map(|o| o.value.clone());
            if packages[0].version.is_none() && packages[0].source == Source::Registry {
                packages[0].version = v;
            }
        }
    }
    Some(Action {
        manager: syntax.manager,
        program: program.to_string(),
        kind,
        subcommand,
        operands,
        packages,
        options,
        env: env_of(cmd),
    })
}

/// Go's flag package reads `-name` as `--name`: the words, with single-dash flags spelt with
/// two, so that [`read_args`] does not take `-ldflags` for a cluster of letters.
fn go_long_flags(args: &[ShellWord]) -> Vec<ShellWord> {
    args.iter()
        .map(|w| {
            let mut w = w.clone();
            let long = |t: &str| {
                (t.starts_with('-') && !t.starts_with("--") && t.len() > 1).then(|| format!("-{t}"))
            };
            if let Some(v) = w.value.as_deref().and_then(long) {
                w.value = Some(v);
            } else if w.value.is_none() {
                if let Some(r) = long(&w.raw) {
                    w.raw = r;
                }
            }
            w
        })
        .collect()
}

fn lookup(table: &[(&str, Kind)], word: Option<&str>) -> Option<Kind> {
    let word = word?;
    table.iter().find(|(w, _)| *w == word).map(|(_, k)| *k)
}

/// `vendor/pkg 1.2`: composer reads a word after a name as its version when the word is no
/// package name itself (no `/`, not a platform package such as `php` or `ext-intl`).
fn takes_composer_version(last: &Package, next: &Package) -> bool {
    let Some(v) = next.word.value.as_deref() else {
        return false;
    };
    let platform = v == "php"
        || v == "hhvm"
        || v.starts_with("php-")
        || v.starts_with("ext-")
        || v.starts_with("lib-")
        || v.starts_with("composer");
    // `vendor/*`-like patterns, not versions such as `1.0.*`.
    let name_char = |c: char| c.is_ascii_alphanumeric() || "_/-".contains(c);
    let chars: Vec<char> = v.chars().collect();
    let wildcard = chars.iter().enumerate().any(|(i, c)| {
        *c == '*'
            && (i > 0 && name_char(chars[i - 1]) || chars.get(i + 1).is_some_and(|n| name_char(*n)))
    });
    last.version.is_none()
        && last.source == Source::Registry
        && !v.contains('/')
        && !wildcard
        && !platform
}

/// Variables set for the command: its own assignments and those of an `env` wrapper.
fn env_of(cmd: &Command) -> Vec<(String, Option<String>)> {
    let mut env = cmd.assignments.clone();
    let wrappers = &cmd.words[..cmd.words.len() - cmd.argv().len()];
    let mut in_env = false;
    for w in wrappers {
        let text = w.value.as_deref().unwrap_or(&w.raw);
        if super::WRAPPERS.contains(&basename(text)) {
            in_env = basename(text) == "env";
            continue;
        }
        let Some((name, value)) = text.split_once('=') else {
            continue;
        };
        let literal =
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if in_env && literal && !text.starts_with('-') {
            env.push((
                name.to_string(),
                w.value.as_ref().map(|_| value.to_string()),
            ));
        }
    }
    env
}

/// Options and operands of `args` (the words after the program), read the way getopt does:
/// `--name=value`, `--name value` and `-n value` for options that `takes_value` (given the
/// name and whether no operand came before), `-abc` as `-a -b -c` (a value-taking letter takes
/// the rest of the word or the next word), `-q=2`, and nothing after `--` is an option.
pub(super) fn read_args(
    args: &[ShellWord],
    takes_value: impl Fn(&str, bool) -> bool,
) -> (Vec<Opt>, Vec<ShellWord>) {
    let mut options = Vec::new();
    let mut operands: Vec<ShellWord> = Vec::new();
    let mut ended = false;
    let mut i = 0;
    while i < args.len() {
        let w = &args[i];
        i += 1;
        let text = w.value.as_deref().unwrap_or(&w.raw);
        if ended || !text.starts_with('-') || text == "-" {
            operands.push(w.clone());
            continue;
        }
        if w.value.as_deref() == Some("--") {
            ended = true;
            continue;
        }
        let before = operands.is_empty();
        let flag = |name: &str| Opt {
            name: name.to_string(),
            value: None,
            variable: false,
            range: w.range.clone(),
        };
        let Some(t) = w.value.as_deref() else {
            // `--opt=$X`, `-t"$NAME"`: the name when it is literal, the value unknown.
            let name: String = if text.starts_with("--") {
                text.split('=').next().unwrap_or(text).to_string()
            } else {
                text.chars().take(2).collect()
            };
            let literal = !name.contains(['$', '`', '"', '\'', '\\']);
            options.push(Opt {
                variable: true,
                ..flag(if literal { &name } else { &w.raw })
            });
            continue;
        };
        if t.starts_with("--") {
            match t.split_once('=') {
                Some((name, v)) => options.push(Opt {
                    value: Some(v.to_string()),
                    ..flag(name)
                }),
                None if takes_value(t, before) => {
                    options.push(value_word(flag(t), args.get(i)));
                    i += 1;
                }
                None => options.push(flag(t)),
            }
            continue;
        }
        let body = &t[1..];
        if let Some((n, v)) = body.split_once('=') {
            if n.chars().count() == 1 {
                options.push(Opt {
                    value: Some(v.to_string()),
                    ..flag(&format!("-{n}"))
                });
                continue;
            }
        }
        for (k, c) in body.char_indices() {
            let name = format!("-{c}");
            if takes_value(&name, before) {
                let rest = &body[k + c.len_utf8()..];
                if rest.is_empty() {
                    options.push(value_word(flag(&name), args.get(i)));
                    i += 1;
                } else {
                    options.push(Opt {
                        value: Some(rest.to_string()),
                        ..flag(&name)
                    });
                }
                break;
            }
            options.push(flag(&name));
        }
    }
    (options, operands)
}

/// An option whose value is the next word (none when it is the last word).
fn value_word(mut opt: Opt, next: Option<&ShellWord>) -> Opt {
    if let Some(v) = next {
        opt.value = v.value.clone();
        opt.variable = v.value.is_none();
        opt.range = opt.range.start..v.range.end.max(opt.range.end);
    }
    opt
}

/// A package word, read with the manager's version syntax.
fn package(w: &ShellWord, syntax: &Syntax) -> Package {
    let unknown = || Package {
        word: w.clone(),
        name: None,
        version: None,
        source: Source::Unknown,
    };
    let Some(text) = w.value.as_deref() else {
        // `curl=${CURL_VERSION}`: a literal name with a variable version keeps its name.
        let raw = unquote(&w.raw);
        let (name, version) = split_version(raw, syntax.versions);
        let literal = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.+:@/".contains(c));
        return match version {
            Some(v) if literal => Package {
                word: w.clone(),
                name: Some(name.to_string()),
                version: Some(v),
                source: Source::Registry,
            },
            _ => unknown(),
        };
    };
    let source = source_of(text, syntax);
    if source != Source::Registry {
        // `name @ https://...` (pip) names the package it fetches.
        let name = match syntax.versions {
            Versions::Pip => text
                .split_once(" @ ")
                .or_else(|| text.split_once('@').filter(|(n, _)| !n.contains('/')))
                .filter(|(_, url)| url.contains("://"))
                .map(|(n, _)| n.trim().to_string()),
            _ => None,
        };
        return Package {
            word: w.clone(),
            name: Some(name.unwrap_or_else(|| text.to_string())),
            version: None,
            source,
        };
    }
    let (name, version) = split_version(text, syntax.versions);
    Package {
        word: w.clone(),
        name: Some(name.to_string()),
        version,
        source,
    }
}

/// `"curl=$V"` -> `curl=$V`.
fn unquote(raw: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = raw.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if !inner.contains(q) {
                return inner;
            }
        }
    }
    raw
}

/// The name and the version constraint of a registry package.
fn split_version(text: &str, versions: Versions) -> (&str, Option<String>) {
    let nonempty = |v: &str| (!v.is_empty()).then(|| v.to_string());
    match versions {
        Versions::Whole => (text, None),
        Versions::Apt => match text.split_once('=') {
            Some((n, v)) => (n, nonempty(v)),
            None => (text, None),
        },
        Versions::Gem => match text.split_once(':') {
            Some((n, v)) => (n, nonempty(v)),
            None => (text, None),
        },
        Versions::Composer => match text.find([':', '=', ' ']) {
            Some(i) => (&text[..i], nonempty(text[i + 1..].trim())),
            None => (text, None),
        },
        Versions::Apk | Versions::Zypper => {
            let ops: &[char] = if versions == Versions::Apk {
                &['=', '<', '>', '~']
            } else {
                &['=', '<', '>']
            };
            let Some(i) = text.find(ops) else {
                return (text, None);
            };
            let name = text[..i].trim_end();
            let rest = text[i..].trim_start();
            let op_len = rest.chars().take_while(|c| ops.contains(c)).count();
            let version = if &rest[..op_len] == "=" {
                rest[1..].trim_start()
            } else {
                rest
            };
            (name, nonempty(version))
        }
        Versions::Pip => {
            let end = text
                .find(|c: char| "=<>!~;[@(".contains(c) || c.is_whitespace())
                .unwrap_or(text.len());
            let name = &text[..end];
            let mut rest = &text[end..];
            if rest.starts_with('[') {
                rest = rest.split_once(']').map_or("", |(_, r)| r);
            }
            let rest = rest.split(';').next().unwrap_or("").trim();
            let rest = rest
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or(rest)
                .trim();
            let exact = rest
                .strip_prefix("===")
                .or_else(|| rest.strip_prefix("=="))
                .map(str::trim)
                .filter(|v| !v.contains(','));
            (name, nonempty(exact.unwrap_or(rest)))
        }
        Versions::Go => match text.rsplit_once('@') {
            Some((n, v)) => (n, nonempty(v)),
            None => (text, None),
        },
        Versions::Npm => {
            // `@scope/name@1`: the `@` after the scope's.
            let from = usize::from(text.starts_with('@'));
            match text[from..].find('@') {
                Some(i) => (&text[..from + i], nonempty(&text[from + i + 1..])),
                None => (text, None),
            }
        }
    }
}

/// Whether a package word is a path, a URL or a name in the repositories.
fn source_of(text: &str, syntax: &Syntax) -> Source {
    let vcs = ["git+", "hg+", "svn+", "bzr+"];
    if text.contains("://") || vcs.iter().any(|p| text.starts_with(p)) {
        return Source::Url;
    }
    let npm = syntax.versions == Versions::Npm;
    let hosted = ["github:", "gitlab:", "bitbucket:", "gist:", "git@"];
    if npm && hosted.iter().any(|p| text.starts_with(p)) {
        return Source::Url;
    }
    let pip = syntax.versions == Versions::Pip;
    // Not a bare leading `.`: apk's virtual packages are named `.build-deps`.
    let path = ["./", "../", "/", "~", "file:"].iter().any(|p| text.starts_with(p))
        || text == "."
        || text == ".."
        || syntax.files.iter().any(|e| text.ends_with(e))
        // A pip requirement has no `/` and starts with no `.`: `dir/sub`, `.[dev]` are local.
        || (pip && (text.contains(['/', '\\']) || text.starts_with('.')));
    if path {
        return Source::Path;
    }
    // `npm install user/repo` installs from GitHub.
    if npm && !text.starts_with('@') && text.split('@').next().unwrap_or("").contains('/') {
        return Source::Url;
    }
    Source::Registry
}

// ---------------------------------------------------------------------------------------------
// Caches: what a manager leaves behind, as data.

/// The caches of [`CACHES`], for the rules that describe them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CacheId {
    /// apt's package lists (`apt-get update`).
    AptLists,
    /// apt's downloaded archives, kept only when the `docker-clean` hook is removed.
    AptArchives,
    Apk,
    Pip,
    Npm,
    Yarn,
    Pnpm,
    Dnf,
    Zypper,
    Gem,
    Composer,
}

/// How one package manager leaves a cache behind.
pub struct Cache {
    pub id: CacheId,
    /// Program names (basename of `argv[0]`; `pip` for `python -m pip`).
    pub programs: &'static [&'static str],
    /// Subcommands that fill the cache (`""` = no subcommand, e.g. bare `yarn`).
    pub fills: &'static [&'static str],
    /// Options that keep the command from caching (`--no-cache`).
    pub no_cache_options: &'static [&'static str],
    /// The shortest abbreviation of a `no_cache_options` entry the program accepts (pip takes
    /// `--no-cache` for `--no-cache-dir`, as Python's option parsers accept unique prefixes).
    pub abbreviation: Option<&'static str>,
    /// Environment variables that turn the cache off when set to a non-empty value.
    pub no_cache_env: &'static [&'static str],
    /// Where the cache lives; `~/` is any home directory.
    pub paths: &'static [&'static str],
    /// Options that move the cache for one command (`npm ci --cache /tmp/npm`).
    pub dir_options: &'static [&'static str],
    /// Variables naming the cache (or the home holding it): `rm -rf "$VAR"` clears it.
    pub cache_env: &'static [&'static str],
    /// `program subcommand [arg]` invocations that clear the cache.
    pub cleaners: &'static [&'static [&'static str]],
    /// Programs (`program` or `program subcommand`) that read the cache later and fail or
    /// change without it.
    pub readers: &'static [&'static str],
    /// Options that make a command read the cache (`npm ci --offline`).
    pub reads_with: &'static [&'static str],
    /// The cache is only left when a command in the same RUN also matches this (e.g. removing
    /// apt's docker-clean hook).
    pub requires: Option<fn(&Command) -> bool>,
    /// How the cache is removed in the RUN that fills it.
    pub cleanup: Cleanup,
    /// Where a cache mount keeps it out of the image (`~` as root's home).
    pub mount: Option<&'static str>,
}

/// How a cache is removed where it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cleanup {
    /// Append a cleanup command to the RUN (`{prog}` is the program that filled the cache).
    Append(&'static str),
    /// Add an option after the subcommand of every filling command; `otherwise` is appended
    /// when a filling subcommand does not take it (`apk update`).
    Option {
        option: &'static str,
        takes_it: &'static [&'static str],
        otherwise: &'static str,
    },
    None,
}

const APT: &[&str] = &["apt-get", "apt", "aptitude"];

/// Every cache a package manager leaves, in the order rules report them.
#[rustfmt::skip]
pub const CACHES: &[Cache] = &[
    Cache {
        id: CacheId::AptLists,
        programs: APT,
        fills: &["update"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/lib/apt/lists"],
        dir_options: &[],
        cache_env: &[],
        // apt 2.7+ (Debian trixie, Ubuntu 24.04): `dist-clean` also removes the lists.
        cleaners: &[
            &["apt-get", "dist-clean"],
            &["apt", "dist-clean"],
            &["apt-get", "distclean"],
            &["apt", "distclean"],
        ],
        // What needs the lists: installing, upgrading, fetching sources, querying packages.
        readers: &[
            "apt-get install", "apt-get upgrade", "apt-get dist-upgrade", "apt-get full-upgrade",
            "apt-get build-dep", "apt-get source", "apt-get download", "apt-get reinstall",
            "apt-get satisfy", "apt install", "apt upgrade", "apt full-upgrade", "apt reinstall",
            "apt satisfy", "apt show", "apt search", "apt list", "apt policy", "apt source",
            "apt download", "aptitude install", "aptitude safe-upgrade", "aptitude full-upgrade",
            "apt-cache", "apt-file", "install_packages",
        ],
        reads_with: &[],
        requires: None,
        cleanup: Cleanup::Append("rm -rf /var/lib/apt/lists/*"),
        mount: Some("/var/lib/apt/lists"),
    },
    Cache {
        id: CacheId::AptArchives,
        programs: APT,
        fills: &["install", "upgrade", "dist-upgrade", "full-upgrade"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/apt"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[&["apt-get", "clean"], &["apt", "clean"], &["apt-get", "autoclean"]],
        // `apt-get install --no-download` installs only what is in the archive cache.
        readers: &[],
        reads_with: &["--no-download"],
        requires: Some(removes_docker_clean),
        cleanup: Cleanup::Append("apt-get clean"),
        mount: Some("/var/cache/apt"),
    },
    Cache {
        id: CacheId::Apk,
        programs: &["apk"],
        fills: &["add", "update", "upgrade"],
        no_cache_options: &["--no-cache", "--no-network"],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/apk", "/etc/apk/cache"],
        dir_options: &["--cache-dir"],
        cache_env: &[],
        cleaners: &[&["apk", "cache", "clean"], &["apk", "cache", "purge"]],
        // `apk add` fetches a missing index itself; only `--no-network` needs the cache.
        readers: &[],
        reads_with: &["--no-network"],
        requires: None,
        cleanup: Cleanup::Option { option: "--no-cache", takes_it: &["add", "upgrade"], otherwise: "rm -rf /var/cache/apk/*" },
        mount: Some("/var/cache/apk"),
    },
    Cache {
        id: CacheId::Pip,
        programs: &["pip", "pip3", "pip2"],
        fills: &["install", "wheel", "download"],
        no_cache_options: &["--no-cache-dir"],
        abbreviation: Some("--no-ca"),
        no_cache_env: &["PIP_NO_CACHE_DIR"],
        paths: &["~/.cache/pip"],
        dir_options: &["--cache-dir"],
        cache_env: &["PIP_CACHE_DIR", "XDG_CACHE_HOME"],
        cleaners: &[&["pip", "cache", "purge"], &["pip3", "cache", "purge"]],
        readers: &[],
        reads_with: &[],
        requires: None,
        cleanup: Cleanup::Option { option: "--no-cache-dir", takes_it: &["install", "wheel", "download"], otherwise: "pip cache purge" },
        mount: Some("~/.cache/pip"),
    },
    Cache {
        id: CacheId::Npm,
        programs: &["npm"],
        fills: &["install", "i", "ci", "add", "update"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.npm"],
        dir_options: &["--cache"],
        cache_env: &["npm_config_cache", "NPM_CONFIG_CACHE"],
        cleaners: &[&["npm", "cache", "clean"]],
        readers: &[],
        reads_with: &["--offline"],
        requires: None,
        cleanup: Cleanup::Append("npm cache clean --force"),
        mount: Some("~/.npm"),
    },
    Cache {
        id: CacheId::Yarn,
        programs: &["yarn"],
        fills: &["", "install", "add"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.cache/yarn", "/usr/local/share/.cache/yarn"],
        dir_options: &["--cache-folder"],
        cache_env: &["YARN_CACHE_FOLDER", "XDG_CACHE_HOME"],
        cleaners: &[&["yarn", "cache", "clean"]],
        readers: &[],
        reads_with: &["--offline"],
        requires: None,
        cleanup: Cleanup::Append("yarn cache clean"),
        mount: Some("/usr/local/share/.cache/yarn"),
    },
    Cache {
        id: CacheId::Pnpm,
        programs: &["pnpm"],
        fills: &["install", "i", "add"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["~/.local/share/pnpm/store", "~/.pnpm-store", "/pnpm/store"],
        dir_options: &["--store-dir"],
        cache_env: &["PNPM_HOME", "npm_config_store_dir"],
        cleaners: &[&["pnpm", "store", "prune"]],
        readers: &[],
        reads_with: &["--offline"],
        requires: None,
        cleanup: Cleanup::Append("pnpm store prune"),
        mount: Some("~/.local/share/pnpm/store"),
    },
    Cache {
        id: CacheId::Dnf,
        programs: &["dnf", "yum", "microdnf", "dnf5", "tdnf"],
        fills: &["install", "groupinstall", "reinstall", "update", "upgrade", "makecache"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5", "/var/cache/tdnf"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[
            &["dnf", "clean", "all"],
            &["yum", "clean", "all"],
            &["microdnf", "clean", "all"],
            &["dnf5", "clean", "all"],
            &["tdnf", "clean", "all"],
        ],
        // Metadata is fetched again when missing; `-C`/`--cacheonly` runs from the cache.
        readers: &[],
        reads_with: &["-C", "--cacheonly"],
        requires: None,
        cleanup: Cleanup::Append("{prog} clean all"),
        mount: None,
    },
    Cache {
        id: CacheId::Zypper,
        programs: &["zypper"],
        fills: &["install", "in", "refresh", "ref", "update", "up", "dist-upgrade", "dup", "patch"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/var/cache/zypp"],
        dir_options: &[],
        cache_env: &[],
        cleaners: &[&["zypper", "clean"], &["zypper", "cc"]],
        readers: &[],
        reads_with: &["--no-refresh"],
        requires: None,
        cleanup: Cleanup::Append("zypper clean --all"),
        mount: Some("/var/cache/zypp"),
    },
    Cache {
        id: CacheId::Gem,
        programs: &["gem", "bundle", "bundler"],
        fills: &["install"],
        no_cache_options: &[],
        abbreviation: None,
        no_cache_env: &[],
        paths: &["/usr/local/bundle/cache", "~/.gem", "/var/lib/gems", "/usr/local/lib/ruby/gems"],
        dir_options: &[],
        cache_env: &["GEM_HOME", "BUNDLE_PATH", "BUNDLE_APP_CONFIG"],
        cleaners: &[],
        readers: &[],
        reads_with: &["--local"],
        requires: None,
        cleanup: Cleanup::None,
        mount: None,
    },
    Cache {
        id: CacheId::Composer,
        programs: &["composer", "composer.phar"],
        fills: &["install", "require", "update", "create-project"],
        no_cache_options: &["--no-cache"],
        abbreviation: None,
        no_cache_env: &["COMPOSER_NO_CACHE"],
        paths: &["~/.composer/cache", "~/.cache/composer", "/tmp/cache"],
        dir_options: &[],
        cache_env: &["COMPOSER_HOME", "COMPOSER_CACHE_DIR"],
        cleaners: &[&["composer", "clear-cache"], &["composer", "clearcache"], &["composer", "cc"]],
        readers: &[],
        reads_with: &[],
        requires: None,
        cleanup: Cleanup::Append("composer clear-cache"),
        mount: Some("~/.composer/cache"),
    },
];

/// `rm /etc/apt/apt.conf.d/docker-clean`: apt keeps its downloaded archives from then on.
fn removes_docker_clean(c: &Command) -> bool {
    c.name() == Some("rm") && c.args().any(|a| a.ends_with("apt.conf.d/docker-clean"))
}

impl Cache {
    /// Whether the action fills the cache: a filling subcommand of one of the cache's
    /// programs, with no option, and no variable set for it or in `scope` (the ARGs and ENVs in
    /// force), that turns the cache off.
    pub fn fills(&self, a: &Action, scope: &Scope) -> bool {
        if !self.programs.contains(&a.program.as_str()) {
            return false;
        }
        let Some(sub) = (match &a.subcommand {
            None => Some(""),
            Some(w) => w.value.as_deref(),
        }) else {
            return false;
        };
        if !self.fills.contains(&sub) {
            return false;
        }
        // `yarn --version` is not `yarn` (install).
        if sub.is_empty() && a.kind != Kind::Install {
            return false;
        }
        if a.has_any_option(self.no_cache_options) {
            return false;
        }
        if let Some(short) = self.abbreviation {
            let full = self.no_cache_options.first().copied().unwrap_or("");
            if a.options
                .iter()
                .any(|o| o.name.len() >= short.len() && full.starts_with(&o.name))
            {
                return false;
            }
        }
        let env_off = |name: &str| {
            a.env(name)
                .is_some_and(|v| v.is_some_and(|v| !v.is_empty()))
                || matches!(scope.get(name), Some(Some(v)) if !v.is_empty())
                || matches!(scope.get(name), Some(None))
        };
        !self.no_cache_env.iter().any(|e| env_off(e))
    }

    /// The directory the command was told to keep this cache in (`npm ci --cache /tmp/npm`),
    /// when it is given literally.
    pub fn moved_by(&self, a: &Action) -> Option<String> {
        self.dir_options
            .iter()
            .find_map(|o| a.option_value(o))
            .map(|d| d.trim_end_matches('/').to_string())
    }

    /// Whether a command removes the cache (or `dir`, a cache moved for one command): `rm` or
    /// `find -delete` of a directory holding it, `rm -rf "$PIP_CACHE_DIR"`, or a cleaner such
    /// as `apt-get clean`. `a` is the command's action.
    pub fn cleans(&self, c: &Command, a: Option<&Action>, dir: Option<&str>) -> bool {
        let Some(name) = a.map(|a| a.program.as_str()).or_else(|| c.name()) else {
            return false;
        };
        let removes = |w: &ShellWord| {
            if dir.is_none() && removes_cache_var(&w.raw, self.cache_env) {
                return true;
            }
            let raw = w
                .value
                .clone()
                .unwrap_or_else(|| w.raw.replace("${HOME}", "~").replace("$HOME", "~"));
            let path = raw.trim_end_matches('*').trim_end_matches('/');
            !path.is_empty()
                && match dir {
                    Some(d) => covers(path, d),
                    None => self.paths.iter().any(|p| covers(path, p)),
                }
        };
        match name {
            "rm" => c.argv().iter().skip(1).any(removes),
            // `find /var/lib/apt/lists -type f -delete` (or `-exec rm`).
            "find" => {
                let deletes = c.args().any(|a| a == "-delete")
                    || c.args()
                        .collect::<Vec<_>>()
                        .windows(2)
                        .any(|w| w[0] == "-exec" && basename(w[1]) == "rm");
                deletes
                    && c.argv()
                        .iter()
                        .skip(1)
                        .take_while(|w| w.value.as_deref().is_some_and(|v| !v.starts_with('-')))
                        .any(removes)
            }
            _ if dir.is_some() => false,
            _ => {
                let Some(a) = a else {
                    return false;
                };
                let words: Vec<&str> = a
                    .subcommand
                    .iter()
                    .chain(&a.operands)
                    .filter_map(|w| w.value.as_deref())
                    .collect();
                self.cleaners.iter().any(|cl| {
                    cl[0] == name
                        && cl[1..]
                            .iter()
                            .zip(words.iter().chain(std::iter::repeat(&"")))
                            .all(|(a, b)| a == b)
                })
            }
        }
    }

    /// Whether a command needs the cache an earlier RUN left: it names a file in the cache (or
    /// copies a directory holding it), is one of the [`Cache::readers`], or runs with an
    /// option that reads the cache. `a` is the command's action.
    pub fn reads(&self, c: &Command, a: Option<&Action>) -> bool {
        let Some(name) = a.map(|a| a.program.as_str()).or_else(|| c.name()) else {
            return false;
        };
        // Any command that names a file in the cache (`dpkg -i /var/cache/apt/archives/x.deb`,
        // `ls /var/lib/apt/lists`), or copies a directory holding it, except the ones removing
        // it.
        let copies = matches!(name, "cp" | "tar" | "rsync" | "mv" | "zip");
        let names_cache = name != "rm"
            && name != "find"
            && c.args().any(|a| {
                let a = a.replace("${HOME}", "~").replace("$HOME", "~");
                let a = a.trim_end_matches('*').trim_end_matches('/');
                !a.is_empty()
                    && self
                        .paths
                        .iter()
                        .any(|p| inside(a, p) || (copies && covers(a, p)))
            });
        if names_cache {
            return true;
        }
        let own = self.programs.contains(&name);
        if !own
            && !self
                .readers
                .iter()
                .any(|r| r.split(' ').next() == Some(name))
        {
            return false;
        }
        if own && a.is_some_and(|a| a.has_any_option(self.reads_with)) {
            return true;
        }
        let sub = a.and_then(Action::sub).unwrap_or("");
        self.readers.iter().any(|r| match r.split_once(' ') {
            Some((p, s)) => p == name && s == sub,
            None => *r == name,
        })
    }

    /// Whether a cache mount (or tmpfs) at `target` holds the cache.
    pub fn mounted_at(&self, target: &str) -> bool {
        self.paths.iter().any(|p| covers(target, p))
    }

    /// Whether a path taken from the stage (`COPY --from`, a mount's source) overlaps the
    /// cache: it is in the cache or holds it.
    pub fn overlaps(&self, path: &str) -> bool {
        self.paths
            .iter()
            .any(|c| covers(path, c) || covers(c, path))
    }
}

/// `"$VAR"`, `${VAR}` or `$VAR/...` for one of `vars`.
fn removes_cache_var(raw: &str, vars: &[&str]) -> bool {
    let t = raw.trim_matches(['"', '\'']);
    let Some(rest) = t.strip_prefix('$') else {
        return false;
    };
    let name = match rest.strip_prefix('{') {
        Some(r) => r.split('}').next().unwrap_or(""),
        None => rest.split('/').next().unwrap_or(""),
    };
    vars.contains(&name)
}

/// Whether `arg` is the cache `path` or a file in it (`~/` in `path` is any home directory).
fn inside(arg: &str, path: &str) -> bool {
    match path.strip_prefix("~/") {
        Some(rel) => {
            let after_home = arg
                .strip_prefix("~/")
                .or_else(|| arg.strip_prefix("/root/"))
                .or_else(|| {
                    arg.strip_prefix("/home/")
                        .and_then(|r| r.split_once('/').map(|(_, rest)| rest))
                });
            after_home.is_some_and(|r| r == rel || r.starts_with(&format!("{rel}/")))
        }
        None => arg == path || arg.starts_with(&format!("{path}/")),
    }
}

/// Whether `dir` (a mount target or removed path) is `path` or one of its parents.
/// `path` may start with `~/`, standing for any home directory.
pub fn covers(dir: &str, path: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    if let Some(rel) = path.strip_prefix("~/") {
        if let Some(d) = dir.strip_prefix("~/") {
            return rel == d || rel.starts_with(&format!("{d}/"));
        }
        // `/root/.cache` or `/home/app/.cache` covers `~/.cache/pip`.
        let mut prefix = String::new();
        for part in rel.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(part);
            if dir.ends_with(&format!("/{prefix}")) {
                return true;
            }
        }
        return false;
    }
    dir.is_empty() || path == dir || path.starts_with(&format!("{dir}/"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::script_of;
    use crate::syntax;

    fn script(run: &str) -> crate::shell::Script {
        let p = syntax::parse(&format!("FROM a\nRUN {run}\n"));
        script_of(&p.instructions[1], &["/bin/sh".into(), "-c".into()]).unwrap()
    }

    /// The action of the first package-manager command of `run`.
    fn act(run: &str) -> Action {
        let s = script(run);
        let a = s.package_commands().next().map(|(_, a)| a.clone());
        a.unwrap_or_else(|| panic!("no package manager in {run}"))
    }

    /// (name, version) of every package.
    fn pkgs(a: &Action) -> Vec<(Option<&str>, Option<&str>)> {
        a.packages
            .iter()
            .map(|p| (p.name.as_deref(), p.version.as_deref()))
            .collect()
    }

    fn named<'a>(v: &[(&'a str, Option<&'a str>)]) -> Vec<(Option<&'a str>, Option<&'a str>)> {
        v.iter().map(|(n, v)| (Some(*n), *v)).collect()
    }

    #[test]
    fn apt() {
        let a = act("apt-get -o Acquire::Retries=3 install -y --no-install-recommends -t bookworm-backports curl=7.88.1-10 ca-certificates");
        assert_eq!(
            (a.manager, a.kind, a.sub()),
            (Manager::Apt, Kind::Install, Some("install"))
        );
        assert_eq!(
            pkgs(&a),
            named(&[("curl", Some("7.88.1-10")), ("ca-certificates", None)])
        );
        assert_eq!(a.option_value("-o"), Some("Acquire::Retries=3"));
        assert_eq!(a.option_value("-t"), Some("bookworm-backports"));
        assert!(a.has_option("--no-install-recommends") && a.assume_yes());
        let kinds = [
            ("apt-get update", Kind::UpdateIndex),
            ("apt upgrade -y", Kind::Upgrade),
            ("apt-get dist-upgrade", Kind::Upgrade),
            ("apt-get remove -y x", Kind::Remove),
            ("apt-get autoremove", Kind::Remove),
            ("apt-get purge -y x", Kind::Purge),
            ("apt-get clean", Kind::Clean),
            ("apt-get dist-clean", Kind::Clean),
            ("aptitude safe-upgrade", Kind::Upgrade),
            ("apt-get build-dep x", Kind::Other),
            ("apt-get", Kind::Other),
        ];
        for (run, kind) in kinds {
            assert_eq!(act(run).kind, kind, "{run}");
        }
        assert_eq!(act("apt-get purge -y x").packages.len(), 1);
        assert!(act("apt-get update").packages.is_empty());
        let local = act("apt-get install -y ./pkg.deb");
        assert_eq!(local.packages[0].source, Source::Path);
    }

    #[test]
    fn apt_assume_yes() {
        for run in [
            "apt-get install -y x",
            "apt-get install --yes x",
            "apt-get install --assume-yes x",
            "apt-get -qy install x",
            "apt-get -qq install x",
            "apt-get -q=2 install x",
            "apt-get -o APT::Get::Assume-Yes=true install x",
        ] {
            assert!(act(run).assume_yes(), "{run}");
        }
        for run in [
            "apt-get install x",
            "apt-get -q install x",
            "apt-get -o Foo=1 install x",
        ] {
            assert!(!act(run).assume_yes(), "{run}");
        }
    }

    #[test]
    fn apk() {
        let a = act("apk add --no-cache --virtual .build-deps -X http://dl-cdn/edge curl=8.5.0-r0 'musl>1.2' py3-pip~23 bash");
        assert_eq!((a.manager, a.kind), (Manager::Apk, Kind::Install));
        assert_eq!(
            pkgs(&a),
            named(&[
                ("curl", Some("8.5.0-r0")),
                ("musl", Some(">1.2")),
                ("py3-pip", Some("~23")),
                ("bash", None)
            ])
        );
        assert_eq!(a.option_value("--virtual"), Some(".build-deps"));
        assert_eq!(a.option_value("-X"), Some("http://dl-cdn/edge"));
        assert!(a.has_option("--no-cache"));
        assert_eq!(
            act("apk -t .rundeps add x").option_value("-t"),
            Some(".rundeps")
        );
        assert_eq!(act("apk --update add x").sub(), Some("add"));
        let del = act("apk del .build-deps");
        assert_eq!(
            (del.kind, del.packages[0].source),
            (Kind::Remove, Source::Registry)
        );
        assert_eq!(act("apk add ./x.apk").packages[0].source, Source::Path);
        assert_eq!(act("apk update").kind, Kind::UpdateIndex);
        assert_eq!(act("apk upgrade --available").kind, Kind::Upgrade);
        let c = act("apk cache clean");
        assert_eq!((c.kind, c.operands.len()), (Kind::Clean, 1));
        assert!(!act("apk add x").assume_yes());
    }

    #[test]
    fn pip() {
        let a = act("pip install --no-cache-dir -r requirements.txt flask==2.0.1 'requests[socks]>=2.31' 'django~=4.2' numpy 'pkg===1.0' 'x ; python_version<\"3.8\"'");
        assert_eq!(
            (a.manager, a.kind, a.program.as_str()),
            (Manager::Pip, Kind::Install, "pip")
        );
        assert_eq!(
            pkgs(&a),
            named(&[
                ("flask", Some("2.0.1")),
                ("requests", Some(">=2.31")),
                ("django", Some("~=4.2")),
                ("numpy", None),
                ("pkg", Some("1.0")),
                ("x", None)
            ])
        );
        assert_eq!(a.option_value("-r"), Some("requirements.txt"));
        let a = act("python3 -m pip install -U --user -e . --index-url https://x/simple 'django>=4,<5' ./dist/app.whl git+https://github.com/a/b.git 'b @ https://x/b.tar.gz'");
        assert_eq!(a.program, "pip");
        assert_eq!(a.option_value("-e"), Some("."));
        assert_eq!(a.option_value("--index-url"), Some("https://x/simple"));
        let sources: Vec<Source> = a.packages.iter().map(|p| p.source).collect();
        assert_eq!(
            sources,
            [Source::Registry, Source::Path, Source::Url, Source::Url]
        );
        assert_eq!(a.packages[0].version.as_deref(), Some(">=4,<5"));
        assert_eq!(a.packages[3].name.as_deref(), Some("b"));
        assert_eq!(
            act("pip3 -rreq.txt install").option_value("-r"),
            Some("req.txt")
        );
        assert_eq!(act("pip2 uninstall -y x").kind, Kind::Remove);
        assert!(act("pip uninstall -y x").assume_yes());
        assert_eq!(act("pip cache purge").kind, Kind::Clean);
        assert_eq!(act("pip download x").kind, Kind::Other);
        assert_eq!(act("pip --version").kind, Kind::Other);
    }

    #[test]
    fn npm_yarn_pnpm() {
        let a = act("npm install -g --registry https://r express@4.18.2 @types/node@20 @scope/pkg lodash user/repo ./local.tgz");
        assert_eq!((a.manager, a.kind), (Manager::Npm, Kind::Install));
        assert_eq!(
            pkgs(&a)[..4],
            named(&[
                ("express", Some("4.18.2")),
                ("@types/node", Some("20")),
                ("@scope/pkg", None),
                ("lodash", None)
            ])[..]
        );
        assert_eq!(a.packages[4].source, Source::Url);
        assert_eq!(a.packages[5].source, Source::Path);
        assert_eq!(a.option_value("--registry"), Some("https://r"));
        assert_eq!(
            act("npm ci --cache /tmp/npm").option_value("--cache"),
            Some("/tmp/npm")
        );
        assert_eq!(act("npm i x").kind, Kind::Install);
        assert_eq!(act("npm uninstall x").kind, Kind::Remove);
        assert_eq!(act("npm cache clean --force").kind, Kind::Clean);
        assert_eq!(act("npm run build").kind, Kind::Other);

        let y = act("yarn add --dev typescript@5");
        assert_eq!((y.manager, y.kind), (Manager::Yarn, Kind::Install));
        assert_eq!(pkgs(&y), named(&[("typescript", Some("5"))]));
        let bare = act("yarn --frozen-lockfile");
        assert_eq!(
            (bare.kind, bare.subcommand.is_none()),
            (Kind::Install, true)
        );
        assert_eq!(act("yarn --version").kind, Kind::Other);
        assert_eq!(act("yarn --cwd /app install").sub(), Some("install"));
        let g = act("yarn global add pm2@5");
        assert_eq!((g.kind, g.sub()), (Kind::Install, Some("global")));
        assert_eq!(pkgs(&g), named(&[("pm2", Some("5"))]));
        assert_eq!(act("yarn cache clean").kind, Kind::Clean);

        let p = act("pnpm add -D --store-dir /pnpm vite@5");
        assert_eq!((p.manager, p.kind), (Manager::Pnpm, Kind::Install));
        assert_eq!(p.option_value("--store-dir"), Some("/pnpm"));
        assert_eq!(pkgs(&p), named(&[("vite", Some("5"))]));
        assert_eq!(act("pnpm store prune").kind, Kind::Clean);
    }

    #[test]
    fn dnf_family_keeps_names_whole() {
        let a =
            act("dnf install -y --setopt=tsflags=nodocs --enablerepo crb gcc-12.1 python3-devel");
        assert_eq!((a.manager, a.kind), (Manager::Dnf, Kind::Install));
        // `gcc-12.1` is a name or a name and a version: not split.
        assert_eq!(
            pkgs(&a),
            named(&[("gcc-12.1", None), ("python3-devel", None)])
        );
        assert_eq!(a.option_value("--setopt"), Some("tsflags=nodocs"));
        assert_eq!(a.option_value("--enablerepo"), Some("crb"));
        assert!(a.assume_yes());
        for prog in ["yum", "microdnf", "dnf5", "tdnf"] {
            let a = act(&format!("{prog} install x"));
            assert_eq!(
                (a.manager, a.program.as_str(), a.assume_yes()),
                (Manager::Dnf, prog, false)
            );
        }
        assert!(act("yum --assumeyes install x").assume_yes());
        assert_eq!(act("yum makecache").kind, Kind::UpdateIndex);
        assert_eq!(act("dnf clean all").kind, Kind::Clean);
        assert_eq!(act("yum erase x").kind, Kind::Remove);
        assert_eq!(act("dnf -C upgrade").kind, Kind::Upgrade);
        assert!(act("dnf -yC upgrade").has_option("-C"));
        let g = act("dnf group install -y 'Development Tools'");
        assert_eq!((g.kind, g.sub()), (Kind::Install, Some("group")));
        assert_eq!(pkgs(&g), named(&[("Development Tools", None)]));
        assert_eq!(
            act("yum install -y /tmp/x.rpm").packages[0].source,
            Source::Path
        );
    }

    #[test]
    fn zypper() {
        let a = act("zypper --non-interactive -C /tmp/zc install -y -t pattern --from repo 'vim>=9' curl=8.0 devel_basis");
        assert_eq!((a.manager, a.kind), (Manager::Zypper, Kind::Install));
        assert_eq!(a.option_value("-C"), Some("/tmp/zc"));
        assert_eq!(a.option_value("-t"), Some("pattern"));
        assert_eq!(a.option_value("--from"), Some("repo"));
        assert_eq!(
            pkgs(&a),
            named(&[
                ("vim", Some(">=9")),
                ("curl", Some("8.0")),
                ("devel_basis", None)
            ])
        );
        assert!(a.assume_yes());
        assert!(act("zypper -n in x").assume_yes());
        assert!(!act("zypper in x").assume_yes());
        assert_eq!(act("zypper ref").kind, Kind::UpdateIndex);
        assert_eq!(act("zypper dup").kind, Kind::Upgrade);
        assert_eq!(act("zypper clean --all").kind, Kind::Clean);
        assert_eq!(act("zypper rm x").kind, Kind::Remove);
    }

    #[test]
    fn gem_bundler_composer() {
        let a = act("gem install rails -v 7.1.0 --no-document");
        assert_eq!((a.manager, a.kind), (Manager::Gem, Kind::Install));
        assert_eq!(pkgs(&a), named(&[("rails", Some("7.1.0"))]));
        let a = act("gem install bundler:2.5.6 rake");
        assert_eq!(
            pkgs(&a),
            named(&[("bundler", Some("2.5.6")), ("rake", None)])
        );
        // `-v` with several gems says nothing about each.
        assert_eq!(
            pkgs(&act("gem install a b -v 1")),
            named(&[("a", None), ("b", None)])
        );
        let b = act("bundle install --jobs 4 --without development");
        assert_eq!(
            (b.manager, b.kind, b.packages.len()),
            (Manager::Bundler, Kind::Install, 0)
        );
        assert_eq!(b.option_value("--jobs"), Some("4"));
        assert_eq!(act("bundle").kind, Kind::Install);

        let c = act("composer require -n --no-progress monolog/monolog:^3.0 symfony/yaml 6.4.* guzzlehttp/guzzle=7.8 php ext-intl");
        assert_eq!((c.manager, c.kind), (Manager::Composer, Kind::Install));
        assert_eq!(
            pkgs(&c),
            named(&[
                ("monolog/monolog", Some("^3.0")),
                ("symfony/yaml", Some("6.4.*")),
                ("guzzlehttp/guzzle", Some("7.8")),
                ("php", None),
                ("ext-intl", None)
            ])
        );
        assert!(c.assume_yes());
        let p = act("composer create-project laravel/laravel app 11.0");
        assert_eq!(pkgs(&p), named(&[("laravel/laravel", Some("11.0"))]));
        assert_eq!(act("composer.phar install --no-dev").kind, Kind::Install);
        assert_eq!(act("composer clear-cache").kind, Kind::Clean);
    }

    #[test]
    fn variables_are_not_guessed() {
        let a = act("apt-get install -y $PKGS \"${EXTRA}\" curl=${CURL_VERSION} \"jq=$JQ\"");
        assert_eq!(
            pkgs(&a),
            [
                (None, None),
                (None, None),
                (Some("curl"), Some("${CURL_VERSION}")),
                (Some("jq"), Some("$JQ"))
            ]
        );
        assert!(!a.packages[0].is_known() && a.packages[2].is_known());
        assert_eq!(a.packages[0].source, Source::Unknown);
        // dnf's versions are never split off, so a variable in the word hides the name.
        assert_eq!(pkgs(&act("dnf install -y gcc-$V")), [(None, None)]);
        let a = act("pip install --cache-dir \"$DIR\" --target=$T x");
        let dir = a.option("--cache-dir").unwrap();
        assert!(dir.variable && dir.value.is_none());
        assert!(a.option("--target").unwrap().variable);
        assert_eq!(pkgs(&a), named(&[("x", None)]));
        // An unknown subcommand does nothing known.
        let a = act("apt-get $CMD curl");
        assert_eq!((a.kind, a.packages.len()), (Kind::Other, 0));
    }

    #[test]
    fn wrappers_env_and_ranges() {
        let text = "FROM a\nRUN sudo -E env DEBIAN_FRONTEND=noninteractive apt-get install -y \"curl\" && PIP_NO_CACHE_DIR=1 nice -n 5 pip install x\n";
        let p = syntax::parse(text);
        let s = script_of(&p.instructions[1], &["/bin/sh".into(), "-c".into()]).unwrap();
        let actions: Vec<&Action> = s.package_commands().map(|(_, a)| a).collect();
        assert_eq!(actions.len(), 2);
        let apt = actions[0];
        assert_eq!(apt.env("DEBIAN_FRONTEND"), Some(Some("noninteractive")));
        assert_eq!(&text[apt.packages[0].range().clone()], "\"curl\"");
        assert_eq!(&text[apt.option("-y").unwrap().range.clone()], "-y");
        assert_eq!(actions[1].env("PIP_NO_CACHE_DIR"), Some(Some("1")));
        assert_eq!(actions[1].program, "pip");
        // One reading per script: the same actions every time.
        assert!(std::ptr::eq(s.actions(), s.actions()));
        assert_eq!(s.actions().len(), s.commands.len());
        assert_eq!(s.action_of(&s.commands[0]), Some(apt));
        assert_eq!(s.action_of(&s.commands[0].clone()), None);
        let o = act("apt-get -o Dpkg::Options::=--force-confold install x");
        assert_eq!(
            o.option_value("-o"),
            Some("Dpkg::Options::=--force-confold")
        );
        // The option's range spans its value word.
        let t = "FROM a\nRUN apt-get -o Dpkg::Options::=--force-confold install x\n";
        let r = &o.option("-o").unwrap().range;
        assert_eq!(&t[r.clone()], "-o Dpkg::Options::=--force-confold");
        // Exec form and `sh -c` strings.
        let e = act("[\"apt-get\", \"install\", \"-y\", \"git\"]");
        assert_eq!(pkgs(&e), named(&[("git", None)]));
        let n = act("bash -c 'apk add --no-cache git'");
        assert_eq!(pkgs(&n), named(&[("git", None)]));
        // After `--`, nothing is an option.
        assert_eq!(
            pkgs(&act("pip install -- -weird")),
            named(&[("-weird", None)])
        );
        assert!(action(&script("make install").commands[0]).is_none());
    }

    #[test]
    fn every_cache_manager_is_recognised() {
        for c in CACHES {
            for p in c.programs {
                assert!(Manager::of(p).is_some(), "{p}");
            }
            let m = Manager::of(c.programs[0]).unwrap();
            // An option that moves the cache takes a value.
            for o in c.dir_options {
                let a = act(&format!("{} install {o} /tmp/c x", c.programs[0]));
                assert_eq!(a.option_value(o), Some("/tmp/c"), "{m:?} {o}");
            }
        }
    }

    #[test]
    fn cache_fills_cleans_and_reads() {
        let pip = CACHES.iter().find(|c| c.id == CacheId::Pip).unwrap();
        let scope = Scope::default();
        assert!(pip.fills(&act("pip install x"), &scope));
        assert!(pip.fills(&act("python -m pip install x"), &scope));
        assert!(!pip.fills(&act("pip install --no-cache-dir x"), &scope));
        assert!(!pip.fills(&act("pip install --no-cache x"), &scope));
        assert!(!pip.fills(&act("env PIP_NO_CACHE_DIR=1 pip install x"), &scope));
        let s = script("pip cache purge && rm -rf \"$PIP_CACHE_DIR\" && rm -rf /root/.cache");
        for (k, c) in s.commands.iter().enumerate() {
            assert!(pip.cleans(c, s.action(k), None), "{k}");
        }
        let lists = CACHES.iter().find(|c| c.id == CacheId::AptLists).unwrap();
        let s = script("apt-get -o X=1 install y && apt-cache policy && ls /var/lib/apt/lists && apt-get clean");
        let reads: Vec<bool> = (0..4)
            .map(|k| lists.reads(&s.commands[k], s.action(k)))
            .collect();
        assert_eq!(reads, [true, true, true, false]);
        let npm = CACHES.iter().find(|c| c.id == CacheId::Npm).unwrap();
        assert_eq!(
            npm.moved_by(&act("npm ci --cache=/tmp/n/")).as_deref(),
            Some("/tmp/n")
        );
        assert!(npm.mounted_at("/root/.npm") && npm.overlaps("/root/.npm"));
        assert!(lists.overlaps("/var/lib/apt/lists/partial") && lists.overlaps("/var/lib"));
        assert!(!npm.mounted_at("/root/.cache"));
    }

    #[test]
    fn coverage_of_cache_paths() {
        assert!(covers("/var/lib/apt/lists", "/var/lib/apt/lists"));
        assert!(covers("/var/lib/apt", "/var/lib/apt/lists"));
        assert!(!covers("/var/lib/ap", "/var/lib/apt/lists"));
        assert!(covers("/root/.cache", "~/.cache/pip"));
        assert!(covers("/home/app/.cache/pip", "~/.cache/pip"));
        assert!(covers("~/.cache", "~/.cache/pip"));
        assert!(!covers("/root/.npm", "~/.cache/pip"));
    }
}
