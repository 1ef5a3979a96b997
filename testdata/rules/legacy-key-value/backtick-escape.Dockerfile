# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ENV JAVA_HOME C:\openjdk-21
# ^ legacy-key-value
ENV PRICE `$5 "a b" 'c `d'
# ^ legacy-key-value
ENV LIST a `
# ^ legacy-key-value
    b
