//! `unused-suppression`: a `# dlint ignore=` that suppresses nothing, or names no rule.

use super::{Ctx, Report, SuppressionUse};
use crate::fix::{Edit, Fix};

crate::declare_rule! {
    slug: "unused-suppression",
    codes: [],
    group: Suspicious,
    severity: Warning,
    // Not when removing the line would turn the next comment into a parser directive.
    fix: Sometimes,
    since: "0.1.0",
    summary: "a `# dlint ignore=` comment that suppresses nothing or names an unknown rule",
    hooks: { suppressions: check },
}

fn check(ctx: &Ctx, uses: &[SuppressionUse], out: &mut Report) {
    for s in uses {
        // hadolint and BuildKit comments also serve those tools: only dlint's own are judged.
        if !s.dlint {
            continue;
        }
        for (i, code) in s.codes.iter().enumerate() {
            let message = match code.target {
                None => format!("`{}` is not a dlint rule", code.text),
                // A disabled rule reports nothing: its suppression cannot be judged.
                Some(_) if !code.judged || code.used => continue,
                Some((rule, None)) => {
                    format!("unused suppression: `{}` reports nothing here", rule.slug)
                }
                Some((_, Some(c))) => {
                    format!("unused suppression: `{}` reports nothing here", c.name)
                }
            };
            let fix = remove(s, i);
            if keeps_directives(ctx, &fix) {
                out.report(code.range.clone(), message)
                    .help("remove it")
                    .fix(Some(fix));
            } else {
                out.report(code.range.clone(), message).help(
                    "remove it, and keep a line in its place: removing the line would make the comment after it a parser directive",
                );
            }
        }
    }
}

/// Whether the file keeps its parser directives once `fix` is applied: removing a comment line
/// at the top of the file can turn the comment below it into a directive.
fn keeps_directives(ctx: &Ctx, fix: &Fix) -> bool {
    let edits: Vec<&Edit> = fix.edits.iter().collect();
    let fixed = crate::fix::apply_edits(&ctx.source.text, &edits);
    let after = crate::syntax::parse(&fixed);
    let key = |d: &crate::syntax::Directive| (d.name.to_ascii_lowercase(), d.value.clone());
    // A comment that became a second `check` directive is an error, not a directive.
    after.errors.len() <= ctx.model.errors.len()
        && after.directives.len() == ctx.model.directives.len()
        && after.directives.iter().map(key).eq(ctx.model.directives.iter().map(key))
}

/// Remove one code from the list, or the whole comment line when no used code would remain.
fn remove(s: &SuppressionUse, index: usize) -> Fix {
    let keep: Vec<&str> = s
        .codes
        .iter()
        .enumerate()
        .filter(|(i, c)| *i != index && c.used && c.target.is_some())
        .map(|(_, c)| c.text.as_str())
        .collect();
    if keep.is_empty() {
        return Fix::safe(
            "remove the suppression comment",
            vec![Edit::delete(s.line.clone())],
        );
    }
    // Replace the whole list with the codes that are still in use.
    let start = s.codes.first().map_or(0, |c| c.range.start);
    let end = s.codes.last().map_or(0, |c| c.range.end);
    Fix::safe(
        format!("remove `{}` from the suppression", s.codes[index].text),
        vec![Edit::replace(start..end, keep.join(","))],
    )
}

#[cfg(test)]
mod tests {
    /// Removing the second line would make `# check=skip=all` a parser directive (a second
    /// `check`, or one that turns every check off): the finding stays, without a fix.
    #[test]
    fn no_fix_when_removing_the_line_promotes_a_directive() {
        let settings = crate::Settings::with_rules(crate::rules::RULES.to_vec());
        for text in [
            "# syntax=docker/dockerfile:1\n# dlint global ignore=not-a-rule\n# check=skip=all\nFROM alpine:3.20\n",
            "# check=skip=unnamed-stage\n# dlint global ignore=not-a-rule\n# CHECK = skip=all\nFROM alpine:3.20\n",
        ] {
            let r = crate::check_source("Dockerfile", text, &settings);
            let d: Vec<_> = r.diagnostics.iter().filter(|d| d.rule == super::RULE.slug).collect();
            assert_eq!(d.len(), 1, "{text}");
            assert!(d[0].fix.is_none(), "{text}");
        }
        // With a line that stays in between, the comment line can go.
        let text = "# dlint global ignore=not-a-rule\nFROM alpine:3.20\n# check=skip=all\n";
        let r = crate::check_source("Dockerfile", text, &settings);
        assert!(r.diagnostics.iter().any(|d| d.fix.is_some()));
    }
}
