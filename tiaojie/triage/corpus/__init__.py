"""The labelled corpus of dispute narratives: fragments written by hand, composed by ``build``."""
