"""casualty-stream: extractors package."""
