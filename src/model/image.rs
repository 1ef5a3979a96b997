//! Image references (`registry/repository:tag@digest`) as BuildKit and the registry resolve them.

use serde::Serialize;

/// WORKDIRs of Docker official images (from their published Dockerfiles); `/` for the images
/// that set none, where BuildKit runs in `/`. Images not listed are unknown.
const KNOWN_WORKDIRS: &[(&str, &str)] = &[
    ("golang", "/go"),
    ("gradle", "/home/gradle"),
    ("redis", "/data"),
    ("tomcat", "/usr/local/tomcat"),
    ("httpd", "/usr/local/apache2"),
    ("php", "/var/www/html"),
    ("wordpress", "/var/www/html"),
    ("nextcloud", "/var/www/html"),
    ("drupal", "/opt/drupal"),
    ("composer", "/app"),
    ("ghost", "/var/lib/ghost"),
    ("redmine", "/usr/src/redmine"),
    ("adoptopenjdk", "/"),
    ("almalinux", "/"),
    ("alpine", "/"),
    ("amazoncorretto", "/"),
    ("amazonlinux", "/"),
    ("archlinux", "/"),
    ("buildpack-deps", "/"),
    ("busybox", "/"),
    ("centos", "/"),
    ("debian", "/"),
    ("eclipse-temurin", "/"),
    ("fedora", "/"),
    ("gcc", "/"),
    ("maven", "/"),
    ("node", "/"),
    ("openjdk", "/"),
    ("oraclelinux", "/"),
    ("python", "/"),
    ("rockylinux", "/"),
    ("rust", "/"),
    ("ubuntu", "/"),
    ("mcr.microsoft.com/dotnet/sdk", "/"),
];

/// Names Docker Hub answers to besides `docker.io`.
/// Docker official images that set no `ENTRYPOINT` (`node`, `php`, `eclipse-temurin`,
/// `maven`, `nginx` and the database images do).
const NO_ENTRYPOINT: &[&str] = &[
    "almalinux",
    "alpine",
    "amazonlinux",
    "archlinux",
    "buildpack-deps",
    "busybox",
    "centos",
    "debian",
    "fedora",
    "gcc",
    "golang",
    "oraclelinux",
    "perl",
    "python",
    "rockylinux",
    "ruby",
    "rust",
    "ubuntu",
];

const DOCKER_HUB: &[&str] = &[
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
];

/// Whether a registry host is one of Docker Hub's names (`index.docker.io`, ...).
pub fn is_docker_hub_name(registry: &str) -> bool {
    DOCKER_HUB.contains(&registry.to_ascii_lowercase().as_str())
}

/// A parsed image reference. `registry` is `None` for Docker Hub short names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Parse a reference; `None` when it is not a valid reference (empty, spaces, bad characters).
    pub fn parse(text: &str) -> Option<ImageRef> {
        if text.is_empty() || text.chars().any(|c| c.is_whitespace()) {
            return None;
        }
        let (rest, digest) = match text.split_once('@') {
            Some((r, d)) if !d.is_empty() => (r, Some(d.to_string())),
            Some(_) => return None,
            None => (text, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(rest[slash + i + 1..].to_string())),
            None => (rest, None),
        };
        if name.is_empty() || tag.as_deref() == Some("") {
            return None;
        }
        let (registry, repository) = match name.split_once('/') {
            Some((first, rest))
                if first.contains(['.', ':'])
                    || first == "localhost"
                    || first.chars().any(|c| c.is_ascii_uppercase()) =>
            {
                (Some(first.to_string()), rest.to_string())
            }
            _ => (None, name.to_string()),
        };
        let valid = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-/".contains(c))
        };
        if !valid(&repository) {
            return None;
        }
        let tag_ok = |t: &str| {
            t.len() <= 128
                && t.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        };
        let digest_ok = |d: &str| {
            d.split_once(':').is_some_and(|(algo, hex)| {
                !algo.is_empty()
                    && !hex.is_empty()
                    && algo
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-_".contains(c))
                    && hex
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "=_-".contains(c))
            })
        };
        if tag.as_deref().is_some_and(|t| !tag_ok(t))
            || digest.as_deref().is_some_and(|d| !digest_ok(d))
        {
            return None;
        }
        Some(ImageRef {
            registry,
            repository,
            tag,
            digest,
        })
    }

    /// `registry/repository` as users write it.
    pub fn name(&self) -> String {
        match &self.registry {
            Some(r) => format!("{r}/{}", self.repository),
            None => self.repository.clone(),
        }
    }

    /// The fully qualified name a registry pull would use.
    pub fn canonical(&self) -> String {
        let registry = self.registry.as_deref().unwrap_or("docker.io");
        let repo = if self.registry.is_none() && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.clone()
        };
        let mut s = format!("{registry}/{repo}");
        match (&self.tag, &self.digest) {
            (_, Some(d)) => {
                if let Some(t) = &self.tag {
                    s.push(':');
                    s.push_str(t);
                }
                s.push('@');
                s.push_str(d);
            }
            (Some(t), None) => {
                s.push(':');
                s.push_str(t);
            }
            (None, None) => s.push_str(":latest"),
        }
        s
    }

    /// Whether the image is on Docker Hub (no registry, or one of Docker Hub's names).
    pub fn is_docker_hub(&self) -> bool {
        self.registry.as_deref().is_none_or(is_docker_hub_name)
    }

    /// `registry/repository` with Docker Hub's names and `library/` spelled out
    /// (`debian` -> `docker.io/library/debian`), registries lowercased.
    pub fn qualified_name(&self) -> String {
        let repo = if self.is_docker_hub() && !self.repository.contains('/') {
            format!("library/{}", self.repository)
        } else {
            self.repository.clone()
        };
        format!("{}/{repo}", self.registry_name().to_ascii_lowercase())
    }

    /// The registry as a trust list would name it: Docker Hub's aliases are `docker.io`.
    pub fn registry_name(&self) -> String {
        if self.is_docker_hub() {
            "docker.io".to_string()
        } else {
            self.registry.clone().unwrap_or_default()
        }
    }

    /// The repository as users write it, without Docker Hub's `library/` and registry
    /// (`index.docker.io/library/debian` -> `debian`; `ghcr.io/a/b` stays).
    pub fn short_name(&self) -> String {
        if self.is_docker_hub() {
            let repo = self
                .repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository);
            repo.to_string()
        } else {
            self.name()
        }
    }

    /// The WORKDIR a well-known image sets (`/` when it sets none), when it is known.
    pub fn known_workdir(&self) -> Option<&'static str> {
        let name = self.short_name();
        KNOWN_WORKDIRS
            .iter()
            .find(|(r, _)| *r == name)
            .map(|(_, w)| *w)
    }

    /// Docker official images whose published Dockerfiles set no `ENTRYPOINT` (distribution
    /// bases and language images that only set a `CMD`); other images may set one.
    pub fn known_without_entrypoint(&self) -> bool {
        self.is_docker_hub() && NO_ENTRYPOINT.contains(&self.short_name().as_str())
    }

    /// Windows images: Windows Server Core, Nano Server and the images built on them, which
    /// run `cmd` or PowerShell, not `/bin/sh`.
    pub fn is_windows(&self) -> bool {
        let name = self.name().to_ascii_lowercase();
        let tag = self.tag.as_deref().unwrap_or("").to_ascii_lowercase();
        name.starts_with("mcr.microsoft.com/windows")
            || name.starts_with("microsoft/windows")
            || name.starts_with("microsoft/nanoserver")
            || ["windowsservercore", "nanoserver", "servercore"]
                .iter()
                .any(|w| tag.contains(w) || name.ends_with(&format!("/{w}")))
    }

    /// Images that have no `/bin/sh`: distroless (but `:debug` tags), Chainguard static.
    pub fn is_shell_less(&self) -> bool {
        let tag = self.tag.as_deref().unwrap_or("");
        let name = self.name();
        if name.starts_with("gcr.io/distroless/") {
            return !tag.contains("debug");
        }
        if matches!(
            name.as_str(),
            "cgr.dev/chainguard/static" | "cgr.dev/chainguard/glibc-dynamic"
        ) {
            return !tag.contains("dev");
        }
        name.starts_with("mcr.microsoft.com/dotnet/nightly/runtime-deps")
            && tag.contains("chiseled")
            || name.starts_with("mcr.microsoft.com/dotnet/") && tag.contains("chiseled")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_references() {
        let r = ImageRef::parse("golang:1.22@sha256:abc").unwrap();
        assert_eq!((r.registry, r.repository.as_str()), (None, "golang"));
        assert_eq!(r.tag.as_deref(), Some("1.22"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = ImageRef::parse("localhost:5000/team/app").unwrap();
        assert_eq!(r.registry.as_deref(), Some("localhost:5000"));
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, None);
        assert!(ImageRef::parse("Bad Name").is_none());
        assert!(ImageRef::parse("composer:{{").is_none());
        assert!(ImageRef::parse("a@nodigest").is_none());
        assert_eq!(
            ImageRef::parse("nginx").unwrap().canonical(),
            "docker.io/library/nginx:latest"
        );
    }

    #[test]
    fn shell_less_families() {
        assert!(ImageRef::parse("gcr.io/distroless/static-debian12")
            .unwrap()
            .is_shell_less());
        assert!(!ImageRef::parse("gcr.io/distroless/base:debug")
            .unwrap()
            .is_shell_less());
        assert!(ImageRef::parse("cgr.dev/chainguard/static:latest")
            .unwrap()
            .is_shell_less());
        assert!(!ImageRef::parse("debian:12").unwrap().is_shell_less());
    }

    #[test]
    fn images_known_to_set_no_entrypoint() {
        assert!(ImageRef::parse("python:3.12-slim")
            .unwrap()
            .known_without_entrypoint());
        assert!(!ImageRef::parse("node:20")
            .unwrap()
            .known_without_entrypoint());
        assert!(!ImageRef::parse("ghcr.io/x/python")
            .unwrap()
            .known_without_entrypoint());
    }

    #[test]
    fn docker_hub_names_and_known_workdirs() {
        let r = ImageRef::parse("index.docker.io/library/debian:12").unwrap();
        assert!(r.is_docker_hub());
        assert_eq!(r.registry_name(), "docker.io");
        assert_eq!(r.short_name(), "debian");
        assert_eq!(r.known_workdir(), Some("/"));
        assert_eq!(
            ImageRef::parse("golang:1.22").unwrap().known_workdir(),
            Some("/go")
        );
        assert_eq!(
            ImageRef::parse("ghcr.io/x/debian").unwrap().known_workdir(),
            None
        );
        assert!(!ImageRef::parse("ghcr.io/x/y").unwrap().is_docker_hub());
    }

    #[test]
    fn windows_images() {
        for w in [
            "mcr.microsoft.com/windows/servercore:ltsc2022",
            "mcr.microsoft.com/windows/nanoserver:1809",
            "mcr.microsoft.com/powershell:lts-nanoserver-1809",
            "golang:1.22-windowsservercore-ltsc2022",
            "microsoft/windowsservercore",
        ] {
            assert!(ImageRef::parse(w).unwrap().is_windows(), "{w}");
        }
        assert!(!ImageRef::parse("debian:12").unwrap().is_windows());
    }
}
