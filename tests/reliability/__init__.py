"""Multi-process reliability tests: a second process and SIGKILL against the data file."""
