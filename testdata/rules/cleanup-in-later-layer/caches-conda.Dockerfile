FROM continuumio/miniconda3
RUN conda install -y numpy
RUN echo cleaning && conda clean -afy
# ^ cleanup-in-later-layer
