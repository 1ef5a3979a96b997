FROM alpine:3.20
RUN apk add --no-cache curl=8.9.1-r2 "bash>5" vim~9 git
# ^ unpinned-package-version
RUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20240309-r0 musl-dev
# ^ unpinned-package-version
RUN apk --no-cache add /tmp/local.apk curl@edge
# ^ unpinned-package-version
RUN apk add --no-cache $PACKAGES "curl=$CURL_VERSION"
RUN apk update && apk upgrade && apk del curl
RUN pip install flask==3.0.3 "requests>=2" "six<2" "attrs~=23.1" "flask[async]==3.0.3"
RUN pip install --no-cache-dir flask
# ^ unpinned-package-version
RUN python3 -m pip --no-cache-dir install radian
# ^ unpinned-package-version
RUN pip install --upgrade pip
# ^ unpinned-package-version
RUN pip install -r requirements.txt gunicorn
RUN pip install -c constraints.txt gunicorn
RUN pip install . ./dist/app.whl https://example.com/x.tar.gz -e ./lib
RUN pip install git+https://github.com/user/repo@v1.2 git+https://github.com/user/repo
# ^ unpinned-package-version
RUN pip install "flask @ https://example.com/flask.whl" "flask==$FLASK_VERSION"
RUN pip uninstall -y flask && pip download flask
