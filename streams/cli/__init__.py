"""The ``casualty`` console command: one lazy click group, one module per subcommand."""
