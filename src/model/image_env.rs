//! The ENV variables well-known base images set, as data: what `$X` a stage may use without
//! declaring it, which BuildKit learns by pulling the image and dlint knows without a network.
//!
//! The names come from the images' published Dockerfiles (the Docker official images and the
//! .NET images), over their versions and variants: a name any of them sets counts, so that
//! dlint never calls a variable undefined that some tag of the image defines. `PATH` is not
//! listed: BuildKit defines it for every image. An image not listed here is unknown.

use super::ImageRef;

/// Variables of the Java images (`eclipse-temurin`, `openjdk`, `amazoncorretto`, ...) and
/// the images built on them (`maven`, `gradle`, `tomcat`, `clojure`).
const JAVA: &[&str] = &[
    "CA_CERTIFICATES_JAVA_VERSION",
    "JAVA_ALPINE_VERSION",
    "JAVA_BASE_URL",
    "JAVA_DEBIAN_VERSION",
    "JAVA_HOME",
    "JAVA_SHA256",
    "JAVA_TOOL_OPTIONS",
    "JAVA_URL",
    "JAVA_URL_VERSION",
    "JAVA_VERSION",
    "LANG",
    "LANGUAGE",
    "LC_ALL",
];

const GOLANG: &[&str] = &[
    "GIT_DOWNLOAD_SHA256",
    "GIT_DOWNLOAD_URL",
    "GIT_TAG",
    "GIT_VERSION",
    "GOLANG_BOOTSTRAP_SHA1",
    "GOLANG_BOOTSTRAP_URL",
    "GOLANG_BOOTSTRAP_VERSION",
    "GOLANG_COMMIT",
    "GOLANG_DOWNLOAD_SHA256",
    "GOLANG_DOWNLOAD_URL",
    "GOLANG_SRC_SHA256",
    "GOLANG_SRC_URL",
    "GOLANG_VERSION",
    "GOPATH",
    "GOTOOLCHAIN",
];

const PYTHON: &[&str] = &[
    "GPG_KEY",
    "LANG",
    "PYTHONIOENCODING",
    "PYTHON_GET_PIP_SHA256",
    "PYTHON_GET_PIP_URL",
    "PYTHON_PIP_VERSION",
    "PYTHON_RELEASE",
    "PYTHON_SETUPTOOLS_VERSION",
    "PYTHON_SHA256",
    "PYTHON_VERSION",
    "PYTHON_WHEEL_VERSION",
];

const PYPY: &[&str] = &[
    "LANG",
    "PYPY_VERSION",
    "PYTHONIOENCODING",
    "PYTHON_GET_PIP_SHA256",
    "PYTHON_GET_PIP_URL",
    "PYTHON_PIP_VERSION",
    "PYTHON_SETUPTOOLS_VERSION",
];

const NODE: &[&str] = &[
    "NODE_VERSION",
    "NPM_CONFIG_LOGLEVEL",
    "NPM_VERSION",
    "YARN_VERSION",
];

const RUBY: &[&str] = &[
    "BUNDLER_VERSION",
    "BUNDLE_APP_CONFIG",
    "BUNDLE_BIN",
    "BUNDLE_PATH",
    "BUNDLE_SILENCE_ROOT_WARNING",
    "GEM_HOME",
    "LANG",
    "RUBYGEMS_VERSION",
    "RUBY_DOWNLOAD_SHA256",
    "RUBY_DOWNLOAD_URL",
    "RUBY_MAJOR",
    "RUBY_VERSION",
];

const PHP: &[&str] = &[
    "APACHE_CONFDIR",
    "APACHE_ENVVARS",
    "GPG_KEYS",
    "PHPIZE_DEPS",
    "PHP_ASC_URL",
    "PHP_CFLAGS",
    "PHP_CPPFLAGS",
    "PHP_EXTRA_BUILD_DEPS",
    "PHP_EXTRA_CONFIGURE_ARGS",
    "PHP_INI_DIR",
    "PHP_LDFLAGS",
    "PHP_MD5",
    "PHP_SHA256",
    "PHP_URL",
    "PHP_VERSION",
];

const COMPOSER: &[&str] = &[
    "COMPOSER_ALLOW_SUPERUSER",
    "COMPOSER_HOME",
    "COMPOSER_VERSION",
];

const WORDPRESS: &[&str] = &[
    "WORDPRESS_CLI_GPG_KEY",
    "WORDPRESS_CLI_SHA512",
    "WORDPRESS_CLI_VERSION",
    "WORDPRESS_SHA1",
    "WORDPRESS_VERSION",
];

const RUST: &[&str] = &[
    "CARGO_HOME",
    "RUSTUP_HOME",
    "RUSTUP_VERSION",
    "RUST_VERSION",
];

const MAVEN: &[&str] = &[
    "MAVEN_CONFIG",
    "MAVEN_HOME",
    "MAVEN_VERSION",
    "USER_HOME_DIR",
];

const GRADLE: &[&str] = &[
    "GRADLE_DOWNLOAD_SHA256",
    "GRADLE_HOME",
    "GRADLE_VERSION",
    "JAVA_CURRENT_HOME",
    "JAVA_LTS_HOME",
];

const TOMCAT: &[&str] = &[
    "CATALINA_HOME",
    "GPG_KEYS",
    "LD_LIBRARY_PATH",
    "TOMCAT_ASC_URLS",
    "TOMCAT_MAJOR",
    "TOMCAT_NATIVE_LIBDIR",
    "TOMCAT_SHA512",
    "TOMCAT_TGZ_URLS",
    "TOMCAT_VERSION",
];

const CLOJURE: &[&str] = &[
    "BOOT_AS_ROOT",
    "BOOT_INSTALL",
    "BOOT_VERSION",
    "CLOJURE_CLI_VERSION",
    "CLOJURE_VERSION",
    "LEIN_INSTALL",
    "LEIN_ROOT",
    "LEIN_VERSION",
];

/// `mcr.microsoft.com/dotnet/{runtime-deps,runtime,aspnet,sdk}` (each built on the one
/// before), over .NET Core 1 to .NET 10.
const DOTNET: &[&str] = &[
    "APP_UID",
    "ASPNETCORE_HTTPS_PORTS",
    "ASPNETCORE_HTTP_PORTS",
    "ASPNETCORE_URLS",
    "ASPNETCORE_VERSION",
    "ASPNET_VERSION",
    "DOTNET_CLI_HOME",
    "DOTNET_GENERATE_ASPNET_CERTIFICATE",
    "DOTNET_NOLOGO",
    "DOTNET_NUGET_SIGNATURE_VERIFICATION",
    "DOTNET_ROLL_FORWARD",
    "DOTNET_RUNNING_IN_CONTAINER",
    "DOTNET_SDK_VERSION",
    "DOTNET_SKIP_FIRST_TIME_EXPERIENCE",
    "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT",
    "DOTNET_USE_POLLING_FILE_WATCHER",
    "DOTNET_VERSION",
    "LANG",
    "LC_ALL",
    "NUGET_XMLDOC_MODE",
    "POWERSHELL_DISTRIBUTION_CHANNEL",
];

const ERLANG: &[&str] = &["LANG", "OTP_VERSION", "REBAR3_VERSION", "REBAR_VERSION"];

const ELIXIR: &[&str] = &["ELIXIR_VERSION", "LANG"];

const SWIFT: &[&str] = &[
    "LD_LIBRARY_PATH",
    "OS_MAJOR_VER",
    "OS_MIN_VER",
    "OS_VER",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "SWIFT_BRANCH",
    "SWIFT_PLATFORM",
    "SWIFT_PREFIX",
    "SWIFT_SIGNING_KEY",
    "SWIFT_TAG",
    "SWIFT_VERSION",
    "SWIFT_WEBROOT",
];

const HTTPD: &[&str] = &[
    "HTTPD_PATCHES",
    "HTTPD_PREFIX",
    "HTTPD_SHA256",
    "HTTPD_VERSION",
];

const NGINX: &[&str] = &[
    "DYNPKG_RELEASE",
    "NGINX_VERSION",
    "NJS_RELEASE",
    "NJS_VERSION",
    "OTEL_VERSION",
    "PKG_RELEASE",
];

const POSTGRES: &[&str] = &[
    "DOCKER_PG_LLVM_DEPS",
    "GOSU_VERSION",
    "LANG",
    "PGDATA",
    "PG_MAJOR",
    "PG_SHA256",
    "PG_VERSION",
];

const MYSQL: &[&str] = &[
    "GOSU_VERSION",
    "MYSQL_MAJOR",
    "MYSQL_SHELL_VERSION",
    "MYSQL_VERSION",
];

const MARIADB: &[&str] = &["GOSU_VERSION", "LANG", "MARIADB_MAJOR", "MARIADB_VERSION"];

const REDIS: &[&str] = &[
    "GOSU_VERSION",
    "REDIS_DOWNLOAD_SHA",
    "REDIS_DOWNLOAD_URL",
    "REDIS_VERSION",
];

const MONGO: &[&str] = &[
    "GLIBC_TUNABLES",
    "GOSU_VERSION",
    "GPG_KEYS",
    "HOME",
    "JSYAML_CHECKSUM",
    "JSYAML_VERSION",
    "MONGO_DOWNLOAD_SHA256",
    "MONGO_DOWNLOAD_URL",
    "MONGO_MAJOR",
    "MONGO_PACKAGE",
    "MONGO_REPO",
    "MONGO_VERSION",
];

const MEMCACHED: &[&str] = &["MEMCACHED_SHA1", "MEMCACHED_VERSION"];

const DOCKER: &[&str] = &[
    "DIND_COMMIT",
    "DOCKER_BUILDX_VERSION",
    "DOCKER_CHANNEL",
    "DOCKER_COMPOSE_VERSION",
    "DOCKER_HOST",
    "DOCKER_TLS_CERTDIR",
    "DOCKER_URL",
    "DOCKER_VERSION",
];

const JULIA: &[&str] = &["JULIA_GPG", "JULIA_PATH", "JULIA_VERSION"];

const DART: &[&str] = &["DART_SDK"];

const BASH: &[&str] = &[
    "_BASH_BASELINE",
    "_BASH_BASELINE_PATCH",
    "_BASH_COMMIT",
    "_BASH_GPG_KEY",
    "_BASH_LATEST_PATCH",
    "_BASH_PATCH_LEVEL",
    "_BASH_VERSION",
];

const GCC: &[&str] = &["GCC_MIRRORS", "GCC_VERSION", "GPG_KEYS"];

const R_BASE: &[&str] = &["LANG", "LC_ALL", "R_BASE_VERSION"];

const HASKELL: &[&str] = &["LANG"];

const PERL: &[&str] = &["PERL_CPANM_OPT"];

const FEDORA: &[&str] = &["DISTTAG", "FBR", "FGC"];

/// Images by name (Docker Hub names without `library/`) and the variables they set, beyond
/// `PATH`. Images that set nothing else are listed with none.
const IMAGES: &[(&[&str], &[&[&str]])] = &[
    (
        &[
            "almalinux",
            "alpine",
            "amazonlinux",
            "buildpack-deps",
            "busybox",
            "centos",
            "debian",
            "oraclelinux",
            "rockylinux",
            "rockylinux/rockylinux",
            "ubuntu",
        ],
        &[],
    ),
    (&["fedora"], &[FEDORA]),
    (&["golang"], &[GOLANG]),
    (&["python"], &[PYTHON]),
    (&["pypy"], &[PYPY]),
    (&["node"], &[NODE]),
    (&["ruby"], &[RUBY]),
    (&["php"], &[PHP]),
    (&["composer"], &[PHP, COMPOSER]),
    (&["wordpress"], &[PHP, WORDPRESS]),
    (&["rust"], &[RUST]),
    (
        &[
            "adoptopenjdk",
            "amazoncorretto",
            "eclipse-temurin",
            "java",
            "openjdk",
        ],
        &[JAVA],
    ),
    (&["maven"], &[JAVA, MAVEN]),
    (&["gradle"], &[JAVA, GRADLE]),
    (&["tomcat"], &[JAVA, TOMCAT]),
    (&["clojure"], &[JAVA, CLOJURE]),
    (&["erlang"], &[ERLANG]),
    (&["elixir"], &[ERLANG, ELIXIR]),
    (&["swift"], &[SWIFT]),
    (&["httpd"], &[HTTPD]),
    (&["nginx"], &[NGINX]),
    (&["postgres"], &[POSTGRES]),
    (&["mysql"], &[MYSQL]),
    (&["mariadb"], &[MARIADB]),
    (&["redis"], &[REDIS]),
    (&["mongo"], &[MONGO]),
    (&["memcached"], &[MEMCACHED]),
    (&["docker"], &[DOCKER]),
    (&["julia"], &[JULIA]),
    (&["dart"], &[DART]),
    (&["bash"], &[BASH]),
    (&["gcc"], &[GCC]),
    (&["r-base"], &[R_BASE]),
    (&["haskell"], &[HASKELL]),
    (&["perl"], &[PERL]),
    (
        &[
            "mcr.microsoft.com/dotnet/aspnet",
            "mcr.microsoft.com/dotnet/core/aspnet",
            "mcr.microsoft.com/dotnet/core/runtime",
            "mcr.microsoft.com/dotnet/core/runtime-deps",
            "mcr.microsoft.com/dotnet/core/sdk",
            "mcr.microsoft.com/dotnet/nightly/aspnet",
            "mcr.microsoft.com/dotnet/nightly/runtime",
            "mcr.microsoft.com/dotnet/nightly/runtime-deps",
            "mcr.microsoft.com/dotnet/nightly/sdk",
            "mcr.microsoft.com/dotnet/runtime",
            "mcr.microsoft.com/dotnet/runtime-deps",
            "mcr.microsoft.com/dotnet/sdk",
        ],
        &[DOTNET],
    ),
];

/// Docker Hub namespaces holding one architecture of the official images (`arm64v8/alpine`),
/// with the platform they are built for.
pub const ARCH_NAMESPACES: &[(&str, &str, &str)] = &[
    ("amd64", "linux", "amd64"),
    ("arm32v5", "linux", "arm"),
    ("arm32v6", "linux", "arm"),
    ("arm32v7", "linux", "arm"),
    ("arm64v8", "linux", "arm64"),
    ("i386", "linux", "386"),
    ("mips64le", "linux", "mips64le"),
    ("ppc64le", "linux", "ppc64le"),
    ("riscv64", "linux", "riscv64"),
    ("s390x", "linux", "s390x"),
    ("windows-amd64", "windows", "amd64"),
];

/// What dlint knows of the variables an image sets.
#[derive(Debug, Clone, Copy)]
pub struct ImageEnv {
    lists: &'static [&'static [&'static str]],
}

impl ImageEnv {
    /// Whether the image sets `name` (`PATH` aside, which every image has).
    pub fn sets(&self, name: &str) -> bool {
        self.lists.iter().any(|l| l.contains(&name))
    }

    /// Every name it sets (for "did you mean").
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.lists.iter().flat_map(|l| l.iter().copied())
    }
}

/// The official image's name an image reference stands for: Docker Hub's names, its mirrors
/// (`mirror.gcr.io`, `public.ecr.aws/docker/library`) and per-architecture namespaces
/// (`arm64v8/alpine`) lead to the same image; other registries keep their host
/// (`mcr.microsoft.com/dotnet/sdk`).
pub fn official_name(img: &ImageRef) -> String {
    let registry = img.registry.as_deref().map(str::to_ascii_lowercase);
    let repo = img.repository.as_str();
    let hub = match registry.as_deref() {
        None | Some("mirror.gcr.io") => true,
        Some(r) => super::image::is_docker_hub_name(r),
    };
    let repo = if hub {
        repo
    } else if registry.as_deref() == Some("public.ecr.aws") {
        match repo.strip_prefix("docker/library/") {
            Some(r) => r,
            None => return img.name(),
        }
    } else {
        return img.name();
    };
    let repo = repo.strip_prefix("library/").unwrap_or(repo);
    match repo.split_once('/') {
        Some((ns, rest))
            if !rest.contains('/') && ARCH_NAMESPACES.iter().any(|(n, _, _)| *n == ns) =>
        {
            rest.to_string()
        }
        _ => repo.to_string(),
    }
}

/// The platform of an image from a per-architecture namespace (`arm64v8/alpine`: `linux`,
/// `arm64`).
pub fn namespace_platform(img: &ImageRef) -> Option<(&'static str, &'static str)> {
    let hub = img.registry.as_deref().is_none_or(|r| {
        r.eq_ignore_ascii_case("mirror.gcr.io") || super::image::is_docker_hub_name(r)
    });
    let (ns, rest) = img.repository.split_once('/').filter(|_| hub)?;
    if rest.contains('/') {
        return None;
    }
    ARCH_NAMESPACES
        .iter()
        .find(|(n, _, _)| *n == ns)
        .map(|(_, os, arch)| (*os, *arch))
}

/// The variables a well-known image sets; `None` when dlint does not know the image.
pub fn image_env(img: &ImageRef) -> Option<ImageEnv> {
    let name = official_name(img);
    IMAGES
        .iter()
        .find(|(names, _)| names.contains(&name.as_str()))
        .map(|(_, lists)| ImageEnv { lists })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(text: &str) -> Option<ImageEnv> {
        image_env(&ImageRef::parse(text).unwrap())
    }

    #[test]
    fn official_images_and_their_aliases() {
        assert!(env("golang:1.22-alpine").unwrap().sets("GOPATH"));
        assert!(env("docker.io/library/golang").unwrap().sets("GOPATH"));
        assert!(env("mirror.gcr.io/library/python:3")
            .unwrap()
            .sets("PYTHON_VERSION"));
        assert!(env("public.ecr.aws/docker/library/node:20")
            .unwrap()
            .sets("NODE_VERSION"));
        assert!(env("arm32v7/openjdk:8-jre").unwrap().sets("JAVA_HOME"));
        assert!(env("maven:3-eclipse-temurin-21").unwrap().sets("JAVA_HOME"));
        assert!(env("mcr.microsoft.com/dotnet/aspnet:8.0")
            .unwrap()
            .sets("APP_UID"));
        assert!(!env("debian:12").unwrap().sets("HOME"));
        assert!(env("ghcr.io/acme/golang").is_none());
        assert!(env("acme/base").is_none());
    }

    #[test]
    fn the_table_is_sorted_and_unique() {
        for (names, lists) in IMAGES {
            for l in lists.iter() {
                assert!(l.windows(2).all(|w| w[0] < w[1]), "{l:?}");
            }
            for n in names.iter() {
                let hits = IMAGES.iter().filter(|(ns, _)| ns.contains(n)).count();
                assert_eq!(hits, 1, "{n}");
            }
        }
    }
}
