FROM python:3.12-slim
RUN pip install flask
RUN echo cleaning && pip cache purge
# ^ cleanup-in-later-layer
RUN pip install -r /src/requirements.txt && echo done
RUN echo cleaning && rm -rf /root/.cache/pip
# ^ cleanup-in-later-layer
RUN pip install build
RUN echo cleaning && pip uninstall -y build
# ^ cleanup-in-later-layer
