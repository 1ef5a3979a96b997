//! `textDocument/hover`: the rule's documentation on a diagnostic, a short reference on an
//! instruction keyword.

use lsp_types as lsp;

use super::position;
use crate::syntax::Keyword;
use crate::FileResult;

/// One-paragraph references for the Dockerfile instructions (from the Dockerfile reference).
const INSTRUCTIONS: &[(Keyword, &str, &str)] = &[
    (Keyword::From, "FROM [--platform=<platform>] <image> [AS <name>]", "Starts a build stage on a base image (or `scratch`, or an earlier stage). `AS <name>` names the stage for `COPY --from`, `RUN --mount=from=` and `--target`."),
    (Keyword::Run, "RUN [--mount=...] [--network=...] <command> | [\"exe\", \"arg\"]", "Runs a command in a new layer: shell form through the `SHELL` (`/bin/sh -c` by default), exec form without a shell. `--mount` adds cache, bind, secret, ssh or tmpfs mounts for this command only."),
    (Keyword::Cmd, "CMD [\"exe\", \"arg\"] | CMD <command>", "The default command of the image (or default arguments of `ENTRYPOINT`). Only the last `CMD` counts; shell form needs `/bin/sh` in the image."),
    (Keyword::Entrypoint, "ENTRYPOINT [\"exe\", \"arg\"] | ENTRYPOINT <command>", "The executable the container runs; `CMD` supplies default arguments in exec form. Shell form ignores `CMD` and runs under `/bin/sh -c`."),
    (Keyword::Copy, "COPY [--from=<stage|image>] [--chown=...] [--chmod=...] [--link] <src>... <dest>", "Copies files from the build context (or from a stage or image with `--from`) into the image. Relative `<dest>` is resolved against `WORKDIR`; `--from` sources resolve from the source's `/`."),
    (Keyword::Add, "ADD [--chown=...] [--checksum=...] <src>... <dest>", "Like `COPY`, but also fetches URLs and git repositories and unpacks local tar archives. Prefer `COPY` when none of that is wanted."),
    (Keyword::Env, "ENV <key>=<value> ...", "Sets environment variables for the rest of the stage and in containers of the image."),
    (Keyword::Arg, "ARG <name>[=<default>]", "Declares a build argument (`--build-arg`). Before the first `FROM` it is usable in `FROM` lines only; inside a stage it is visible until the stage ends; not persisted in the image."),
    (Keyword::Workdir, "WORKDIR <path>", "Sets the working directory for the instructions that follow and for containers; relative paths are resolved against the previous `WORKDIR`. Created if missing."),
    (Keyword::User, "USER <user>[:<group>]", "Sets the user (and group) for the following `RUN`, `CMD` and `ENTRYPOINT`."),
    (Keyword::Expose, "EXPOSE <port>[/<protocol>] ...", "Documents the ports the container listens on; it does not publish them."),
    (Keyword::Label, "LABEL <key>=<value> ...", "Adds metadata to the image (OCI annotations such as `org.opencontainers.image.source`)."),
    (Keyword::Volume, "VOLUME [\"/path\"] | VOLUME /path ...", "Marks paths as volumes: changes to them in later build steps are discarded."),
    (Keyword::Healthcheck, "HEALTHCHECK [--interval=...] [--timeout=...] [--retries=...] CMD <command> | HEALTHCHECK NONE", "How the engine checks that the container still works; `NONE` disables a check inherited from the base image."),
    (Keyword::Stopsignal, "STOPSIGNAL <signal>", "The signal sent to stop the container (default `SIGTERM`)."),
    (Keyword::Shell, "SHELL [\"executable\", \"parameters\"]", "Changes the shell used by shell-form `RUN`, `CMD` and `ENTRYPOINT` for the rest of the stage."),
    (Keyword::Onbuild, "ONBUILD <instruction>", "Registers an instruction that runs when another build uses this image as its base."),
    (Keyword::Maintainer, "MAINTAINER <name>", "Deprecated: use `LABEL org.opencontainers.image.authors=...`."),
];

/// The hover at `pos`: the documentation of the diagnostic's rule under the cursor, else the
/// reference of the instruction keyword under it.
pub fn hover(
    result: &FileResult,
    model: &crate::model::Dockerfile,
    pos: lsp::Position,
) -> Option<lsp::Hover> {
    let source = &result.source;
    let at = position::offset(source, pos);
    if let Some(d) = result
        .diagnostics
        .iter()
        .find(|d| d.range.start <= at && at <= d.range.end.max(d.range.start + 1))
    {
        let rule = crate::rules::find(d.rule)?;
        return Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: rule.doc.to_string(),
            }),
            range: Some(position::range(source, &d.range)),
        });
    }
    let inst = model.instructions.iter().find(|i| {
        i.keyword_range.start <= at && at <= i.keyword_range.end
            || i.sub
                .as_ref()
                .is_some_and(|s| s.keyword_range.start <= at && at <= s.keyword_range.end)
    })?;
    let (kw, range) = match &inst.sub {
        Some(s) if s.keyword_range.start <= at && at <= s.keyword_range.end => {
            (s.keyword, s.keyword_range.clone())
        }
        _ => (inst.keyword, inst.keyword_range.clone()),
    };
    let (_, synopsis, text) = INSTRUCTIONS.iter().find(|(k, _, _)| *k == kw)?;
    let anchor = format!("{kw:?}").to_ascii_lowercase();
    Some(lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: format!(
                "```dockerfile\n{synopsis}\n```\n{text}\n\n[Dockerfile reference](https://docs.docker.com/reference/dockerfile/#{anchor})"
            ),
        }),
        range: Some(position::range(source, &range)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_instruction_has_a_reference() {
        for (k, synopsis, _) in INSTRUCTIONS {
            assert!(
                synopsis.starts_with(&format!("{k:?}").to_ascii_uppercase()),
                "{synopsis}"
            );
        }
        assert_eq!(INSTRUCTIONS.len(), 18);
    }
}
