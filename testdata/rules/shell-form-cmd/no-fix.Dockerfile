FROM alpine:3.20
CMD my-server --port $PORT
# ^ shell-form-cmd
CMD ./migrate && ./serve
# ^ shell-form-cmd
CMD ./serve > /var/log/serve.log 2>&1
# ^ shell-form-cmd
CMD ['my-server', '--port', '80']
# ^ shell-form-cmd
CMD cd /srv
# ^ shell-form-cmd
CMD LANG=C my-server
# ^ shell-form-cmd
CMD ls /srv/*.conf
# ^ shell-form-cmd
CMD echo a\ b
# ^ shell-form-cmd
ENTRYPOINT my-server \
# ^ shell-form-cmd
    --port 80
