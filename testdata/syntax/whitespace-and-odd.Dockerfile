

   
   FROM alpine:3.20   
	 RUN echo indented
RUN	echo tab
EXPOSE 80 443/udp
USER   app:app  
STOPSIGNAL  SIGKILL
MAINTAINER Someone <someone@example.com>
WORKDIR   /a b
ENV LEGACY value with spaces
ENV K="v w" L='x y' M=z\ z
ARG A B=1 C="two words"
LABEL "com.example.x"="1" y=
ENV \
    # unset from the base image
    EMPTY= \
    NEXT=1
ARG EMPTYARG=
