FROM alpine:3.20
add --chown=app:app --chmod=644 --link app.conf /etc/app/
# ^ add-instead-of-copy
Add --exclude=*.md docs/ /docs/
# ^ add-instead-of-copy
ADD --checksum=sha256:0123 app.conf /etc/app/
# ^ add-instead-of-copy
ADD --keep-git-dir=true https://github.com/acme/lib.git /src/lib
