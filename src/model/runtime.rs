//! What well-known images give a program at run time: the C library a dynamically linked binary
//! finds there, whether a build image has a C compiler (Go turns cgo on when it does), and the
//! runtime image that pairs with a JDK image. Facts come from the images' published
//! Dockerfiles; images not listed are unknown (`None`), never guessed.

use super::ImageRef;

/// A C library, as a dynamically linked binary needs it (its loader and `libc.so`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Libc {
    Glibc,
    Musl,
}

impl Libc {
    pub fn name(self) -> &'static str {
        match self {
            Libc::Glibc => "glibc",
            Libc::Musl => "musl",
        }
    }
}

/// The shared libraries a runtime image provides to a dynamically linked binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedLibs {
    /// `None`: no C library at all (`scratch`, static distroless, `busybox:musl`).
    pub libc: Option<Libc>,
    /// `libgcc_s` and `libstdc++`, which Rust and C++ programs are linked against.
    pub gcc_runtime: bool,
}

/// Registries that mirror Docker Hub's official images under the same names.
const HUB_MIRRORS: &[&str] = &["mirror.gcr.io/", "public.ecr.aws/docker/library/"];

/// The repository as Docker Hub names it (`busybox` for `mirror.gcr.io/busybox`).
fn hub_name(image: &ImageRef) -> String {
    let name = image.short_name();
    for m in HUB_MIRRORS {
        if let Some(rest) = name.strip_prefix(m) {
            return rest.strip_prefix("library/").unwrap_or(rest).to_string();
        }
    }
    name
}

fn tag(image: &ImageRef) -> String {
    image
        .tag
        .as_deref()
        .unwrap_or("latest")
        .to_ascii_lowercase()
}

/// What a runtime image provides, for the images whose contents are known: static distroless
/// and Chainguard images (nothing), distroless `base` (glibc only) and `cc`, `busybox` (its
/// default and `glibc` variants copy glibc in, `musl` and `uclibc` are static), and Alpine
/// (musl). `None` for anything else (a full distribution: assume it has what a binary needs).
pub fn shared_libs(image: &ImageRef) -> Option<SharedLibs> {
    let name = hub_name(image);
    let tag = tag(image);
    let libs = |libc, gcc_runtime| Some(SharedLibs { libc, gcc_runtime });
    if let Some(flavour) = name.strip_prefix("gcr.io/distroless/") {
        return if flavour.starts_with("static") {
            libs(None, false)
        } else if flavour.starts_with("base") {
            libs(Some(Libc::Glibc), false)
        } else {
            // `cc` and the language images built on it.
            None
        };
    }
    match name.as_str() {
        "cgr.dev/chainguard/static" => return libs(None, false),
        "busybox" => {
            return if tag.contains("musl") || tag.contains("uclibc") {
                libs(None, false)
            } else {
                // The default tags are the glibc variant: glibc and libnss, no libgcc_s.
                libs(Some(Libc::Glibc), false)
            };
        }
        _ => {}
    }
    if name.contains("glibc") || tag.contains("glibc") {
        return None;
    }
    if name == "alpine" || name.ends_with("/alpine") || tag.split('-').any(is_alpine) {
        return libs(Some(Libc::Musl), name != "alpine");
    }
    None
}

/// `alpine`, `alpine3.19`.
fn is_alpine(part: &str) -> bool {
    part.strip_prefix("alpine")
        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Images known to be built on glibc (Debian, Ubuntu and the RPM distributions, and the
/// language images built on them).
const GLIBC_IMAGES: &[&str] = &[
    "debian",
    "ubuntu",
    "buildpack-deps",
    "golang",
    "rust",
    "gcc",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "oraclelinux",
    "archlinux",
    "python",
    "node",
    "openjdk",
    "eclipse-temurin",
    "maven",
    "gradle",
    "swift",
    "mcr.microsoft.com/dotnet/sdk",
    "registry.access.redhat.com/ubi8",
    "registry.access.redhat.com/ubi9",
    "redhat/ubi8",
    "redhat/ubi9",
];

/// The C library programs built in `image` link against, when known.
pub fn build_libc(image: &ImageRef) -> Option<Libc> {
    let name = hub_name(image);
    let tag = tag(image);
    if name == "alpine" || name.ends_with("/alpine") || tag.split('-').any(is_alpine) {
        return Some(Libc::Musl);
    }
    if image.is_windows() {
        return None;
    }
    GLIBC_IMAGES
        .iter()
        .any(|g| name == *g)
        .then_some(Libc::Glibc)
}

/// Whether `image` has a C compiler on PATH: the official `golang` (Debian variants), `gcc`,
/// `rust` and full `buildpack-deps` images do.
pub fn has_c_compiler(image: &ImageRef) -> bool {
    let name = hub_name(image);
    let tag = tag(image);
    if image.is_windows() || tag.split('-').any(is_alpine) {
        return false;
    }
    match name.as_str() {
        "gcc" => true,
        // `slim` variants of rust keep gcc (rustc needs a linker).
        "rust" => true,
        "golang" => true,
        "buildpack-deps" => !tag.contains("curl") && !tag.contains("scm"),
        _ => false,
    }
}

/// Java major versions Eclipse Temurin publishes images for.
fn temurin_has(major: u32) -> bool {
    major == 8 || major == 11 || major >= 16
}

/// The leading number of `s` (`17` in `17.0.2_8-jdk`).
fn leading_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// `version` and the rest of a tag (`11.0.7` and `-slim` in `11.0.7-slim`).
fn split_version(tag: &str) -> (&str, &str) {
    let end = tag
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '+'))
        .unwrap_or(tag.len());
    tag.split_at(end)
}

/// A JDK tag turned into the same repository's JRE tag: `jdk` becomes `jre`, or `-jre` goes
/// after the version (`11.0.7-slim` -> `11.0.7-jre-slim`).
fn jre_tag(tag: &str) -> Option<String> {
    if tag.contains("jre") {
        return None;
    }
    if tag.contains("jdk") {
        return Some(tag.replacen("jdk", "jre", 1));
    }
    let (version, rest) = split_version(tag);
    if version.is_empty() || !version.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("{version}-jre{rest}"))
}

/// Distribution suffixes Temurin's JRE tags come in.
const TEMURIN_SUFFIXES: &[&str] = &["alpine", "focal", "jammy", "noble"];

/// `eclipse-temurin:<major>-jre`, with a distribution `rest` names (`-alpine`, `-jammy`).
fn temurin_jre(major: u32, rest: &str) -> Option<String> {
    if !temurin_has(major) {
        return None;
    }
    let suffix = rest
        .split('-')
        .find(|p| TEMURIN_SUFFIXES.contains(p) || is_alpine(p))
        .map(|p| if is_alpine(p) { "alpine" } else { p });
    Some(match suffix {
        Some(s) => format!("eclipse-temurin:{major}-jre-{s}"),
        None => format!("eclipse-temurin:{major}-jre"),
    })
}

/// The JRE image for a JDK image `openjdk:<tag>`: the same repository up to Java 11 (later
/// versions have no JRE tags), Temurin's JRE after.
fn openjdk_jre(major: u32, tag: &str) -> Option<String> {
    if major <= 11 {
        return jre_tag(tag).map(|t| format!("openjdk:{t}"));
    }
    temurin_jre(major, tag)
}

/// The number after `marker` in `tag` (`21` for `-temurin-` in `3.9-eclipse-temurin-21-noble`).
fn number_after(tag: &str, marker: &str) -> Option<(u32, String)> {
    let at = tag.find(marker)? + marker.len();
    let rest = &tag[at..];
    let n = leading_number(rest)?;
    let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    Some((n, after.to_string()))
}

/// The runtime image that pairs with a JDK image (or a Maven or Gradle image, by the JDK its
/// tag names): the same vendor's JRE where it publishes one (`eclipse-temurin:21-jdk-jammy` ->
/// `eclipse-temurin:21-jre-jammy`, `amazoncorretto:21` -> `amazoncorretto:21-al2023-headless`),
/// Temurin's JRE of the same version otherwise; `None` when the version is not in the tag or
/// no JRE image of it exists.
pub fn jre_for(image: &ImageRef) -> Option<String> {
    if image.digest.is_some() {
        return None;
    }
    let name = hub_name(image);
    let tag = tag(image);
    match name.as_str() {
        "eclipse-temurin" | "sapmachine" | "ibm-semeru-runtimes" | "adoptopenjdk" => {
            if tag == "latest" {
                return None;
            }
            jre_tag(&tag).map(|t| format!("{name}:{t}"))
        }
        "amazoncorretto" => corretto_jre(&tag),
        "openjdk" => openjdk_jre(leading_number(&tag)?, &tag),
        "maven" => {
            if let Some((n, rest)) = number_after(&tag, "eclipse-temurin-") {
                return temurin_jre(n, &rest);
            }
            if let Some((n, rest)) = number_after(&tag, "amazoncorretto-") {
                return corretto_jre(&format!("{n}{rest}"));
            }
            if let Some((n, rest)) = number_after(&tag, "sapmachine-") {
                return Some(format!("sapmachine:{n}-jre{rest}"));
            }
            if let Some((n, rest)) = number_after(&tag, "ibm-semeru-") {
                return Some(format!("ibm-semeru-runtimes:open-{n}-jre{rest}"));
            }
            for marker in ["openjdk-", "jdk-"] {
                if let Some((n, rest)) = number_after(&tag, marker) {
                    return openjdk_jre(n, &format!("{n}{rest}"));
                }
            }
            None
        }
        "gradle" => {
            if ["graal", "corretto", "ubi", "semeru"]
                .iter()
                .any(|v| tag.contains(v))
            {
                return None;
            }
            let (n, rest) = number_after(&tag, "jdk")?;
            temurin_jre(n, &rest)
        }
        _ => None,
    }
}

/// Amazon Corretto's runtime tags: `<version>-al2023-headless` (11 and later),
/// `<version>-al2023-jre` and `8-alpine<release>-jre` for 8; Temurin's Alpine JRE for later
/// Alpine tags, which Corretto publishes no runtime of.
fn corretto_jre(tag: &str) -> Option<String> {
    // The Debian variants have no runtime tags.
    if tag.contains("headless") || tag.contains("jre") || tag.contains("debian") {
        return None;
    }
    let major = leading_number(tag)?;
    let (version, rest) = split_version(tag);
    if rest.split('-').any(is_alpine) {
        if major != 8 {
            return temurin_jre(major, rest);
        }
        let base = tag.trim_end_matches("-jdk").trim_end_matches("-full");
        return Some(format!("amazoncorretto:{base}-jre"));
    }
    match major {
        8 => Some(format!("amazoncorretto:{version}-al2023-jre")),
        m if m >= 11 => Some(format!("amazoncorretto:{version}-al2023-headless")),
        _ => None,
    }
}

/// Whether `image` is a JDK that the converter's recipes do not list as one: Temurin and
/// SapMachine tags that name no variant are JDKs (`eclipse-temurin:21`, `21-alpine`).
pub fn is_unmarked_jdk(image: &ImageRef) -> bool {
    let name = hub_name(image);
    let tag = tag(image);
    matches!(name.as_str(), "eclipse-temurin" | "sapmachine")
        && tag != "latest"
        && !tag.contains("jre")
        && !tag.contains("jdk")
        && tag.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a JDK-family image is in fact a runtime: Corretto's `headless` and `jre` tags.
pub fn is_jre(image: &ImageRef) -> bool {
    let tag = tag(image);
    tag.contains("jre") || (hub_name(image) == "amazoncorretto" && tag.contains("headless"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn img(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap()
    }

    #[test]
    fn runtime_libraries() {
        let none = Some(SharedLibs {
            libc: None,
            gcc_runtime: false,
        });
        assert_eq!(shared_libs(&img("gcr.io/distroless/static-debian12")), none);
        assert_eq!(shared_libs(&img("gcr.io/distroless/static:nonroot")), none);
        assert_eq!(shared_libs(&img("busybox:musl")), none);
        assert_eq!(shared_libs(&img("busybox:1.36-uclibc")), none);
        let glibc_only = Some(SharedLibs {
            libc: Some(Libc::Glibc),
            gcc_runtime: false,
        });
        assert_eq!(shared_libs(&img("busybox")), glibc_only);
        assert_eq!(
            shared_libs(&img("mirror.gcr.io/busybox:latest")),
            glibc_only
        );
        assert_eq!(
            shared_libs(&img("gcr.io/distroless/base-debian12")),
            glibc_only
        );
        assert_eq!(shared_libs(&img("gcr.io/distroless/cc-debian12")), None);
        assert_eq!(
            shared_libs(&img("alpine:3.20")).and_then(|l| l.libc),
            Some(Libc::Musl)
        );
        assert_eq!(
            shared_libs(&img("node:20-alpine3.19")).and_then(|l| l.libc),
            Some(Libc::Musl)
        );
        assert_eq!(shared_libs(&img("frolvlad/alpine-glibc")), None);
        assert_eq!(shared_libs(&img("debian:12-slim")), None);
    }

    #[test]
    fn build_images() {
        assert_eq!(build_libc(&img("golang:1.22")), Some(Libc::Glibc));
        assert_eq!(build_libc(&img("golang:1.22-alpine3.19")), Some(Libc::Musl));
        assert_eq!(build_libc(&img("rust:1-slim-bookworm")), Some(Libc::Glibc));
        assert_eq!(build_libc(&img("ghcr.io/x/y")), None);
        assert!(has_c_compiler(&img("golang:1.22-bookworm")));
        assert!(!has_c_compiler(&img("golang:1.22-alpine")));
        assert!(!has_c_compiler(&img("buildpack-deps:bookworm-curl")));
        assert!(!has_c_compiler(&img("debian:12")));
    }

    #[test]
    fn jre_images() {
        let jre = |s: &str| jre_for(&img(s));
        assert_eq!(
            jre("eclipse-temurin:21-jdk-jammy").as_deref(),
            Some("eclipse-temurin:21-jre-jammy")
        );
        assert_eq!(
            jre("eclipse-temurin:21").as_deref(),
            Some("eclipse-temurin:21-jre")
        );
        assert_eq!(
            jre("amazoncorretto:25").as_deref(),
            Some("amazoncorretto:25-al2023-headless")
        );
        assert_eq!(jre("amazoncorretto:21-al2023-headless"), None);
        assert_eq!(
            jre("amazoncorretto:21.0.8").as_deref(),
            Some("amazoncorretto:21.0.8-al2023-headless")
        );
        assert_eq!(
            jre("amazoncorretto:25.0.1-alpine").as_deref(),
            Some("eclipse-temurin:25-jre-alpine")
        );
        assert_eq!(
            jre("amazoncorretto:8-alpine3.19-jdk").as_deref(),
            Some("amazoncorretto:8-alpine3.19-jre")
        );
        assert_eq!(
            jre("openjdk:11.0.3-jdk-slim").as_deref(),
            Some("openjdk:11.0.3-jre-slim")
        );
        assert_eq!(
            jre("openjdk:11.0.7-slim").as_deref(),
            Some("openjdk:11.0.7-jre-slim")
        );
        assert_eq!(
            jre("openjdk:17.0.2").as_deref(),
            Some("eclipse-temurin:17-jre")
        );
        assert_eq!(jre("openjdk:15"), None);
        assert_eq!(
            jre("maven:3.9.9-eclipse-temurin-24-noble").as_deref(),
            Some("eclipse-temurin:24-jre-noble")
        );
        assert_eq!(
            jre("maven:3.9-eclipse-temurin-17-alpine").as_deref(),
            Some("eclipse-temurin:17-jre-alpine")
        );
        assert_eq!(jre("maven:3.9.6"), None);
        assert_eq!(jre("maven:3-jdk-11").as_deref(), Some("openjdk:11-jre"));
        assert_eq!(
            jre("gradle:8.5-jdk21-jammy").as_deref(),
            Some("eclipse-temurin:21-jre-jammy")
        );
        assert_eq!(jre("gradle:jdk21-graal"), None);
        assert_eq!(jre("eclipse-temurin:21@sha256:abc"), None);
        assert!(is_unmarked_jdk(&img("eclipse-temurin:21-alpine")));
        assert!(!is_unmarked_jdk(&img("eclipse-temurin:21-jre")));
        assert!(is_jre(&img("amazoncorretto:21-al2023-headless")));
    }
}
