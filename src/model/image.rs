//! Image references (`registry/repository:tag@digest`) as BuildKit and the registry resolve them.

use serde::Serialize;

/// WORKDIRs set by Docker official images (from their published Dockerfiles).
const KNOWN_WORKDIRS: &[(&str, &str)] = &[
    ("golang", "/go"),
    ("tomcat", "/usr/local/tomcat"),
    ("httpd", "/usr/local/apache2"),
    ("php", "/var/www/html"),
    ("wordpress", "/var/www/html"),
    ("nextcloud", "/var/www/html"),
    ("drupal", "/opt/drupal"),
    ("composer", "/app"),
    ("ghost", "/var/lib/ghost"),
    ("redmine", "/usr/src/redmine"),
];

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

    /// The WORKDIR a well-known image sets (Docker official images), when it sets one.
    pub fn known_workdir(&self) -> Option<&'static str> {
        if self.registry.as_deref().is_some_and(|r| r != "docker.io") {
            return None;
        }
        let repo = self
            .repository
            .strip_prefix("library/")
            .unwrap_or(&self.repository);
        KNOWN_WORKDIRS
            .iter()
            .find(|(r, _)| *r == repo)
            .map(|(_, w)| *w)
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
}
