# Close names are suggested; one edit away, with an unsafe fix.
FROM alpine:3.20
ENV APP_HOME=/srv/app
ENV PATH=$PAHT:/srv/app/bin
# ^ undefined-variable
WORKDIR $app_home
# ^ undefined-variable
COPY . $APP_HOMEDIR/
# ^ undefined-variable
COPY . $XYZ/
# ^ undefined-variable
