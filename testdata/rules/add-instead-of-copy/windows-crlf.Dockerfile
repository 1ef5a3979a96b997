# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
ADD C:\src\app.conf C:\app\
# ^ add-instead-of-copy
ADD `
# ^ add-instead-of-copy
  C:\src\tool.zip C:\tools\
