FROM nginx:1.27
ENV MAPPING=8080:80
EXPOSE 80 443/tcp 8000-8010
EXPOSE 8080:80
# ^ expose-with-host-port
EXPOSE 127.0.0.1:8080:80/udp
# ^ expose-with-host-port
EXPOSE 127.0.0.1::80
# ^ expose-with-host-port
EXPOSE [::1]:8443:443
# ^ expose-with-host-port
EXPOSE 9000-9001:90-91
# ^ expose-with-host-port
EXPOSE 9000-9001:90
# ^ expose-with-host-port
EXPOSE 9000-9002:90-91
# ^ expose-with-host-port
EXPOSE 1.2.3:80:80
# ^ expose-with-host-port
EXPOSE 80:
# ^ expose-with-host-port
EXPOSE web:80
# ^ expose-with-host-port
EXPOSE :80
EXPOSE $MAPPING
# ^ expose-with-host-port
EXPOSE "8081:81"
# ^ expose-with-host-port
ONBUILD EXPOSE 8082:82
