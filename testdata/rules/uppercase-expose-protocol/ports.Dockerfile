FROM nginx:1.27
ENV PROTO=TCP
ENV PORTS="8080/TCP 8081/udp"
EXPOSE 80/tcp 443 53/udp 9/sctp
EXPOSE 80/TCP
# ^ uppercase-expose-protocol
EXPOSE 8000-8010/Udp
# ^ uppercase-expose-protocol
EXPOSE "81/TCP"
# ^ uppercase-expose-protocol
EXPOSE 82/$PROTO
# ^ uppercase-expose-protocol
EXPOSE $PORTS
# ^ uppercase-expose-protocol
EXPOSE 83/HTTP
EXPOSE 84/tcp \
    85/SCTP
# ^ uppercase-expose-protocol
ONBUILD EXPOSE 86/TCP
expose 87/TCP
# ^ uppercase-expose-protocol
