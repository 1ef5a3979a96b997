//! `duplicate-stage-name`: two stages with the same name (compared as BuildKit does,
//! ignoring case).

use std::collections::HashMap;

use super::{Ctx, Report};
use crate::model::valid_stage_name;

crate::declare_rule! {
    slug: "duplicate-stage-name",
    codes: [DuplicateStageName | DL3024: "stage names should be unique"],
    group: Correctness,
    severity: Error,
    fix: None,
    since: "0.4.0",
    summary: "a stage has the name of an earlier stage",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let mut first: HashMap<&str, usize> = HashMap::new();
    for stage in &model.stages {
        let (Some(name), Some(range)) = (&stage.name, &stage.name_range) else {
            continue;
        };
        // A name BuildKit refuses stops the build before any check runs.
        if !valid_stage_name(name) {
            continue;
        }
        let Some(&earlier) = first.get(name.as_str()) else {
            first.insert(name, stage.index);
            continue;
        };
        let e = &model.stages[earlier];
        let written = ctx.source.text.get(range.clone()).unwrap_or(name);
        let d = out
            .report(
                range.clone(),
                format!("stage name `{written}` is already used by stage {earlier}"),
            )
            .help(
                "stage names are not case-sensitive and must be unique: a reference to the name cannot tell the stages apart; rename one of them",
            );
        if let Some(r) = &e.name_range {
            d.label(r.clone(), format!("stage {earlier} is named `{name}` here"));
        }
    }
}
