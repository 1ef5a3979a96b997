# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
# cmd runs shell-form RUN on Windows; a heredoc there is not a POSIX script.
RUN <<EOF
mkdir C:\app
copy x C:\app
EOF
SHELL ["powershell", "-Command"]
RUN <<EOF
New-Item -ItemType Directory C:\tools
Invoke-WebRequest https://example.com/x.zip -OutFile C:\x.zip
EOF
# A POSIX SHELL on a Linux stage, with the backtick escape.
FROM alpine:3.20
RUN <<EOF
cd /src
# ^ heredoc-without-errexit
make
EOF
