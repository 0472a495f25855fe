"""The :class:`~qa.answering.pipeline.Pipeline`: ranking + short answers + the reply."""
