FROM python:3.12 AS build
RUN apt-get update && apt-get install -y build-essential
RUN pip install --prefix=/install -r requirements.txt
RUN apk add musl-dev

FROM python:3.12-slim
COPY --from=build /install /usr/local
RUN pip install gunicorn
# ^ cache-in-layer
