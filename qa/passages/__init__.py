"""Article -> attributed passages: chunking, speaker attribution, and the cached corpus."""
