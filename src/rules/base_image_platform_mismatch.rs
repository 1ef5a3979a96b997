//! `base-image-platform-mismatch`: `FROM --platform` asks for an OS or architecture the base
//! image is known not to have (a Windows image on `linux/...`, `arm64v8/alpine` on `amd64`).

use super::{Ctx, Report};
use crate::model::image_env::{namespace_platform, official_name};
use crate::model::{Base, ImageRef};

crate::declare_rule! {
    slug: "base-image-platform-mismatch",
    codes: [InvalidBaseImagePlatform: "base image platform does not match expected target platform"],
    group: Correctness,
    severity: Warning,
    fix: None,
    since: "0.4.0",
    summary: "`FROM --platform` asks for an OS or architecture the base image does not have",
    hooks: { file: check },
}

/// Official images published for Linux only (no Windows variant on Docker Hub).
const LINUX_ONLY: &[&str] = &[
    "almalinux",
    "alpine",
    "amazonlinux",
    "bash",
    "buildpack-deps",
    "busybox",
    "centos",
    "clojure",
    "composer",
    "debian",
    "fedora",
    "gcc",
    "haskell",
    "httpd",
    "mariadb",
    "memcached",
    "mysql",
    "nginx",
    "oraclelinux",
    "perl",
    "php",
    "r-base",
    "redis",
    "rockylinux",
    "ruby",
    "rust",
    "tomcat",
    "ubuntu",
    "wordpress",
];

/// Tag parts that name a Linux distribution: such a tag is a Linux image.
const LINUX_TAGS: &[&str] = &[
    "alpine", "bookworm", "bullseye", "buster", "jammy", "focal", "noble", "bionic", "trixie",
    "slim",
];

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    for stage in &model.stages {
        let Base::Image(img) = &stage.base else {
            continue;
        };
        let from = &model.instructions[stage.from];
        let Some(flag) = from.flag("platform") else {
            continue;
        };
        let Some(raw) = flag.value.as_deref() else {
            continue;
        };
        // Decidable only for the value of a default build: constants and global ARG defaults.
        let Some(value) = model.contexts[stage.from]
            .scope
            .expand(raw, model.escape)
            .filter(|v| !v.contains(','))
        else {
            continue;
        };
        let Some(wanted) = Platform::parse(&value) else {
            continue;
        };
        let Some((os, arch)) = image_platform(img) else {
            continue;
        };
        let os_differs = wanted.os.as_deref().is_some_and(|w| w != os);
        let arch_differs = matches!((&wanted.arch, arch), (Some(w), Some(a)) if w != a);
        if !os_differs && !arch_differs {
            continue;
        }
        let built = match arch {
            Some(a) => format!("{os}/{a}"),
            None => os.to_string(),
        };
        out.report(
            flag.range.clone(),
            format!(
                "`--platform={value}` does not match `{}`, which is built for {built}",
                stage.base_text
            ),
        )
        .help(if os_differs {
            "the image has no variant for that OS: pulling it fails or gives an image that cannot run"
        } else {
            "the image has only that architecture: pick the image for the platform, or drop the flag"
        });
    }
}

/// What dlint knows of an image's platform: its OS, and its architecture when fixed.
fn image_platform(img: &ImageRef) -> Option<(&'static str, Option<&'static str>)> {
    if let Some((os, arch)) = namespace_platform(img) {
        return Some((os, Some(arch)));
    }
    if img.is_windows() {
        return Some(("windows", None));
    }
    let name = official_name(img);
    let tag = img.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    let linux_tag = tag
        .split(['-', '.', '_'])
        .any(|part| LINUX_TAGS.iter().any(|t| part.starts_with(t)));
    (LINUX_ONLY.contains(&name.as_str()) || linux_tag).then_some(("linux", None))
}

/// A `--platform` value, normalised as the registry matches it.
struct Platform {
    os: Option<String>,
    arch: Option<String>,
}

impl Platform {
    fn parse(value: &str) -> Option<Platform> {
        let lower = value.to_ascii_lowercase();
        let parts: Vec<&str> = lower.split('/').collect();
        let (os, arch) = match parts.as_slice() {
            [one] if is_os(one) => (Some(*one), None),
            [one] => (None, Some(*one)),
            [os, arch] | [os, arch, _] => (Some(*os), Some(*arch)),
            _ => return None,
        };
        if os.is_some_and(|o| !is_os(o)) {
            return None;
        }
        Some(Platform {
            os: os.map(str::to_string),
            arch: arch.map(normal_arch),
        })
    }
}

fn is_os(s: &str) -> bool {
    matches!(s, "linux" | "windows" | "darwin" | "freebsd")
}

fn normal_arch(a: &str) -> String {
    match a {
        "x86_64" | "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" | "armel" => "arm",
        "i386" | "i686" => "386",
        other => other,
    }
    .to_string()
}
