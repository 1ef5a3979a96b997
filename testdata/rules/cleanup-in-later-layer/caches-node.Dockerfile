FROM node:22-slim
RUN npm ci && yarn install --frozen-lockfile
RUN npm cache clean --force && echo cleaning \
# ^ cleanup-in-later-layer
 && yarn cache clean
# ^ cleanup-in-later-layer
