"""What every stage shares: frozen types, one error tree, the configuration, atomic files."""
