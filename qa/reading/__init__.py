"""Sentences -> does one answer the question, and where: the reader trained here (ONNX)."""
