FROM scratch AS base
COPY rootfs.tar /
FROM base AS app
CMD /init
FROM scratch AS bare
ENTRYPOINT ["/app"]
CMD serve --help
# ^ shell-form-on-scratch
FROM bare
RUN echo hi
# ^ shell-form-on-scratch
FROM gcr.io/distroless/base-debian12:debug
CMD echo debug images have busybox
FROM gcr.io/distroless/python3-debian12
HEALTHCHECK --interval=30s CMD ["python3", "-c", "print(1)"]
HEALTHCHECK NONE
CMD python3 app.py
# ^ shell-form-on-scratch
