FROM alpine:3.20
CMD ["a", "b"] trailing text ignored
CMD ["a" "b"]
CMD [ ]
ENTRYPOINT ["/bin/sh", "-c", "echo \"quoted\""]
RUN ["echo", "\u00e9"]
SHELL ["/bin/sh", "-c"]
VOLUME ["/a", "/b"]
VOLUME /c /d
COPY ["a b", "/c d/"]
CMD ['single', 'quotes']
