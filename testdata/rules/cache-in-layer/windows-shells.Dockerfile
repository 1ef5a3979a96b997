# PowerShell and cmd bodies are not read as POSIX shell; exec-form RUNs name Windows caches.
FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
SHELL ["powershell", "-Command"]
RUN npm install; pip install flask
FROM base
RUN ["pip", "install", "requests"]
# ^ cache-in-layer
RUN pip install flask; npm install
