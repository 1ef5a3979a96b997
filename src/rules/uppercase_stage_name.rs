//! `uppercase-stage-name`: a stage name with uppercase letters; BuildKit lowercases stage names.

use std::collections::HashMap;

use super::{Ctx, Report};
use crate::fix::{Edit, Fix};
use crate::model::{valid_stage_name, StageRef, Target};

crate::declare_rule! {
    slug: "uppercase-stage-name",
    codes: [StageNameCasing: "stage names should be lowercase"],
    group: Style,
    severity: Warning,
    // No fix when the lowercase name is another stage's too (`duplicate-stage-name`).
    fix: Sometimes,
    since: "0.4.0",
    summary: "a stage name has uppercase letters",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let text = &ctx.source.text;
    // How many stages have each name, and the references to each stage by name: gathered
    // once, so that a file of many stages costs no more than one pass per stage.
    let mut named: HashMap<&str, usize> = HashMap::new();
    for s in &model.stages {
        if let Some(n) = &s.name {
            *named.entry(n.as_str()).or_default() += 1;
        }
    }
    let mut refs: HashMap<usize, Vec<&StageRef>> = HashMap::new();
    for r in &model.stage_refs {
        if let Target::Named(i) | Target::Later(i) = r.target {
            refs.entry(i).or_default().push(r);
        }
    }
    for stage in &model.stages {
        let Some(range) = &stage.name_range else {
            continue;
        };
        let Some(alias) = model.instructions[stage.from].words().get(2) else {
            continue;
        };
        // A name BuildKit refuses stops the build before any check runs (BuildKit reads FROM's
        // words as written: quotes are part of the name).
        let name = &alias.value;
        if alias.raw != *name
            || !valid_stage_name(name)
            || !name.bytes().any(|b| b.is_ascii_uppercase())
        {
            continue;
        }
        let lower = name.to_ascii_lowercase();
        let d = out.report(
            range.clone(),
            format!("stage name `{name}` should be lowercase"),
        );
        if named.get(lower.as_str()).copied().unwrap_or(0) > 1 {
            d.help(format!(
                "BuildKit reads it as `{lower}`, which names another stage too: rename one of them"
            ));
            continue;
        }
        // A name split over lines is left to be rewritten by hand.
        if text.get(range.clone()) != Some(name.as_str()) {
            d.help(format!("write `{lower}`"));
            continue;
        }
        // The name and the references to it by name, as written: ones through variables or in
        // quotes still match (BuildKit compares stage names case-insensitively) and are left
        // alone, as is a reference whose range is more than its name (a mount flag split over
        // lines).
        let mut edits = vec![Edit::replace(range.clone(), lower.clone())];
        for r in refs.get(&stage.index).into_iter().flatten() {
            let written = text.get(r.range.clone());
            if written.is_some_and(|t| t.eq_ignore_ascii_case(&lower) && t != lower) {
                edits.push(Edit::replace(r.range.clone(), lower.clone()));
            }
        }
        d.help(format!(
            "BuildKit reads it as `{lower}` (stage names are not case-sensitive): write `{lower}`"
        ))
        .fix(Some(Fix::safe(
            format!("rename the stage to `{lower}`"),
            edits,
        )));
    }
}
