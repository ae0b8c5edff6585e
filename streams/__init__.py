"""casualty-stream: streams package."""
