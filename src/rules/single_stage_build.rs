//! `single-stage-build`: the shipped stage compiles or builds, so the image carries the toolchain.

use std::collections::BTreeMap;

use super::{Ctx, Report};
use crate::convert;
use crate::fix::Fix;

crate::declare_rule! {
    slug: "single-stage-build",
    codes: [],
    group: Size,
    severity: Warning,
    fix: Sometimes,
    since: "0.2.0",
    summary: "the final image is the stage that builds: it ships the compiler, caches and sources",
    options: Options, top_level: [("convert", "images")],
    hooks: { file: check },
}

/// `[rules.single-stage-build]` (or the top-level `[convert]` table for `images`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[schemars(rename = "SingleStageBuildOptions")]
pub struct Options {
    /// The runtime image the conversion uses, per ecosystem (an image reference such as
    /// `gcr.io/distroless/static-debian12` or `eclipse-temurin:21-jre`).
    #[serde(default)]
    pub images: Images,
}

/// Runtime images by ecosystem.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Images {
    pub go: Option<Image>,
    pub c: Option<Image>,
    pub cpp: Option<Image>,
    pub rust: Option<Image>,
    pub java: Option<Image>,
    /// `.war` files.
    pub java_war: Option<Image>,
    pub node: Option<Image>,
    pub python: Option<Image>,
    pub dotnet: Option<Image>,
}

impl Images {
    /// (recipe key, image) for every image set.
    pub fn by_key(&self) -> BTreeMap<String, String> {
        [
            ("go", &self.go),
            ("c", &self.c),
            ("cpp", &self.cpp),
            ("rust", &self.rust),
            ("java", &self.java),
            ("java-war", &self.java_war),
            ("node", &self.node),
            ("python", &self.python),
            ("dotnet", &self.dotnet),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.0.clone())))
        .collect()
    }
}

/// An image reference (`debian:12-slim`, `gcr.io/distroless/static-debian12`) or `scratch`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, schemars::JsonSchema)]
#[serde(try_from = "String")]
#[schemars(with = "String")]
pub struct Image(pub String);

impl TryFrom<String> for Image {
    type Error = String;
    fn try_from(s: String) -> Result<Image, String> {
        if s == "scratch" || crate::model::ImageRef::parse(&s).is_some() {
            Ok(Image(s))
        } else {
            Err(format!(
                "`{s}` is not an image reference (expected e.g. `debian:12-slim` or `gcr.io/distroless/static-debian12`)"
            ))
        }
    }
}

fn check(ctx: &Ctx, out: &mut Report) {
    let images = ctx.options::<Options>().images.by_key();
    let input = convert::Input {
        source: ctx.source,
        model: ctx.model,
        scripts: ctx.scripts,
        context: ctx.context,
        images: &images,
    };
    let Some(found) = convert::find(&input) else {
        return;
    };
    let mut d = out.report(found.range, found.message);
    if let Some(step) = found.step {
        d = d.label(step, "the build step");
    }
    match found.conversion {
        Ok(c) => {
            d.help(c.note).fix(Some(
                Fix::unsafe_(
                    format!(
                        "convert to a multi-stage build with a `{}` runtime stage",
                        c.runtime
                    ),
                    c.edits,
                )
                .restructuring(),
            ));
        }
        Err(why) => {
            d.help(format!("no automatic conversion: {why}"));
        }
    }
}
