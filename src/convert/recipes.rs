//! The conversion recipes: `recipes.toml` read once into typed tables, and lookups over them.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::ImageRef;

/// Where a recipe's artifact lands: each strategy reads output flags or project files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// `go build -o`, else the package or module name; `go install` into `$GOPATH/bin`.
    Go,
    /// `cc -o` (default `a.out`).
    Cc,
    /// The program the CMD runs (make, cmake, ninja).
    Command,
    /// `target/<profile>/<bin>` from `Cargo.toml`.
    Cargo,
    /// `target/<finalName>.<packaging>` from `pom.xml`.
    Maven,
    /// `build/libs/<name>-<version>.jar` from the Gradle settings.
    Gradle,
    /// `jar --file` / `javac -d`.
    Java,
    /// The build output directory the CMD runs from, plus production `node_modules`.
    Node,
    /// The virtual environment or install prefix pip writes into.
    Python,
    /// `dotnet publish -o`.
    Dotnet,
}

/// Whether every artifact is copied or only those the CMD/ENTRYPOINT uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CopyPolicy {
    Referenced,
    All,
}

/// How a build is made to link statically.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Static {
    /// An assignment put before the build command (`CGO_ENABLED=0`).
    pub env: Option<String>,
    /// A flag added after the compiler (`-static`).
    pub flag: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recipe {
    /// The `[convert]` key of its runtime image.
    pub key: String,
    pub name: String,
    /// Toolchain images: `repository` or `repository:tag-glob`.
    pub toolchains: Vec<String>,
    #[serde(default)]
    pub not_toolchains: Vec<String>,
    /// Argv prefixes that recognise the build step.
    pub builds: Vec<Vec<String>>,
    pub artifact: Strategy,
    #[serde(default)]
    pub output_flags: Vec<String>,
    #[serde(rename = "static")]
    pub static_: Option<Static>,
    pub runtime: String,
    pub runtime_shell: String,
    pub copy: CopyPolicy,
    #[serde(default)]
    pub build_only_sources: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct War {
    pub runtime: String,
    pub deploy: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct DevPackage {
    /// The package holding the shared library at runtime (empty: nothing needed).
    pub runtime: String,
    pub libs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Packages {
    pub build_only: Vec<String>,
    pub provided: Vec<String>,
    pub dev: BTreeMap<String, DevPackage>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Libs {
    pub standard: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Env {
    pub build_only: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Debian {
    pub codename: String,
    pub number: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Assets {
    pub dirs: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Recipes {
    pub recipe: Vec<Recipe>,
    pub assets: Assets,
    pub war: War,
    pub packages: Packages,
    pub libs: Libs,
    pub env: Env,
    pub debian: Vec<Debian>,
}

/// The recipe tables (`recipes.toml`, checked by a unit test).
pub fn recipes() -> &'static Recipes {
    static R: OnceLock<Recipes> = OnceLock::new();
    R.get_or_init(|| {
        toml::from_str(include_str!("recipes.toml")).unwrap_or_else(|e| {
            // The file is part of the binary and covered by a test; an error is a build defect.
            panic!("src/convert/recipes.toml is invalid: {e}")
        })
    })
}

/// `*` matches any run of characters (case-sensitive).
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn rec(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|i| rec(rest, &t[i..])),
            Some((c, rest)) => t.first() == Some(c) && rec(rest, &t[1..]),
        }
    }
    rec(pattern.as_bytes(), text.as_bytes())
}

/// The part of `*` a pattern such as `openjdk-*-jdk` captured in `text`.
pub fn glob_capture<'t>(pattern: &str, text: &'t str) -> Option<&'t str> {
    let (pre, post) = pattern.split_once('*')?;
    let rest = text.strip_prefix(pre)?.strip_suffix(post)?;
    Some(rest)
}

impl Recipe {
    /// Whether a stage is built directly on one of this recipe's toolchain images.
    pub fn is_toolchain_base(&self, stage: &crate::model::Stage) -> bool {
        matches!(&stage.base, crate::model::Base::Image(i) if self.is_toolchain(i))
    }

    /// Whether `image` is one of this recipe's toolchain images.
    pub fn is_toolchain(&self, image: &ImageRef) -> bool {
        let name = image.short_name();
        let tag = image.tag.as_deref().unwrap_or("latest");
        if self.not_toolchains.iter().any(|p| glob_match(p, tag)) {
            return false;
        }
        self.toolchains.iter().any(|t| match t.split_once(':') {
            Some((repo, tag_glob)) => glob_match(repo, &name) && glob_match(tag_glob, tag),
            None => glob_match(t, &name),
        })
    }
}

impl Packages {
    pub fn is_build_only(&self, pkg: &str) -> bool {
        self.build_only.iter().any(|p| p == pkg)
    }

    /// The `-dev` table entry for a package (`@apk` entries for Alpine), with `*` patterns
    /// resolved: `openjdk-17-jdk` -> runtime `openjdk-17-jre-headless`.
    pub fn dev(&self, pkg: &str, apk: bool) -> Option<DevPackage> {
        if apk {
            if let Some(d) = self.dev.get(&format!("{pkg}@apk")) {
                return Some(d.clone());
            }
        }
        if let Some(d) = self.dev.get(pkg) {
            return Some(d.clone());
        }
        self.dev.iter().find_map(|(k, d)| {
            let cap = glob_capture(k, pkg)?;
            if k.ends_with("@apk") || cap.contains('-') {
                return None;
            }
            Some(DevPackage {
                runtime: d.runtime.replace('*', cap),
                libs: d.libs.clone(),
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_load_and_are_consistent() {
        let r = recipes();
        assert!(r.recipe.len() >= 10);
        for recipe in &r.recipe {
            assert!(!recipe.builds.is_empty(), "{}", recipe.name);
            let images: Result<crate::rules::single_stage_build::Images, _> =
                toml::from_str(&format!("{} = \"debian:12\"", recipe.key));
            assert!(
                images.is_ok_and(|i| i.by_key().contains_key(&recipe.key)),
                "recipe key `{}` is a [convert] key",
                recipe.key
            );
        }
        assert_eq!(r.debian[0].codename, "bookworm");
        let jdk = r.packages.dev("openjdk-17-jdk-headless", false).unwrap();
        assert_eq!(jdk.runtime, "openjdk-17-jre-headless");
        assert_eq!(
            r.packages.dev("libsqlite3-dev", false).unwrap().runtime,
            "libsqlite3-0"
        );
        assert_eq!(
            r.packages.dev("libffi-dev", true).unwrap().runtime,
            "libffi"
        );
        assert!(r.packages.dev("libfoo-dev", false).is_none());
    }

    #[test]
    fn toolchain_images() {
        let r = recipes();
        let is = |img: &str| {
            let i = ImageRef::parse(img).unwrap();
            r.recipe
                .iter()
                .filter(|x| x.is_toolchain(&i))
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(is("golang:1.22"), ["Go"]);
        assert_eq!(is("docker.io/library/rust:1-bookworm"), ["Rust"]);
        assert_eq!(is("eclipse-temurin:21-jdk"), ["Java"]);
        assert!(is("eclipse-temurin:21-jre").is_empty());
        assert!(is("openjdk:17-jre-slim").is_empty());
        assert_eq!(is("mcr.microsoft.com/dotnet/sdk:8.0"), [".NET"]);
        assert!(is("mcr.microsoft.com/dotnet/aspnet:8.0").is_empty());
        assert!(is("python:3.12").is_empty());
        assert!(glob_match("*jdk*", "17-jdk-jammy"));
        assert_eq!(glob_capture("openjdk-*-jdk", "openjdk-11-jdk"), Some("11"));
    }
}
