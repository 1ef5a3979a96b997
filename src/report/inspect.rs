//! `dlint inspect`: the parsed model as JSON or text, for users debugging a finding and for tests.

use serde_json::{json, Value};

use crate::model::{Base, Dockerfile, Target, Workdir};
use crate::source::SourceFile;
use crate::syntax::{Args, Instruction};

fn flags_of(inst: &Instruction) -> Vec<String> {
    inst.flags
        .iter()
        .map(|f| match &f.value {
            Some(v) => format!("--{}={}", f.name, v),
            None => format!("--{}", f.name),
        })
        .collect()
}

fn args_json(args: &Args) -> Value {
    match args {
        Args::None => Value::Null,
        Args::Exec(w) | Args::Words(w) => {
            json!(w.iter().map(|w| w.value.clone()).collect::<Vec<_>>())
        }
        Args::Shell(s) => json!(s.logical.text),
        Args::Pairs(p) => json!(p
            .iter()
            .map(|p| json!({"key": p.key, "value": p.value}))
            .collect::<Vec<_>>()),
        Args::Healthcheck(None) => json!("NONE"),
        Args::Healthcheck(Some(a)) => json!({"cmd": args_json(a)}),
    }
}

fn json_form(inst: &Instruction) -> bool {
    match &inst.args {
        Args::Exec(_) => true,
        Args::Healthcheck(Some(a)) => matches!(**a, Args::Exec(_)),
        _ => false,
    }
}

fn workdir(w: &Workdir) -> Value {
    w.known().map_or(Value::Null, |s| json!(s))
}

/// The model as JSON (lines are 1-based; `end_line` includes continuation and heredoc lines).
pub fn to_json(source: &SourceFile, model: &Dockerfile) -> Value {
    let instructions: Vec<Value> = model
        .instructions
        .iter()
        .zip(&model.contexts)
        .map(|(inst, ctx)| {
            let (json_form, flags) = match &inst.sub {
                Some(sub) => (json_form(sub), flags_of(sub)),
                None => (json_form(inst), flags_of(inst)),
            };
            json!({
                "keyword": inst.keyword_text,
                "sub_keyword": inst.sub.as_ref().map(|s| s.keyword_text.clone()),
                "start_line": inst.start_line,
                "end_line": inst.end_line,
                "flags": flags,
                "json_form": json_form,
                "args": args_json(inst.sub.as_ref().map_or(&inst.args, |s| &s.args)),
                "heredocs": inst.heredocs.iter().map(|h| json!({
                    "name": h.name, "chomp": h.chomp, "expand": h.expand, "content": h.content.text,
                })).collect::<Vec<_>>(),
                "stage": ctx.stage,
                "workdir": workdir(&ctx.workdir),
                "parsed_by": inst.parsed_by,
            })
        })
        .collect();
    let stages: Vec<Value> = model
        .stages
        .iter()
        .map(|s| {
            let (image, parent) = match &s.base {
                Base::Image(img) => (json!(img), Value::Null),
                Base::Stage(p) => (Value::Null, json!(p)),
                _ => (Value::Null, Value::Null),
            };
            json!({
                "index": s.index,
                "name": s.name,
                "base": s.base_text,
                "image": image,
                "scratch": s.base == Base::Scratch,
                "platform": s.platform,
                "workdir": workdir(&s.workdir),
                "parent_stage": parent,
                "start_line": model.instructions[s.from].start_line,
                "end_line": model.instructions[s.body.end.max(s.from + 1) - 1].end_line,
                "ships": model.ships(s.index),
            })
        })
        .collect();
    let refs: Vec<Value> = model
        .stage_refs
        .iter()
        .map(|r| {
            let target = match &r.target {
                Target::Named(i) | Target::Index(i) => json!({"stage": i}),
                Target::Later(i) => json!({"later_stage": i}),
                Target::BadIndex(i) => json!({"bad_index": i}),
                Target::Image(img) => json!({"image": img.canonical()}),
                Target::Invalid => json!("invalid"),
                Target::Dynamic => json!("dynamic"),
            };
            json!({
                "line": source.line_col(r.range.start).line,
                "kind": r.kind,
                "reference": r.value,
                "target": target,
            })
        })
        .collect();
    let errors: Vec<Value> = model
        .errors
        .iter()
        .map(|e| {
            let lc = source.line_col(e.range.start);
            json!({"line": lc.line, "column": lc.column, "message": e.message, "kind": e.kind})
        })
        .collect();
    json!({
        "escape": model.escape.to_string(),
        "directives": model.directives,
        "instructions": instructions,
        "stages": stages,
        "stage_refs": refs,
        "errors": errors,
    })
}

/// A compact human-readable listing.
pub fn to_text(source: &SourceFile, model: &Dockerfile) -> String {
    let mut out = String::new();
    for s in &model.stages {
        out.push_str(&format!(
            "stage {}{} FROM {}{} workdir={}\n",
            s.index,
            s.name
                .as_ref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            s.base_text,
            match s.base {
                Base::Stage(p) => format!(" [stage {p}]"),
                _ => String::new(),
            },
            s.workdir.known().unwrap_or("?"),
        ));
    }
    for (inst, ctx) in model.instructions.iter().zip(&model.contexts) {
        out.push_str(&format!(
            "{:>4}-{:<4} {:<11} stage={} {}{}\n",
            inst.start_line,
            inst.end_line,
            inst.keyword_text,
            ctx.stage.map_or("-".into(), |s| s.to_string()),
            flags_of(inst).join(" "),
            if json_form(inst) { " [json]" } else { "" },
        ));
    }
    for e in &model.errors {
        let lc = source.line_col(e.range.start);
        out.push_str(&format!("error {}:{}: {}\n", lc.line, lc.column, e.message));
    }
    out
}
