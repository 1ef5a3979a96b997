//! `unnamed-stage`: a stage referenced by its number instead of a name.

use super::{Ctx, Report};
use crate::fix::{edits, Edit, Fix};
use crate::model::{Base, Dockerfile, RefKind, Stage, Target};
use crate::syntax::Keyword;

crate::declare_rule! {
    slug: "unnamed-stage",
    codes: [],
    group: Style,
    severity: Warning,
    // A `--mount=from=0` whose value has no exact range (quoted, split over lines) gets no fix.
    fix: Sometimes,
    since: "0.1.0",
    summary: "a stage is referenced by its index (`--from=0`) instead of a name",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let names = assign_names(model);
    // One fix per stage, shared by all its references.
    let mut fixes: std::collections::HashMap<usize, Option<Fix>> = Default::default();
    let mut by_stage: std::collections::HashMap<usize, Vec<&crate::model::StageRef>> =
        Default::default();
    for r in &model.stage_refs {
        if let Target::Index(n) = r.target {
            by_stage.entry(n).or_default().push(r);
        }
    }
    for r in &model.stage_refs {
        // Only references by number; names and images are other rules' business.
        let Target::Index(n) = r.target else {
            continue;
        };
        let stage = &model.stages[n];
        let flag = match r.kind {
            RefKind::MountFrom => "--mount=from=",
            _ => "--from=",
        };
        let name = stage
            .name
            .clone()
            .or_else(|| names.get(&n).cloned())
            .unwrap_or_default();
        let d = out.report(
            r.range.clone(),
            format!("stage `{n}` is referenced by its index"),
        );
        let d = match &stage.name {
            Some(name) => d.help(format!("stage {n} is named `{name}`: write `{flag}{name}`")),
            None => d.help(format!(
                "name the stage (`FROM {} AS {name}`) and write `{flag}{name}`; indexes change when stages are added",
                stage.base_text
            )),
        };
        let from = &model.instructions[stage.from];
        let d = d.label(from.range.clone(), format!("stage {n} starts here"));
        let fix = fixes
            .entry(n)
            .or_insert_with(|| name_fix(model, n, &name, &by_stage[&n]))
            .clone();
        d.fix(fix);
    }
}

/// Name stage `n` (when it has no name) and rewrite every numeric reference to it: one fix,
/// shared by all of that stage's references.
fn name_fix(
    model: &Dockerfile,
    n: usize,
    name: &str,
    refs: &[&crate::model::StageRef],
) -> Option<Fix> {
    let stage = &model.stages[n];
    let mut edits: Vec<Edit> = Vec::new();
    if stage.name.is_none() {
        edits.push(edits::add_stage_name(model, stage, name)?);
    }
    for r in refs {
        // A mount flag split over lines has no exact range for its value: leave it to a later pass.
        let inst = &model.instructions[r.instruction];
        if r.kind == RefKind::MountFrom && inst.flags.iter().any(|f| f.range == r.range) {
            return None;
        }
        edits.push(Edit::replace(r.range.clone(), name));
    }
    let title = match stage.name {
        Some(_) => format!("refer to stage {n} by its name `{name}`"),
        None => format!("name stage {n} `{name}` and refer to it by name"),
    };
    Some(Fix::safe(title, edits))
}

/// Names never used for a generated stage name.
const RESERVED: &[&str] = &["scratch", "context", "local", "default"];

/// New names for every unnamed stage referenced by number, chosen together so that fixes
/// applied in one pass never give two stages the same name.
fn assign_names(model: &Dockerfile) -> std::collections::HashMap<usize, String> {
    let mut names = std::collections::HashMap::new();
    let mut wanted: Vec<usize> = model
        .stage_refs
        .iter()
        .filter_map(|r| match r.target {
            Target::Index(n) if model.stages[n].name.is_none() => Some(n),
            _ => None,
        })
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    if wanted.is_empty() {
        return names;
    }
    // Every name in use: stage names, images and references (a stage named like an image
    // would shadow it in later `FROM`s), and the names given so far.
    let mut taken: std::collections::HashSet<String> =
        RESERVED.iter().map(|s| s.to_string()).collect();
    for s in &model.stages {
        taken.extend(s.name.clone());
        taken.insert(s.base_text.to_ascii_lowercase());
    }
    taken.extend(
        model
            .stage_refs
            .iter()
            .map(|r| r.value.to_ascii_lowercase()),
    );
    for n in wanted {
        let name = new_name(model, &model.stages[n], &taken);
        taken.insert(name.clone());
        names.insert(n, name);
    }
    names
}

/// A meaningful, unused name for a stage: `builder`/`build` for stages that run commands,
/// `<image>-builder`, `<image>-base`, then `stage-N`.
fn new_name(
    model: &Dockerfile,
    stage: &Stage,
    taken: &std::collections::HashSet<String>,
) -> String {
    let runs = model
        .stage_body(stage)
        .any(|(_, i)| i.keyword == Keyword::Run);
    let image = match &stage.base {
        Base::Image(img) => Some(
            img.repository
                .rsplit('/')
                .next()
                .unwrap_or("")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>(),
        ),
        _ => None,
    }
    .filter(|s| !s.is_empty());
    let mut candidates: Vec<String> = Vec::new();
    if runs {
        candidates.push("builder".into());
        candidates.push("build".into());
        if let Some(img) = &image {
            candidates.push(format!("{img}-builder"));
        }
    } else if let Some(img) = &image {
        candidates.push(format!("{img}-base"));
    }
    candidates.push(format!("stage-{}", stage.index));
    candidates
        .into_iter()
        .find(|c| !taken.contains(c))
        .unwrap_or_else(|| {
            (stage.index..)
                .map(|i| format!("stage-{i}-{}", model.stages.len()))
                .find(|c| !taken.contains(c))
                .unwrap_or_default()
        })
}
