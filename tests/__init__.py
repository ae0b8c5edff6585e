"""casualty-stream: tests package."""
