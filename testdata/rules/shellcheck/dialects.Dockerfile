# The dialect follows SHELL; PowerShell and cmd are not checked.
FROM debian:12
RUN [[ -n "$HOME" ]] && echo ok
# ^ shellcheck
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN [[ -n "$HOME" ]] && echo ok
SHELL ["pwsh", "-Command"]
RUN Write-Host $env:foo
FROM debian:12
RUN ["sh", "-c", "echo $HOME"]
