"""casualty-stream: schemas package."""
