"""The benchmark: the alert path, the recorder, startup and memory against targets."""
