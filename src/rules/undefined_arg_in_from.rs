//! `undefined-arg-in-from`: `FROM` uses a variable that no `ARG` before the first `FROM`
//! declares.

use std::collections::HashMap;

use super::{Ctx, Report};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::expand::{self, Mode};
use crate::model::scope::AUTOMATIC_ARGS;
use crate::source::TextRange;
use crate::syntax::{Args, Keyword};

crate::declare_rule! {
    slug: "undefined-arg-in-from",
    codes: [UndefinedArgInFrom: "FROM command must use declared ARGs"],
    group: Correctness,
    severity: Warning,
    fix: Sometimes,
    since: "0.4.0",
    summary: "`FROM` uses a variable that no global `ARG` declares",
    hooks: { file: check },
}

fn check(ctx: &Ctx, out: &mut Report) {
    let model = ctx.model;
    let escape = model.escape;
    // `FROM` sees the ARGs before the first `FROM` and BuildKit's platform ARGs.
    let mut declared: Vec<&str> = AUTOMATIC_ARGS.to_vec();
    for &i in &model.global_args {
        if let Args::Pairs(pairs) = &model.instructions[i].args {
            declared.extend(pairs.iter().map(|p| p.key.as_str()));
        }
    }
    declared.sort_unstable();
    declared.dedup();
    // ARGs of stages, for the help: they are not visible to a later `FROM`.
    let mut stage_args: HashMap<&str, usize> = HashMap::new();
    for (i, inst) in model.instructions.iter().enumerate() {
        if let (Keyword::Arg, Args::Pairs(pairs), Some(_)) =
            (inst.keyword, &inst.args, model.contexts[i].stage)
        {
            for p in pairs {
                stage_args.entry(&p.key).or_insert(inst.start_line);
            }
        }
    }
    // "Did you mean" searches left (each is a pass over the declared names).
    let mut suggestions = 200usize;
    for stage in &model.stages {
        let from = &model.instructions[stage.from];
        // A `FROM` BuildKit cannot parse is a syntax error, not this rule's finding.
        if !well_formed(from) {
            continue;
        }
        let mut texts: Vec<(&str, Option<usize>, TextRange)> = Vec::new();
        if let Some(f) = from.flag("platform") {
            if let Some(eq) = f.raw.find('=') {
                let exact = f.range.len() == f.raw.len();
                texts.push((
                    &f.raw[eq + 1..],
                    exact.then_some(f.range.start + eq + 1),
                    f.range.clone(),
                ));
            }
        }
        if let Some(w) = from.words().first() {
            let exact = w.range.len() == w.raw.len();
            texts.push((&w.raw, exact.then_some(w.range.start), w.range.clone()));
        }
        let mut reported: Vec<String> = Vec::new();
        for (text, start, whole) in texts {
            if !text.contains('$') {
                continue;
            }
            let lookup =
                |n: &str| declared.binary_search(&n).is_ok().then(|| "x".to_string());
            let Ok(e) = expand::expand(text, escape, Mode::Word, &lookup) else {
                continue;
            };
            for r in e.refs {
                if r.required
                    || declared.binary_search(&r.name.as_str()).is_ok()
                    || reported.contains(&r.name)
                {
                    continue;
                }
                reported.push(r.name.clone());
                let (range, name_range) = match start {
                    Some(s) => (
                        s + r.range.start..s + r.range.end,
                        Some(s + r.name_range.start..s + r.name_range.end),
                    ),
                    None => (whole.clone(), None),
                };
                let name = &r.name;
                let d = out.report(range, format!("`FROM` uses `${name}`, which no global `ARG` declares"));
                if let Some(line) = stage_args.get(name.as_str()) {
                    d.help(format!(
                        "`ARG {name}` on line {line} is in a stage; only the ARGs before the first `FROM` are visible to `FROM`"
                    ));
                    continue;
                }
                suggestions = suggestions.saturating_sub(1);
                let suggestion = if suggestions > 0 {
                    super::undefined_variable::closest(name, &declared)
                } else {
                    None
                };
                match suggestion {
                    Some((c, distance)) => {
                        let applicability = if distance <= 1 {
                            Applicability::Unsafe
                        } else {
                            Applicability::DisplayOnly
                        };
                        let fix = name_range.map(|r| {
                            Fix::new(format!("use `${c}`"), applicability, vec![Edit::replace(r, c)])
                        });
                        d.help(format!("did you mean `${c}`?")).fix(fix);
                    }
                    None => {
                        d.help(format!(
                            "declare `ARG {name}=<default>` before the first `FROM`"
                        ));
                    }
                }
            }
        }
    }
}

/// `FROM image` or `FROM image AS name`, as BuildKit accepts it.
fn well_formed(from: &crate::syntax::Instruction) -> bool {
    match from.words() {
        [_] => true,
        [_, kw, _] => kw.value.eq_ignore_ascii_case("as"),
        _ => false,
    }
}
