"""Question -> ranked passages: question analysis, speakers, signals, the retriever, the fitted
models and the decision to decline."""
