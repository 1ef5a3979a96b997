# escape=`
FROM mcr.microsoft.com/windows/nanoserver:ltsc2022
RUN echo one `

# ^ empty-continuation-line
    two
# A backslash is no continuation here.
RUN echo C:\\
RUN echo three
