"""The talks-vs-attacks event study: event windows, the daily series it reads, effects,
pooled ratios and permutation tests. Uses domain and query."""
