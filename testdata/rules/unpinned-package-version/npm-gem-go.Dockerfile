FROM node:20
RUN npm install && npm ci
RUN npm install -g typescript@5.5.4 express@latest @types/node@20 ./pkg.tgz
RUN npm install --save-dev eslint
# ^ unpinned-package-version
RUN npm install --save-dev @types/node
# ^ unpinned-package-version
RUN npm i http-server
# ^ unpinned-package-version
RUN npm install github:user/repo#v1 git+https://github.com/user/repo.git#v2 github:user/other
# ^ unpinned-package-version
RUN npm update express && npm uninstall express
RUN gem install rails
# ^ unpinned-package-version
RUN gem install rails:7.1 ./local.gem && gem install bundler -v 2.5.0
RUN gem install bundler:2.5 rake
# ^ unpinned-package-version
RUN go install golang.org/x/tools/cmd/goimports@v0.24.0 ./... .
RUN go install -ldflags "-s -w" -tags netgo golang.org/x/tools/gopls@latest
# ^ unpinned-package-version
RUN go get example.com/mod
# ^ unpinned-package-version
RUN go install -v "example.com/cmd/x@${X_VERSION}" && go run main.go
ONBUILD RUN npm install left-pad
# ^ unpinned-package-version
