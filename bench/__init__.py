"""casualty-stream benchmarks and the synthetic article generator they (and the reliability tests) use."""
