# Windows images run shell form with `cmd /S /C`.
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN pip install flask && npm install
