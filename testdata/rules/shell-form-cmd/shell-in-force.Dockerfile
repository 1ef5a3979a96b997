FROM debian:12 AS with-shell
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
CMD echo chosen shell
FROM debian:12 AS shell-later
CMD echo before the shell
# ^ shell-form-cmd
SHELL ["/bin/bash", "-c"]
ENTRYPOINT echo after the shell
FROM with-shell AS inherits-shell
CMD echo inherited
FROM debian:12 AS trigger
ONBUILD SHELL ["/bin/bash", "-c"]
ONBUILD CMD echo a trigger is checked where it runs
HEALTHCHECK CMD curl -f http://localhost/
CMD
# ^ shell-form-cmd
FROM trigger
CMD echo the trigger set the shell
FROM debian:12
ENTRYPOINT ["/app"]
CMD ["--help"]
cmd serve --port 80
# ^ shell-form-cmd
