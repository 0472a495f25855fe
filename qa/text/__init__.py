"""Text jobs every stage shares (words, sentences, spelling, word lists, answer phrases);
imports nothing above :mod:`qa.core`."""
